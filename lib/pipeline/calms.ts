import { desc, eq } from "drizzle-orm";
import { loadRound, teamCell } from "@/lib/calms/results";
import { roundStatus } from "@/lib/calms/rounds";
import { itemDistributions } from "@/lib/calms/scoring";
import { HIDDEN_MESSAGES } from "@/lib/calms/suppression";
import type { Db } from "@/lib/db";
import { calmsRounds, calmsRoundTeams } from "@/lib/db/schema";
import type { CalmsAnswers } from "./improve";

/**
 * The team's answers to set beside its focus areas: the latest closed round the team took part in, read through
 * lib/calms's read model, so a team hidden by the anonymity threshold yields a message and no numbers at all.
 */
export async function teamCalmsAnswers(
  db: Db,
  team: { id: number; slug: string } | null,
  today: string,
): Promise<CalmsAnswers> {
  if (!team) return { status: "none", message: "CALMS answers are per team: choose a team to compare." };
  const rounds = await db
    .select({ round: calmsRounds })
    .from(calmsRoundTeams)
    .innerJoin(calmsRounds, eq(calmsRounds.id, calmsRoundTeams.roundId))
    .where(eq(calmsRoundTeams.teamId, team.id))
    .orderBy(desc(calmsRounds.closesOn), desc(calmsRounds.id));
  const latest = rounds.map((r) => r.round).find((r) => roundStatus(r, today) === "closed");
  if (!latest) return { status: "none", message: "The team has taken part in no closed CALMS round yet." };
  const loaded = await loadRound(db, latest.id, today);
  const member = loaded?.teams.find((t) => t.slug === team.slug);
  if (!loaded || !member) return { status: "none", message: "The team has no CALMS results." };
  const cell = teamCell(loaded, member);
  if (!cell.visible) {
    const why = cell.hidden ?? "below_threshold";
    return {
      status: "hidden",
      message: `${latest.title}: ${HIDDEN_MESSAGES[why](cell.n, loaded.threshold)}`,
    };
  }
  const responses = loaded.responses.get(cell.roundTeamId) ?? [];
  return {
    status: "shown",
    round: latest.title,
    responses: cell.n,
    items: itemDistributions(responses, loaded.items).map((d) => ({
      key: d.key,
      text: d.text,
      mean: d.mean,
    })),
  };
}
