import { asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { calmsComments, calmsRounds, calmsRoundTeams } from "@/lib/db/schema";
import type { Period } from "@/lib/metrics/period";
import { getOrgSettings } from "@/lib/settings/org";
import { loadRound, orgBlocks, type RoundResults, statementsShown, type TeamCell, teamCell } from "./results";
import { orgToday } from "./rounds";
import { type SayDoRow, sayDoRows } from "./saydo";
import { type BlockScore, type ItemDistribution, itemDistributions } from "./scoring";
import { signalWindow, teamSignals } from "./signals";
import { COMMENT_MIN, commentsVisible, effectiveThreshold } from "./suppression";
import { type BlockTrend, type TrendRound, teamTrend } from "./trend";

/** One team's results in one round, with the organisation beside it, its trend and "say vs do". */

export interface TeamResults {
  round: RoundResults["round"];
  threshold: number;
  team: TeamCell;
  /** The organisation figure of the round (for the radar); null when it is hidden. */
  org: { n: number; blocks: BlockScore[] | null };
  /** null when the team is hidden or answered through a shared team link (statementsShown). */
  distributions: ItemDistribution[] | null;
  comments: { visible: boolean; threshold: number; items: string[] | null };
  trend: BlockTrend[];
  sayDo: SayDoRow[];
  signalWindow: Period;
}

export async function teamResults(
  db: Db,
  roundId: number,
  slug: string,
  today?: string,
): Promise<TeamResults | null> {
  const day = today ?? (await orgToday(db));
  const loaded = await loadRound(db, roundId, day);
  const member = loaded?.teams.find((t) => t.slug === slug);
  if (!loaded || !member) return null;
  const team = teamCell(loaded, member);
  const responses = team.visible ? (loaded.responses.get(team.roundTeamId) ?? []) : [];
  const distributions = statementsShown(team) ? itemDistributions(responses, loaded.items) : null;

  const showComments = commentsVisible(team.n, team.visible, loaded.round.minGroupSize);
  const comments = showComments
    ? (
        await db
          .select({ body: calmsComments.body })
          .from(calmsComments)
          .where(eq(calmsComments.roundTeamId, team.roundTeamId))
          // Alphabetical: the order must say nothing about who answered when.
          .orderBy(asc(calmsComments.body))
      ).map((c) => c.body)
    : null;

  const zone = (await getOrgSettings(db)).timeZone;
  const window = signalWindow(loaded.round.closesOn, day);
  const signals = await teamSignals(db, slug, window, zone);
  const itemMeans = distributions ? new Map(distributions.map((d) => [d.key, d.mean])) : null;

  return {
    round: loaded.round,
    threshold: loaded.threshold,
    team,
    org: {
      n: loaded.disclosure.total.n,
      blocks: orgBlocks(
        loaded,
        loaded.teams.map((t) => teamCell(loaded, t)),
      ),
    },
    distributions,
    comments: {
      visible: showComments,
      threshold: Math.max(COMMENT_MIN, effectiveThreshold(loaded.round.minGroupSize)),
      items: comments,
    },
    trend: await trendFor(db, member.teamId, slug, day),
    sayDo: sayDoRows(signals, itemMeans),
    signalWindow: window,
  };
}

/** The team's scores over every round it took part in; answers are read only for rounds where it is shown. */
async function trendFor(db: Db, teamId: number, slug: string, today: string): Promise<BlockTrend[]> {
  const rounds = await db
    .select({ id: calmsRounds.id })
    .from(calmsRoundTeams)
    .innerJoin(calmsRounds, eq(calmsRounds.id, calmsRoundTeams.roundId))
    .where(eq(calmsRoundTeams.teamId, teamId))
    .orderBy(asc(calmsRounds.closesOn));
  const input: TrendRound[] = [];
  for (const { id } of rounds) {
    const loaded = await loadRound(db, id, today);
    const member = loaded?.teams.find((t) => t.slug === slug);
    if (!loaded || !member) continue;
    const visible = !loaded.disclosure.hidden.has(slug);
    input.push({
      id,
      title: loaded.round.title,
      closesOn: loaded.round.closesOn,
      n: member.n,
      visible,
      threshold: loaded.threshold,
      items: loaded.items,
      responses: visible ? (loaded.responses.get(member.roundTeamId) ?? []) : [],
    });
  }
  return teamTrend(input);
}
