import { formatDuration } from "@/lib/format";

/**
 * Duration axes (values in hours), shared by the dashboard's Recharts charts and the report's own charts (PDF and
 * printable page), so both pick the same domain, ticks and unit. An axis is linear from zero and speaks ONE unit,
 * chosen from the data ("0 h, 6 h, 12 h, 18 h" or "0 d, 5 d, 10 d"): a log axis read "1 h, 1 d, 1 wk", mixing units
 * and making a short bar look like most of a long one (issue 15).
 */

export interface DurationUnit {
  short: "min" | "h" | "d";
  name: "minutes" | "hours" | "days";
  /** One unit in hours. */
  hours: number;
}

const MINUTES: DurationUnit = { short: "min", name: "minutes", hours: 1 / 60 };
const HOURS: DurationUnit = { short: "h", name: "hours", hours: 1 };
const DAYS: DurationUnit = { short: "d", name: "days", hours: 24 };

/** The unit an axis reaching `maxHours` speaks: minutes below 2 h, hours below 3 days, days beyond. */
export function durationUnit(maxHours: number): DurationUnit {
  if (maxHours < 2) return MINUTES;
  if (maxHours < 72) return HOURS;
  return DAYS;
}

/** A round step (1, 2, 2.5, 5 × 10^k) giving about four intervals up to `max`. */
export function niceStep(max: number, intervals = 4): number {
  const raw = max / intervals;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((f) => f * pow >= raw - 1e-12) ?? 10) * pow;
}

export interface DurationAxis {
  unit: DurationUnit;
  /** [0, top] in hours. */
  domain: [number, number];
  /** Tick positions in hours. */
  ticks: number[];
  /** A tick's label, always in the axis's unit: "12 h", "2.5 d". */
  label: (hours: number) => string;
}

/** A linear axis from zero that covers the data, in one unit with round steps. */
export function durationAxis(values: readonly (number | null)[]): DurationAxis {
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  // Nothing to show (the chart says so instead): an hour's axis rather than a degenerate one.
  const max = nums.length ? Math.max(0, ...nums) : 1;
  const unit = durationUnit(max);
  const inUnit = Math.max(max / unit.hours, 1);
  const step = niceStep(inUnit);
  const top = Math.ceil(inUnit / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; k * step <= top + 1e-9; k++) ticks.push(Number((k * step * unit.hours).toFixed(9)));
  return {
    unit,
    domain: [0, top * unit.hours],
    ticks,
    label: (h) => (h === 0 ? `0 ${unit.short}` : `${Number((h / unit.hours).toFixed(2))} ${unit.short}`),
  };
}

/** A single duration (tooltips, tables): "5.5 h", "3 d". */
export const formatHours = (h: number) => formatDuration(h * 3_600);
