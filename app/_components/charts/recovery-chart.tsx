"use client";

import { CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { RecoveryPoint } from "@/lib/charts/mappers";
import { AXIS, durationYAxis, formatHours } from "./axis";
import { type BucketChartProps, useBucketLinks } from "./bucket-links";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

function Tip(props: TipProps<RecoveryPoint>) {
  const p = hovered(props);
  if (!p) return null;
  const h = (v: number | null) => (v === null ? "–" : formatHours(v));
  return (
    <TipBox
      title={p.title}
      rows={[
        ["Median recovery", h(p.median)],
        ["p90", h(p.p90)],
        ["Recovered failures", p.recovered],
      ]}
    />
  );
}

/**
 * Median and p90 recovery per bucket as points joined by lines, on a linear axis in one unit: a duration is a
 * position, not a quantity to stack, and a bar on a log axis made a short recovery look long (issue 15).
 */
export function RecoveryChart({ data, height = 220, hrefs }: BucketChartProps<RecoveryPoint>) {
  const link = useBucketLinks(hrefs);
  return (
    <ChartFrame height={height} label="Median and 90th percentile failed-deployment recovery time per period">
      <ComposedChart
        data={data}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -6 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis {...durationYAxis(data.flatMap((r) => [r.median, r.p90]))} />
        <Tooltip content={<Tip />} />
        <Line
          dataKey="p90"
          name="p90"
          stroke="var(--series-2-soft)"
          strokeWidth={1.5}
          strokeDasharray="4 3"
          dot={{ r: 2.5, fill: "var(--series-2-soft)" }}
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="median"
          name="Median recovery"
          stroke="var(--series-2)"
          strokeWidth={2}
          dot={{ r: 3, fill: "var(--series-2)" }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
