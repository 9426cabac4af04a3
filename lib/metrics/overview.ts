import type { Db } from "@/lib/db";
import { getOrgSettings } from "@/lib/settings/org";
import { listTeams, type TeamSummary } from "@/lib/teams";
import { cachedRead } from "./cache";
import { dataSince } from "./coverage";
import { type Dashboard, figures, type SeriesPoint, series } from "./dashboard";
import { autoGranularity, DEFAULT_PERIOD_DAYS, lastDays, type Period, previousPeriod } from "./period";
import { type QualityNote, qualityFacts, qualityNotes } from "./quality";
import { ALL_TEAMS, deploymentStats, leadTimeStats, type MetricQuery, scopeTotals } from "./queries";
import { resolveScope } from "./scope";

/**
 * The org overview: the org's five figures, and every team's, from one grouped pass over each table (teams are
 * GROUP BY keys, not one query each). Teams are listed alphabetically: DORA metrics describe a system, and a
 * league table invites gaming the numbers.
 */

export interface TeamRow {
  team: TeamSummary;
  metrics: Dashboard["metrics"];
  series: SeriesPoint[];
}

export interface Overview {
  period: Period;
  previousPeriod: Period;
  granularity: Dashboard["granularity"];
  timeZone: string;
  environment: string | null;
  org: Pick<Dashboard, "metrics" | "series">;
  teams: TeamRow[];
  unowned: { deployments: number };
  quality: QualityNote[];
}

export async function getOverview(
  db: Db,
  input: { period?: Period; previous?: Period; environment?: string | null; now?: Date } = {},
): Promise<Overview> {
  const settings = await getOrgSettings(db);
  const p = input.period ?? lastDays(DEFAULT_PERIOD_DAYS, settings.timeZone, input.now);
  const prev = input.previous ?? previousPeriod(p);
  const granularity = autoGranularity(p.days);
  const scope = await resolveScope(db, { environment: input.environment ?? null });
  const base: MetricQuery = {
    scope,
    period: p,
    previous: prev,
    granularity,
    zone: settings.timeZone,
    weekStart: settings.weekStart,
  };
  const byTeam: MetricQuery = { ...base, byTeam: true };
  // Cached like a dashboard (lib/metrics/cache.ts), keyed by the resolved query.
  return cachedRead(db, "overview", byTeam, async () => {
    // One pass per table: the org-wide totals are extra grouping sets of the per-team query (key ALL_TEAMS).
    const [teamDeps, teamLead, teams, facts, since] = await Promise.all([
      deploymentStats(db, byTeam),
      leadTimeStats(db, byTeam),
      listTeams(db),
      qualityFacts(db, scope, p, settings.timeZone),
      dataSince(db, scope, settings.timeZone, true),
    ]);
    const empty = new Map();
    const orgDeps = teamDeps.get(ALL_TEAMS) ?? scopeTotals(empty, "deployments");
    const orgLead = teamLead.get(ALL_TEAMS) ?? scopeTotals(empty, "lead");
    const teamRows = teams.map((team) => {
      const deps = teamDeps.get(team.id) ?? scopeTotals(empty, "deployments");
      const lead = teamLead.get(team.id) ?? scopeTotals(empty, "lead");
      return {
        team,
        metrics: figures(deps, lead, p, prev, since.get(team.id)),
        series: series(p, granularity, settings.weekStart, deps.series, lead.series),
      };
    });
    return {
      period: p,
      previousPeriod: prev,
      granularity,
      timeZone: settings.timeZone,
      environment: input.environment ?? null,
      org: {
        metrics: figures(orgDeps, orgLead, p, prev, since.get(ALL_TEAMS)),
        series: series(p, granularity, settings.weekStart, orgDeps.series, orgLead.series),
      },
      teams: teamRows,
      unowned: { deployments: teamDeps.get(0)?.current.deployments ?? 0 },
      quality: qualityNotes(facts, scope, {
        since: since.get(ALL_TEAMS),
        period: p,
        deployments: orgDeps.current.deployments,
      }),
    };
  });
}
