import type { Block } from "./bank";
import { groupByBlock } from "./bank";
import { personBlockScore, type ResponseAnswers, type RoundItem } from "./scoring";
import { type Summary, summarise, welch } from "./stats";
import { changeDisclosure } from "./suppression";

/**
 * A team's scores across rounds (docs/calms.md § Change between rounds).
 * - Rounds are compared only on **identical items**: per block, the statements (same id and same wording) that
 *   every round asking that block contains. An item added, dropped or reworded leaves the comparison.
 * - Each change is read against its noise: Welch's standard error of the difference of the two means, times
 *   t₀.₉₇₅. A change inside ±margin is "no clear change" (the band drawn around the previous score).
 * - A change is withheld when the number of answers differs by one or two (lib/calms/suppression.ts, rule 5).
 */

export interface TrendRound {
  id: number;
  title: string;
  closesOn: string;
  /** Answers from the team in this round. */
  n: number;
  /** The team's results are shown in this round; when false, `responses` is ignored and never read. */
  visible: boolean;
  /** The round's anonymity threshold: a score on the common items resting on fewer people is withheld (rule 6). */
  threshold?: number;
  items: readonly RoundItem[];
  responses: readonly ResponseAnswers[];
}

export type ChangeVerdict = "higher" | "lower" | "no_clear_change" | "withheld" | "unknown";

export interface TrendChange {
  /** Compared with this earlier round (the previous one in which the team's results were shown). */
  fromRoundId: number;
  verdict: ChangeVerdict;
  /** Present unless withheld. */
  diff: number | null;
  margin: number | null;
  /** The "no clear change" band around the earlier score, [low, high] on 0–10. */
  band: [number, number] | null;
}

export interface TrendPoint {
  roundId: number;
  title: string;
  closesOn: string;
  n: number;
  visible: boolean;
  /** Score on the common items; null when hidden or when too few answered them. */
  score: Summary | null;
  change: TrendChange | null;
}

export interface BlockTrend {
  block: Block;
  /** Item ids every round in the trend shares for this block. */
  commonItems: string[];
  /** Items of the block left out of the comparison (added, dropped or reworded between rounds). */
  leftOut: string[];
  points: TrendPoint[];
}

const itemId = (i: RoundItem) => `${i.key}\u0000${i.text}`;

export function teamTrend(roundsIn: readonly TrendRound[]): BlockTrend[] {
  const rounds = [...roundsIn].sort((a, b) => a.closesOn.localeCompare(b.closesOn) || a.id - b.id);
  const allItems = rounds.flatMap((r) => r.items);
  const blocks = groupByBlock(allItems).map((g) => g.block);
  return blocks.map((block) => {
    const asking = rounds.filter((r) => r.items.some((i) => i.block === block));
    const sets = asking.map((r) => new Set(r.items.filter((i) => i.block === block).map(itemId)));
    const first = asking[0]?.items.filter((i) => i.block === block) ?? [];
    const common = first.filter((i) => sets.every((s) => s.has(itemId(i))));
    const commonIds = new Set(common.map(itemId));
    const leftOut = [
      ...new Set(
        asking
          .flatMap((r) => r.items.filter((i) => i.block === block && !commonIds.has(itemId(i))))
          .map((i) => i.key),
      ),
    ];

    const points: TrendPoint[] = [];
    let previous: { roundId: number; n: number; score: Summary } | null = null;
    for (const r of asking) {
      const items = r.items.filter((i) => commonIds.has(itemId(i)));
      let score: Summary | null = null;
      if (r.visible && items.length > 0) {
        const scores = r.responses
          .map((resp) => personBlockScore(resp, items))
          .filter((s): s is number => s !== null);
        score = scores.length && scores.length >= (r.threshold ?? 0) ? summarise(scores) : null;
      }
      let change: TrendChange | null = null;
      if (score && previous) change = compare(previous, { n: r.n, score });
      points.push({
        roundId: r.id,
        title: r.title,
        closesOn: r.closesOn,
        n: r.n,
        visible: r.visible,
        score,
        change,
      });
      if (score) previous = { roundId: r.id, n: r.n, score };
    }
    return { block, commonItems: common.map((i) => i.key), leftOut, points };
  });
}

function compare(
  before: { roundId: number; n: number; score: Summary },
  after: { n: number; score: Summary },
): TrendChange {
  if (changeDisclosure(before.n, after.n) !== "ok") {
    return { fromRoundId: before.roundId, verdict: "withheld", diff: null, margin: null, band: null };
  }
  const d = welch(before.score, after.score);
  if (!d || before.score.mean === null) {
    return { fromRoundId: before.roundId, verdict: "unknown", diff: null, margin: null, band: null };
  }
  const verdict: ChangeVerdict =
    Math.abs(d.diff) <= d.margin ? "no_clear_change" : d.diff > 0 ? "higher" : "lower";
  const m = before.score.mean;
  return {
    fromRoundId: before.roundId,
    verdict,
    diff: d.diff,
    margin: d.margin,
    band: [Math.max(0, m - d.margin), Math.min(10, m + d.margin)],
  };
}

export const VERDICT_LABELS: Record<ChangeVerdict, string> = {
  higher: "Higher",
  lower: "Lower",
  no_clear_change: "No clear change",
  withheld: "Change not shown",
  unknown: "Too few answers to tell",
};
