import {
  toBreakdownBars,
  toBreakdownSegments,
  toDeploymentBars,
  toLeadTimePoints,
  toRatePoints,
  toRecoveryPoints,
} from "@/lib/charts/mappers";
import type { Db } from "@/lib/db";
import { type Dashboard, getDashboard } from "@/lib/metrics/dashboard";
import { getOverview } from "@/lib/metrics/overview";
import { type QualityFacts, qualityFacts } from "@/lib/metrics/quality";
import { focusOf } from "@/lib/pipeline";
import { getOrgSettings } from "@/lib/settings/org";
import { getTeam } from "@/lib/teams";
import { loadCalmsSection } from "./calms";
import { narrative } from "./narrative";
import { PERIOD_HELP, resolveReportPeriod } from "./period";
import { definitions, summarize } from "./summary";
import type { DataQuality, Report, ReportCharts, TeamReportRow } from "./types";

/** A report parameter that cannot be honoured: the API answers 400 naming it, the CLI prints the message. */
export class ReportInputError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = "ReportInputError";
  }
}

export interface ReportInput {
  /** A team's slug; null or omitted: the whole organisation. */
  team?: string | null;
  /** "2026-Q3", "2026-09", "2026-07-01..2026-09-30", "last-quarter"… (lib/reports/period.ts). */
  period: string;
  now?: Date;
  /**
   * false: leave "Where to focus" empty. Only a CSV export may: no dataset shows it, and on an org year it is the
   * slowest part of the report (every change and CI run of the period, weighed in memory).
   */
  focus?: boolean;
}

/**
 * Assembles the report for the org or a team over a period, compared with the previous period: the same figures
 * as the dashboard (getDashboard, getOverview), the summary and its sentences, the charts' data through the
 * dashboard's mappers, the per-team rows of an org report, what fed the data and what is missing, the
 * definitions, and the CALMS section when there is one.
 */
export async function buildReport(db: Db, input: ReportInput): Promise<Report> {
  const now = input.now ?? new Date();
  const settings = await getOrgSettings(db);
  const periods = resolveReportPeriod(input.period, settings.timeZone, now, settings.weekStart);
  if (!periods) throw new ReportInputError("period", `'${input.period}' is not a period: use ${PERIOD_HELP}`);
  // Plain periods for the metric queries (the labels stay in the report's own periods).
  const period = { from: periods.period.from, to: periods.period.to, days: periods.period.days };
  const previous = { from: periods.previous.from, to: periods.previous.to, days: periods.previous.days };
  const team = input.team || null;

  // getDashboard throws SliceError("team") for an unknown team.
  const dashboard = await getDashboard(db, { slice: { team }, period, previous, now });
  const [overview, facts, teamRow, calms, focus] = await Promise.all([
    team ? null : getOverview(db, { period, previous, now }),
    qualityFacts(db, dashboard.scope, period, settings.timeZone),
    team ? getTeam(db, team) : null,
    loadCalmsSection(db, { scope: dashboard.scope, periods, now }),
    input.focus === false ? [] : focusOf(db, dashboard, now),
  ]);

  const teams: TeamReportRow[] | null = overview
    ? overview.teams.map((row) => ({
        slug: row.team.slug,
        name: row.team.name,
        repositories: row.team.repositories,
        metrics: row.metrics,
        series: row.series,
        summary: summarize(row.metrics, period.days),
      }))
    : null;

  return {
    kind: team ? "team" : "org",
    title: dashboard.scope.team?.name ?? settings.name,
    org: { name: settings.name, timeZone: settings.timeZone, weekStart: settings.weekStart },
    team: dashboard.scope.team
      ? {
          slug: dashboard.scope.team.slug,
          name: dashboard.scope.team.name,
          description: teamRow?.description ?? "",
        }
      : null,
    periods,
    generatedAt: now.toISOString(),
    dashboard,
    summary: summarize(dashboard.metrics, period.days),
    narrative: [
      ...narrative(dashboard.metrics, periods.previous.label),
      ...(calms?.highlights ?? []).map(info),
    ],
    charts: charts(dashboard, now),
    teams,
    unownedDeployments: overview?.unowned.deployments ?? 0,
    quality: dataQuality(facts, dashboard),
    definitions: definitions(),
    focus,
    ...(calms ? { calms } : {}),
  };
}

const info = (text: string) => ({ tone: "info" as const, text });

/** Pure: the charts' data, through the dashboard's own mappers (`now` marks a bucket still in progress). */
export function charts(d: Dashboard, now?: Date): ReportCharts {
  const g = d.granularity;
  const clock = now ? { zone: d.timeZone, now, periodTo: d.period.to } : undefined;
  return {
    granularity: g,
    deployments: toDeploymentBars(d.series, g, clock),
    leadTime: toLeadTimePoints(d.series, g, clock),
    rates: toRatePoints(d.series, g, clock),
    recovery: toRecoveryPoints(d.series, g, clock),
    breakdown: {
      stats: d.breakdown.current,
      segments: toBreakdownSegments(d.breakdown.current),
      bars: toBreakdownBars(d.breakdown.series, g),
    },
  };
}

const SOURCE_NAMES: Record<string, string> = {
  github: "GitHub",
  webhook: "webhooks",
  api: "push API",
  git: "git clone",
  demo: "demo data",
  config: "configuration",
  ui: "entered in Throughline",
};
const names = (sources: string[]) => sources.map((s) => SOURCE_NAMES[s] ?? s).join(", ");

/** Pure: which sources fed the report, and the dashboard's data-quality notes. */
export function dataQuality(f: QualityFacts, d: Dashboard): DataQuality {
  return {
    sources: [
      {
        label: "Deployments",
        value: f.deploymentSources.length ? names(f.deploymentSources) : "none in this period",
      },
      {
        label: "Incidents",
        value: f.incidentSources.length ? names(f.incidentSources) : "no incident source",
      },
      { label: "Commit history", value: f.hasCommits ? "yes" : "missing: no lead time" },
      { label: "Pull requests", value: f.hasPullRequests ? "yes" : "missing: no lead-time breakdown" },
    ],
    environments: d.scope.environments,
    notes: d.quality,
  };
}
