import { durationAxis, formatHourTick } from "@/lib/charts/axis";

// The log-scale logic lives in lib/charts/axis.ts: the report's PDF and printable charts use it too.
export { durationAxis, formatHours, formatHourTick, MIN_HOURS } from "@/lib/charts/axis";

/** Shared axis styling. */
export const AXIS = {
  stroke: "var(--border-strong)",
  tick: { fill: "var(--text-3)", fontSize: 11 },
  tickLine: false,
};

/** Props of a log-scale duration Y axis (hours) covering `values`. */
export function durationYAxis(values: (number | null)[]) {
  const axis = durationAxis(values);
  return {
    scale: "log" as const,
    domain: axis.domain,
    ticks: axis.ticks,
    tickFormatter: formatHourTick,
    allowDataOverflow: true,
    ...AXIS,
    axisLine: false,
    width: 60,
  };
}
