import { durationAxis } from "@/lib/charts/axis";

// The duration axis lives in lib/charts/axis.ts: the report's PDF and printable charts use it too.
export { formatHours } from "@/lib/charts/axis";

/** Shared axis styling. */
export const AXIS = {
  stroke: "var(--border-strong)",
  tick: { fill: "var(--text-3)", fontSize: 11 },
  tickLine: false,
};

/** Props of a linear duration Y axis (values in hours) covering `values`, labelled in one unit ("6 h", "12 h"). */
export function durationYAxis(values: (number | null)[]) {
  const axis = durationAxis(values);
  return {
    domain: axis.domain,
    ticks: axis.ticks,
    tickFormatter: axis.label,
    allowDataOverflow: true,
    ...AXIS,
    axisLine: false,
    width: 56,
  };
}
