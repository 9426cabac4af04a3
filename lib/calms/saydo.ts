import type { Dimension } from "./bank";

/**
 * "Say vs do": a team's answers beside what Throughline measures (docs/calms.md § Say vs do). Pure: the signals
 * come from lib/calms/signals.ts. A gap is phrased as a question for the team, never as a verdict: the data can be
 * incomplete, the statement can mean something else to the team, or practice can have drifted.
 */

export type SignalUnit = "share" | "count" | "lines" | "seconds";

export interface Signal {
  id: string;
  block: Dimension;
  label: string;
  /** The statement this signal speaks to (bank id). */
  itemKey: string | null;
  /** A share in 0–1 for `share`; null when it cannot be measured. */
  value: number | null;
  unit: SignalUnit;
  /** What the value is made of: "412 of 530 production deployments". */
  detail: string;
  /**
   * The value is the share of occasions on which the behaviour happened, so it sits on the same footing as a
   * frequency answer (Always ≈ 100%, Usually ≈ 75%, About half the time ≈ 50%…) and a gap can be pointed out.
   */
  comparable: boolean;
  /** When the data is missing: which source would provide it. */
  missing: string | null;
}

export interface SayDoRow {
  signal: Signal;
  /** The team's mean answer to the paired statement, 0–10; null when hidden, not asked or not answered. */
  say: number | null;
  question: string | null;
}

/** One step of the frequency scale is 2.5 points on 0–10 (25 percentage points): gaps below that are noise. */
export const GAP_THRESHOLD = 2.5;

const FREQUENCY_WORDS: [number, string][] = [
  [0, "never"],
  [2.5, "rarely"],
  [5, "about half the time"],
  [7.5, "usually"],
  [10, "always"],
];

/** The frequency word nearest to a 0–10 mean: 8.1 → "usually". */
export function frequencyWord(score: number): string {
  let best = FREQUENCY_WORDS[0] as [number, string];
  for (const entry of FREQUENCY_WORDS)
    if (Math.abs(entry[0] - score) < Math.abs(best[0] - score)) best = entry;
  return best[1];
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/** A question when the answers and a comparable measured share are more than one scale step apart. */
export function sayDoQuestion(signal: Signal, say: number | null): string | null {
  if (!signal.comparable || signal.value === null || say === null) return null;
  const measured = signal.value * 10;
  if (Math.abs(say - measured) <= GAP_THRESHOLD) return null;
  const word = frequencyWord(say);
  if (say > measured) {
    return (
      `The answers say "${word}"; the data shows ${pct(signal.value)} (${signal.detail}). ` +
      "Does the team see something the data misses (a source not connected, work done elsewhere), or has " +
      "practice drifted from how the team sees it?"
    );
  }
  return (
    `The data shows ${pct(signal.value)} (${signal.detail}), more than the answers ("${word}") suggest. ` +
    "Does the statement mean something else to the team, or is this going better than the team thinks?"
  );
}

export function sayDoRows(signals: readonly Signal[], itemMeans: ReadonlyMap<string, number | null> | null) {
  return signals.map((signal): SayDoRow => {
    const say = signal.itemKey && itemMeans ? (itemMeans.get(signal.itemKey) ?? null) : null;
    return { signal, say, question: sayDoQuestion(signal, say) };
  });
}
