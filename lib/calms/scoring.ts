import { type Block, groupByBlock, SCALE_POINTS, type Scale, toTen } from "./bank";
import { type Summary, summarise } from "./stats";
import type { WithheldReason } from "./suppression";

/**
 * Scoring (docs/calms.md § Scoring), pure so that every rule is unit-tested:
 * - each answer is put on 0–10 (Never 0 … Always 10; Strongly disagree 0 … Strongly agree 10);
 * - a person's block score is the mean of the items they answered, counted only when they answered at least two
 *   thirds of the block's items ("Don't know" is not an answer);
 * - a group's block score is the mean of its people's block scores, with n, SD and a 95% confidence interval.
 */

export interface RoundItem {
  key: string;
  block: Block;
  scale: Scale;
  text: string;
  position: number;
}

export interface ResponseAnswers {
  /** item key → stored value; null = "Don't know". Items a response has no row for count as not answered. */
  answers: ReadonlyMap<string, number | null>;
}

/** Fewest answered items for a person's block score: two thirds of the block's items, rounded up. */
export function minAnswered(items: number): number {
  return Math.max(1, Math.ceil((items * 2) / 3));
}

/** A person's score for the items of one block, or null when they answered fewer than two thirds of them. */
export function personBlockScore(response: ResponseAnswers, items: readonly RoundItem[]): number | null {
  const values: number[] = [];
  for (const item of items) {
    const v = response.answers.get(item.key);
    if (v !== null && v !== undefined) values.push(toTen(item.scale, v));
  }
  if (items.length === 0 || values.length < minAnswered(items.length)) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export interface BlockScore extends Summary {
  block: Block;
  /** Items of the block in the round. */
  items: number;
  /** Set when the anonymity rules withhold this score (mean, SD and interval are then null; n stays). */
  withheld?: WithheldReason;
}

/** The score with its figures removed: what leaves the server for a withheld dimension. */
export function withhold(score: BlockScore, reason: WithheldReason): BlockScore {
  return { ...score, mean: null, sd: null, ci: null, withheld: reason };
}

/** Every block's score over a group of responses. */
export function blockScores(
  responses: readonly ResponseAnswers[],
  items: readonly RoundItem[],
): BlockScore[] {
  return groupByBlock(items).map(({ block, items: blockItems }) => {
    const scores = responses
      .map((r) => personBlockScore(r, blockItems))
      .filter((s): s is number => s !== null);
    return { block, items: blockItems.length, ...summarise(scores) };
  });
}

export interface ItemDistribution {
  key: string;
  block: Block;
  scale: Scale;
  text: string;
  /** Answers per scale point, in scale order (Never … Always; Strongly disagree … Strongly agree). */
  counts: number[];
  dontKnow: number;
  /** Answers other than "Don't know". */
  answered: number;
  /** Mean of the answers on 0–10; null when nobody answered. */
  mean: number | null;
}

export function itemDistributions(
  responses: readonly ResponseAnswers[],
  items: readonly RoundItem[],
): ItemDistribution[] {
  return [...items]
    .sort((a, b) => a.position - b.position)
    .map((item) => {
      const points = SCALE_POINTS[item.scale];
      const counts = points.map(() => 0);
      let dontKnow = 0;
      let sum = 0;
      let answered = 0;
      for (const r of responses) {
        if (!r.answers.has(item.key)) continue;
        const v = r.answers.get(item.key);
        if (v === null || v === undefined) {
          dontKnow++;
          continue;
        }
        const index = points.findIndex((p) => p.value === v);
        if (index < 0) continue;
        counts[index] = (counts[index] as number) + 1;
        sum += toTen(item.scale, v);
        answered++;
      }
      return {
        key: item.key,
        block: item.block,
        scale: item.scale,
        text: item.text,
        counts,
        dontKnow,
        answered,
        mean: answered ? sum / answered : null,
      };
    });
}

/**
 * Responses that gave the same answer to every statement (at least ten answered, compared on the 0–10 scale): a straight-lining check,
 * reported org-wide per round. With positively worded items only, it is the cheap way to spot careless answers.
 */
export function straightLined(responses: readonly ResponseAnswers[], items: readonly RoundItem[]): number {
  let count = 0;
  for (const r of responses) {
    const values: number[] = [];
    for (const item of items) {
      const v = r.answers.get(item.key);
      if (v !== null && v !== undefined) values.push(toTen(item.scale, v));
    }
    if (values.length >= 10 && values.every((v) => v === values[0])) count++;
  }
  return count;
}
