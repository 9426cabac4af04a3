import { HIGHER_IS_BETTER, type MetricKey } from "./bands";

/**
 * The change of a figure against the previous period, and whether it is clear for its sample (docs/metrics.md
 * § Trends, ADR 0020). A trend says better or worse only when the 95 % interval of the change excludes "no change"
 * and the change is also larger than a small practical threshold; otherwise it says "no clear change". Each metric
 * uses the interval its sample allows:
 * - deployment frequency: counts over days, compared as Poisson rates (the current share of all deployments of
 *   both periods, a Wilson interval, against the share of days);
 * - change failure and rework rate: Newcombe's hybrid score interval for a difference of two proportions
 *   (Wilson intervals of each);
 * - lead time and recovery time (medians): the large-sample interval of a median, on log durations, with the
 *   density at the median estimated from the sample's own spread between its median and an upper percentile.
 */

export type Direction = "better" | "worse" | "flat" | null;

export interface Interval {
  /** null: unbounded (a change from none). */
  low: number | null;
  high: number | null;
}

export interface Trend {
  previous: number | null;
  /** current − previous, in the metric's unit (a rate's change is in points: 0.05 = 5 pp). */
  delta: number | null;
  /** delta ÷ previous; null when the previous value is 0 or missing. */
  relative: number | null;
  /** "flat" means no clear change; null means nothing to compare (a period without data). */
  direction: Direction;
  /** 95 % interval of the change: in points for rates (like delta), relative otherwise (like relative). */
  interval: Interval | null;
  /** Why the trend is unclear or missing, in words a reader can act on; null for a clear change. */
  note: string | null;
}

/** Two-sided 95 %. */
export const Z95 = 1.959964;
/** Below this many samples in either period, a median's spread cannot be estimated. */
export const MIN_MEDIAN_SAMPLE = 5;
/** A clear change must also exceed these (relative, or points for rates): smaller ones do not matter. */
const PRACTICAL = { relative: 0.02, points: 0.005 };

/** The note of a clear change too small to matter ("held steady"). */
export const TOO_SMALL = "the change is too small to matter";

const none = (previous: number | null, note: string): Trend => ({
  previous,
  delta: null,
  relative: null,
  direction: null,
  interval: null,
  note,
});

