/**
 * Percentiles as PostgreSQL's `percentile_cont` computes them (linear interpolation between the two nearest ranks),
 * so a pipeline figure computed here equals the same figure computed in SQL by lib/metrics.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (pos - lo) * (b - a);
}

export interface Summary {
  /** Samples (changes, runs, failures) with a value. */
  n: number;
  p50: number | null;
  p90: number | null;
}

export function summarise(values: readonly (number | null)[]): Summary {
  const present = values.filter((v): v is number => v !== null);
  return { n: present.length, p50: percentile(present, 0.5), p90: percentile(present, 0.9) };
}

/** Seconds from `from` to `to` (epoch milliseconds); null when either is missing or `to` comes first. */
export function span(from: number | null, to: number | null): number | null {
  if (from === null || to === null || to < from) return null;
  return (to - from) / 1000;
}
