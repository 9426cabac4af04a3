import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import {
  calmsAnswers,
  calmsComments,
  calmsLinkMails,
  calmsRespondentLinks,
  calmsResponses,
} from "@/lib/db/schema";
import { allowedValues } from "./bank";
import { findByToken, type RoundStatus } from "./rounds";
import type { RoundItem } from "./scoring";
import { isLinkToken } from "./tokens";

/**
 * Submitting a questionnaire. Validated on the server against the round's own statements; written in one
 * transaction; idempotent on the submission id the form was rendered with (a double submit counts once). What is
 * stored: the answers, the round-team, the comment (apart) — nothing about the person or their browser.
 *
 * A single-use respondent link (ADR 0014) answers once: the same submission again is a duplicate as before, any other
 * submission through a used link is refused ("used") and writes nothing. The link row records only that it was used.
 */

export const MAX_COMMENT = 2000;

/** The zod schema of one round's questionnaire: every statement answered (a value of its scale or "dk"). */
export function answersSchema(items: readonly RoundItem[]) {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const item of items) {
    const allowed = allowedValues(item.scale);
    shape[item.key] = z
      .string({ error: "Choose an answer (or “Don't know”)" })
      .refine((v) => allowed.includes(v), "That is not one of the answers offered: choose one again");
  }
  return z.object({
    submissionId: z.uuid({ error: "This form expired: reload the page and answer again" }),
    answers: z.object(shape),
    comment: z
      .string()
      .trim()
      .max(MAX_COMMENT, `At most ${MAX_COMMENT} characters`)
      .optional()
      .transform((v) => (v ? v : null)),
  });
}

export interface SubmissionInput {
  submissionId: unknown;
  /** item key → the submitted value (missing keys are missing answers). */
  answers: Record<string, unknown>;
  comment?: unknown;
}

export type SubmitResult =
  | { status: "recorded" }
  | { status: "duplicate" }
  | { status: "used" }
  | { status: "invalid"; errors: Record<string, string[]> }
  | { status: "unknown_link" }
  | { status: Exclude<RoundStatus, "open">; opensOn: string; closesOn: string };

export async function submitResponse(
  db: Db,
  token: string,
  input: SubmissionInput,
  today?: string,
): Promise<SubmitResult> {
  if (!isLinkToken(token)) return { status: "unknown_link" };
  const target = await findByToken(db, token, today);
  if (!target) return { status: "unknown_link" };
  if (target.status !== "open") {
    return { status: target.status, opensOn: target.round.opensOn, closesOn: target.round.closesOn };
  }
  const parsed = answersSchema(target.items).safeParse({
    submissionId: input.submissionId,
    answers: Object.fromEntries(target.items.map((i) => [i.key, input.answers[i.key]])),
    comment: typeof input.comment === "string" ? input.comment : undefined,
  });
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      // answers.C1 → C1; submissionId and comment keep their names.
      const key = String(issue.path[0] === "answers" ? issue.path[1] : issue.path[0]);
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return { status: "invalid", errors };
  }
  const { submissionId, answers, comment } = parsed.data;
  const linkId = target.respondentLinkId;
  try {
    return await db.transaction(async (tx) => {
      // The response first: its primary key makes a resubmission of the same form a duplicate, used link or not.
      const inserted = await tx
        .insert(calmsResponses)
        .values({ submissionId, roundTeamId: target.roundTeamId })
        .onConflictDoNothing()
        .returning({ id: calmsResponses.submissionId });
      if (inserted.length === 0) return { status: "duplicate" } as const;
      if (linkId !== null) {
        // The row lock serialises concurrent submissions through one link: the second sees used = true.
        const claimed = await tx
          .update(calmsRespondentLinks)
          .set({ used: true })
          .where(and(eq(calmsRespondentLinks.id, linkId), eq(calmsRespondentLinks.used, false)))
          .returning({ id: calmsRespondentLinks.id });
        if (claimed.length === 0) throw new LinkUsed();
        // A mailed link's address and URL go in the same transaction (ADR 0024): once answered, nothing says who.
        await tx.delete(calmsLinkMails).where(eq(calmsLinkMails.linkId, linkId));
      }
      await tx.insert(calmsAnswers).values(
        target.items.map((item) => {
          const v = answers[item.key] as string;
          return { submissionId, itemKey: item.key, value: v === "dk" ? null : Number(v) };
        }),
      );
      if (comment) await tx.insert(calmsComments).values({ roundTeamId: target.roundTeamId, body: comment });
      return { status: "recorded" } as const;
    });
  } catch (error) {
    if (error instanceof LinkUsed) return { status: "used" };
    throw error;
  }
}

/** Thrown inside the transaction to roll the response back when its single-use link has already answered. */
class LinkUsed extends Error {}
