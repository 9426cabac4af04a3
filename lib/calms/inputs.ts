import { z } from "zod";
import { isLocalDate } from "@/lib/metrics/period";
import { BANK, type Block, bankItem, DIMENSIONS, isCustomKey } from "./bank";
import { DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR } from "./suppression";

/** zod inputs of the CALMS admin mutations (lib/calms/rounds.ts); the settings forms parse with the same schemas. */

const localDate = (what: string) =>
  z
    .string({ error: `Choose the ${what} date` })
    .trim()
    .refine(isLocalDate, `Choose the ${what} date (YYYY-MM-DD)`);

export const CustomItemInput = z.object({
  block: z.enum(DIMENSIONS, { error: "Choose the dimension this statement belongs to" }),
  text: z
    .string()
    .trim()
    .min(10, "Write the statement in full (at least 10 characters)")
    .max(200, "At most 200 characters: one behaviour per statement"),
});
export type CustomItemInput = z.infer<typeof CustomItemInput>;

export const MinGroupSize = z.coerce
  .number({ error: "A whole number" })
  .int("A whole number")
  .min(MIN_GROUP_FLOOR, `At least ${MIN_GROUP_FLOOR}: with fewer answers, results could point to a person`)
  .max(50, "At most 50");

export const RoundInput = z
  .object({
    title: z.string().trim().min(3, "Give the round a title (at least 3 characters)").max(120),
    opensOn: localDate("opening"),
    closesOn: localDate("closing"),
    teamIds: z.array(z.coerce.number().int().positive()).min(1, "Choose at least one team"),
    minGroupSize: MinGroupSize.default(DEFAULT_MIN_GROUP),
    /** ADR 0014: single-use links per respondent unless an admin explicitly chooses the shared team link. */
    linkMode: z
      .enum(["respondent", "team"], { error: "Choose how people get their link" })
      .default("respondent"),
    /** Bank ids (C1…) and ids of existing custom items (U12…). */
    itemKeys: z.array(z.string().trim()).default([]),
    customItems: z.array(CustomItemInput).max(10, "At most 10 new statements per round").default([]),
  })
  .superRefine((r, ctx) => {
    if (r.closesOn < r.opensOn) {
      ctx.addIssue({
        code: "custom",
        path: ["closesOn"],
        message: "The round must close on or after it opens",
      });
    }
    const unknown = r.itemKeys.filter((k) => !bankItem(k) && !isCustomKey(k));
    if (unknown.length) {
      ctx.addIssue({
        code: "custom",
        path: ["itemKeys"],
        message: `Unknown statements: ${unknown.join(", ")}`,
      });
    }
  });
export type RoundInput = z.input<typeof RoundInput>;
export type RoundData = z.output<typeof RoundInput>;

/** How many single-use links an admin may ask for at once (ADR 0014). */
export const LinkCount = z.coerce
  .number({ error: "A whole number of links" })
  .int("A whole number of links")
  .min(1, "Ask for at least 1 link")
  .max(500, "At most 500 links at once: ask again for more");

/**
 * Every block asked must have at least two statements (one statement is not a score, and alpha needs two), and a
 * round must ask at least one block. `blocks` maps each chosen item to its block.
 */
export function checkBlocks(blocks: readonly Block[]): string | null {
  if (blocks.length === 0) return "Choose at least two statements of one dimension";
  const counts = new Map<Block, number>();
  for (const b of blocks) counts.set(b, (counts.get(b) ?? 0) + 1);
  const single = [...counts].filter(([, c]) => c === 1).map(([b]) => b);
  if (single.length) {
    return `Choose at least two statements for ${single.join(", ")}, or none: one statement is not a score`;
  }
  return null;
}

/** The bank items a new round starts with. */
export const DEFAULT_ITEM_KEYS = BANK.filter((i) => i.defaultOn).map((i) => i.key);
