"use client";

import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { LeadTimePoint } from "@/lib/charts/mappers";
import { AXIS, durationYAxis, formatHours } from "./axis";
import { type BucketChartProps, useBucketLinks } from "./bucket-links";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

function Tip(props: TipProps<LeadTimePoint>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.title}
      rows={[
        ["Median", p.median === null ? "–" : formatHours(p.median)],
        ["p75 – p90", p.band ? `${formatHours(p.band[0])} – ${formatHours(p.band[1])}` : "–"],
        ["Changes", p.changes],
      ]}
    />
  );
}

/** Median lead time with the p75–p90 band, on a linear axis in one unit (lib/charts/axis.ts). */
export function LeadTimeChart({ data, height = 220, hrefs }: BucketChartProps<LeadTimePoint>) {
  const link = useBucketLinks(hrefs);
  return (
    <ChartFrame
      height={height}
      label="Median change lead time per period, with the 75th to 90th percentile band"
    >
      <ComposedChart
        data={data}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -6 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis {...durationYAxis(data.flatMap((r) => [r.median, r.band?.[1] ?? null]))} />
        <Tooltip content={<Tip />} />
        <Area
          dataKey="band"
          name="p75–p90"
          stroke="none"
          fill="var(--series-1-soft)"
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="median"
          name="Median"
          stroke="var(--series-1)"
          strokeWidth={2}
          dot={{ r: 2.5 }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