/** Wilson score interval of a proportion k/n (n > 0). */
export function wilson(k: number, n: number, z = Z95): { low: number; high: number } {
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the bound is exactly 0 or 1; floating point would leave 1e-16 of it.
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** Smaller than the practical threshold: the change does not matter, whatever its sample. */
function isSmall(metric: MetricKey, delta: number, relative: number | null): boolean {
  const isRate = metric === "changeFailureRate" || metric === "reworkRate";
  if (isRate) return Math.abs(delta) < PRACTICAL.points;
  return relative === null ? delta === 0 : Math.abs(relative) < PRACTICAL.relative;
}

/** The whole interval lies inside the practical threshold: whatever the truth, it does not matter. */
function insidePractical(metric: MetricKey, interval: Interval | null): boolean {
  if (!interval || interval.low === null || interval.high === null) return false;
  const isRate = metric === "changeFailureRate" || metric === "reworkRate";
  const bound = isRate ? PRACTICAL.points : PRACTICAL.relative;
  return interval.low > -bound && interval.high < bound;
}

/**
 * "Too small to matter" is a claim about the truth, not the point estimate: it is said of a clear change whose
 * size is below the threshold, or of an unclear one whose whole interval is. A small estimate with a wide interval
 * (−82 % to +466 % over a few deployments) is unclear for want of data, and says so.
 */
function decide(
  metric: MetricKey,
  base: Omit<Trend, "direction" | "note">,
  clear: boolean,
  unclearNote: string,
): Trend {
  const d = base.delta ?? 0;
  if (!clear) {
    const note = insidePractical(metric, base.interval) ? TOO_SMALL : unclearNote;
    return { ...base, direction: "flat", note };
  }
  if (isSmall(metric, d, base.relative)) return { ...base, direction: "flat", note: TOO_SMALL };
  return { ...base, direction: d > 0 === HIGHER_IS_BETTER[metric] ? "better" : "worse", note: null };
}

const relativeOf = (delta: number, previous: number) => (previous === 0 ? null : delta / previous);

export interface CountSample {
  count: number;
  days: number;
}

/**
 * Deployment frequency: per-week rates of two periods. Under "no change", the current period's share of all
 * deployments of both follows Binomial(n, days share); the Wilson interval of that share gives the interval of the
 * rate ratio, p/(1−p) × previous days/current days. null: the period has no data (not zero: nothing recorded).
 */
export function frequencyTrend(now: CountSample | null, prev: CountSample | null): Trend {
  const perWeek = (s: CountSample) => (s.count / s.days) * 7;
  const previous = prev ? perWeek(prev) : null;
  if (!now) return none(previous, "no deployment data for this period");
  if (!prev) return none(previous, "no deployment data for the previous period");
  const n = now.count + prev.count;
  const delta = perWeek(now) - (previous as number);
  const relative = relativeOf(delta, previous as number);
  if (n === 0) {
    return {
      previous,
      delta,
      relative,
      direction: "flat",
      interval: null,
      note: "no deployments in either period",
    };
  }
  const share = wilson(now.count, n);
  const ratio = (p: number) => (p >= 1 ? null : (p / (1 - p)) * (prev.days / now.days));
  const high = ratio(share.high);
  const interval = { low: (ratio(share.low) as number) - 1, high: high === null ? null : high - 1 };
  const expected = now.days / (now.days + prev.days);
  const clear = share.low > expected || share.high < expected;
  return decide(
    "deploymentFrequency",
    { previous, delta, relative, interval },
    clear,
    `${n} deployments over both periods: the change is within what chance gives`,
  );
}

export interface RateSample {
  numerator: number;
  denominator: number;
}

/** Change failure or rework rate: Newcombe's hybrid score interval (his method 10) for p₁ − p₀. */
export function rateTrend(
  metric: "changeFailureRate" | "reworkRate",
  now: RateSample,
  prev: RateSample,
): Trend {
  const previous = prev.denominator === 0 ? null : prev.numerator / prev.denominator;
  if (now.denominator === 0) return none(previous, "no deployments in this period");
  if (previous === null) return none(previous, "no deployments in the previous period");
  const p1 = now.numerator / now.denominator;
  const w1 = wilson(now.numerator, now.denominator);
  const w0 = wilson(prev.numerator, prev.denominator);
  const delta = p1 - previous;
  const interval = {
    low: delta - Math.hypot(p1 - w1.low, w0.high - previous),
    high: delta + Math.hypot(w1.high - p1, previous - w0.low),
  };
  return decide(
    metric,
    { previous, delta, relative: relativeOf(delta, previous), interval },
    interval.low > 0 || interval.high < 0,
    `over ${now.denominator} and ${prev.denominator} deployments the change is within what chance gives`,
  );
}

export interface MedianSample {
  n: number;
  median: number | null;
  /** An upper percentile of the same sample (p75 for lead time, p90 for recovery), and which one (0.75, 0.9). */
  upper: number | null;
  q: number;
}

/** Seconds below 1 are taken as 1 so that the logarithm exists (a same-second recovery is rare and tiny). */
const ln = (seconds: number) => Math.log(Math.max(1, seconds));

/**
 * Standard error of the log median: 1 / (2 f √n), with the density f of log durations at the median estimated
 * from the spacing between the median and the upper percentile, (q − ½) / (ln upper − ln median). null when the
 * sample is too small or has no spread.
 */
export function logMedianSe(s: MedianSample): number | null {
  if (s.n < MIN_MEDIAN_SAMPLE || s.median === null || s.upper === null) return null;
  const spacing = ln(s.upper) - ln(s.median);
  if (!(spacing > 0)) return null;
  return spacing / (2 * (s.q - 0.5) * Math.sqrt(s.n));
}

/** Lead time or recovery time: the interval of the ratio of medians, as a relative change. */
export function medianTrend(
  metric: "changeLeadTime" | "recoveryTime",
  now: MedianSample,
  prev: MedianSample,
): Trend {
  const what = metric === "changeLeadTime" ? "changes" : "recovered failures";
  const previous = prev.median;
  if (now.median === null) return none(previous, `no ${what} in this period`);
  if (previous === null) return none(previous, `no ${what} in the previous period`);
  const delta = now.median - previous;
  const relative = relativeOf(delta, previous);
  const se1 = logMedianSe(now);
  const se0 = logMedianSe(prev);
  if (se1 === null || se0 === null) {
    const few = Math.min(now.n, prev.n) < MIN_MEDIAN_SAMPLE;
    // Too few: an equal median of two samples each says nothing about whether it held steady.
    const note = few
      ? `too few ${what} to tell: ${now.n} now and ${prev.n} before, where each period needs ${MIN_MEDIAN_SAMPLE}`
      : isSmall(metric, delta, relative)
        ? TOO_SMALL
        : `the ${what} have no spread to measure a change against`;
    return { previous, delta, relative, direction: "flat", interval: null, note };
  }
  const d = ln(now.median) - ln(previous);
  const half = Z95 * Math.hypot(se1, se0);
  const interval = { low: Math.exp(d - half) - 1, high: Math.exp(d + half) - 1 };
  return decide(
    metric,
    { previous, delta, relative, interval },
    interval.low > 0 || interval.high < 0,
    `over ${now.n} and ${prev.n} ${what} the change is within what chance gives`,
  );
}
