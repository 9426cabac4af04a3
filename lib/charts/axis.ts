import { formatDuration } from "@/lib/format";

/**
 * Log-scale duration axes (hours), shared by the dashboard's Recharts charts and the report's own charts (PDF and
 * printable page), so both pick the same domain and the same round tick names.
 */

/** Log-axis ticks (hours) and their round names: "30 d", not "4.3 wk". */
const TICK_LABELS = new Map<number, string>([
  [1 / 60, "1 min"],
  [10 / 60, "10 min"],
  [1, "1 h"],
  [6, "6 h"],
  [24, "1 d"],
  [72, "3 d"],
  [168, "1 wk"],
  [720, "30 d"],
  [2_160, "90 d"],
  [8_760, "1 yr"],
]);
const HOUR_TICKS = [...TICK_LABELS.keys()];
export const MIN_HOURS = 1 / 60;

/** Log-axis domain and ticks that cover the data (durations span minutes to months). */
export function durationAxis(values: (number | null)[]): { domain: [number, number]; ticks: number[] } {
  const nums = values.filter((v): v is number => v !== null).map((v) => Math.max(v, MIN_HOURS));
  if (nums.length === 0) return { domain: [1, 24], ticks: [1, 6, 24] };
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const below = HOUR_TICKS.filter((t) => t <= lo).at(-1) ?? HOUR_TICKS[0] ?? MIN_HOURS;
  const above = HOUR_TICKS.find((t) => t >= hi) ?? hi;
  const ticks = HOUR_TICKS.filter((t) => t >= below && t <= above);
  return { domain: [below, above], ticks };
}

export const formatHours = (h: number) => formatDuration(h * 3_600);

/** Axis tick labels: round names on the log axis, no unit on zero. */
export const formatHourTick = (h: number) => TICK_LABELS.get(h) ?? (h === 0 ? "0" : formatHours(h));
