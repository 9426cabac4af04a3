"use client";

import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { LeadTimePoint } from "@/lib/charts/mappers";
import { AXIS, durationYAxis, formatHours, MIN_HOURS } from "./axis";
import { type BucketChartProps, useBucketLinks } from "./bucket-links";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

type Row = LeadTimePoint & { m: number | null; b: [number, number] | null };

function Tip(props: TipProps<Row>) {
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

/** Median lead time with the p75–p90 band, on a log axis: lead times span minutes to months. */
export function LeadTimeChart({ data, height = 220, hrefs }: BucketChartProps<LeadTimePoint>) {
  const link = useBucketLinks(hrefs);
  const clamp = (v: number) => Math.max(v, MIN_HOURS);
  const rows: Row[] = data.map((d) => ({
    ...d,
    m: d.median === null ? null : clamp(d.median),
    b: d.band ? [clamp(d.band[0]), clamp(d.band[1])] : null,
  }));
  return (
    <ChartFrame
      height={height}
      label="Median change lead time per period, with the 75th to 90th percentile band"
    >
      <ComposedChart
        data={rows}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -6 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis {...durationYAxis(rows.flatMap((r) => [r.m, r.b?.[1] ?? null]))} />
        <Tooltip content={<Tip />} />
        <Area
          dataKey="b"
          name="p75–p90"
          stroke="none"
          fill="var(--series-1-soft)"
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="m"
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
