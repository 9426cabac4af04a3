"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { RecoveryPoint } from "@/lib/charts/mappers";
import { AXIS, durationYAxis, formatHours, MIN_HOURS } from "./axis";
import { type BucketChartProps, useBucketLinks } from "./bucket-links";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

type Row = RecoveryPoint & { m: number | null };

function Tip(props: TipProps<Row>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.title}
      rows={[
        ["Median recovery", p.median === null ? "–" : formatHours(p.median)],
        ["Recovered failures", p.recovered],
      ]}
    />
  );
}

export function RecoveryChart({ data, height = 220, hrefs }: BucketChartProps<RecoveryPoint>) {
  const link = useBucketLinks(hrefs);
  const rows: Row[] = data.map((d) => ({
    ...d,
    m: d.median === null ? null : Math.max(d.median, MIN_HOURS),
  }));
  return (
    <ChartFrame height={height} label="Median failed-deployment recovery time per period">
      <BarChart
        data={rows}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -6 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis {...durationYAxis(rows.map((r) => r.m))} />
        <Tooltip content={<Tip />} cursor={{ fill: "var(--surface-2)" }} />
        <Bar
          dataKey="m"
          name="Median recovery"
          fill="var(--series-2)"
          radius={[3, 3, 0, 0]}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartFrame>
  );
}
