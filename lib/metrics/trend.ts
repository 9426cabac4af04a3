import { HIGHER_IS_BETTER, type MetricKey } from "./bands";

export interface Trend {
  previous: number | null;
  /** current − previous, in the metric's unit (a rate's change is in points: 0.05 = 5 pp). */
  delta: number | null;
  /** delta ÷ previous; null when the previous value is 0 or missing. */
  relative: number | null;
  direction: "better" | "worse" | "flat" | null;
}

/** A change under 2 % (relative) or half a percentage point (rates) is shown as flat. */
export function trend(metric: MetricKey, current: number | null, previous: number | null): Trend {
  if (current === null || previous === null)
    return { previous, delta: null, relative: null, direction: null };
  const delta = current - previous;
  const relative = previous === 0 ? null : delta / previous;
  const isRate = metric === "changeFailureRate" || metric === "reworkRate";
  const flat = isRate ? Math.abs(delta) < 0.005 : relative === null ? delta === 0 : Math.abs(relative) < 0.02;
  if (flat) return { previous, delta, relative, direction: "flat" };
  const up = delta > 0;
  return { previous, delta, relative, direction: up === HIGHER_IS_BETTER[metric] ? "better" : "worse" };
}
