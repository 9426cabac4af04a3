import { randomUUID } from "node:crypto";
import { createRespondentLinks, roundTeams } from "@/lib/calms/rounds";
import { type SubmitResult, submitResponse } from "@/lib/calms/submit";
import type { Db } from "@/lib/db";

/**
 * Answers a respondent-mode round as real people do (ADR 0014): one single-use link per person, each answering once.
 * `people[slug]` lists each person's answers in the order of `keys`. Returns every submission's result.
 */
export async function answerPerPerson(
  db: Db,
  roundId: number,
  people: Record<string, readonly (readonly (string | undefined)[])[]>,
  keys: readonly string[],
  day: string,
): Promise<SubmitResult[]> {
  const results: SubmitResult[] = [];
  for (const team of await roundTeams(db, roundId)) {
    const answersOfTeam = people[team.slug] ?? [];
    if (answersOfTeam.length === 0) continue;
    const tokens = await createRespondentLinks(db, roundId, team.teamId, answersOfTeam.length);
    for (const [i, person] of answersOfTeam.entries()) {
      const answers = Object.fromEntries(keys.map((k, j) => [k, person[j] as string]));
      results.push(
        await submitResponse(db, tokens[i] as string, { submissionId: randomUUID(), answers }, day),
      );
    }
  }
  return results;
}
