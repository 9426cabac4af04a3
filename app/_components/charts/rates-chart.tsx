"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { RatePoint } from "@/lib/charts/mappers";
import { AXIS } from "./axis";
import { type BucketChartProps, useBucketLinks } from "./bucket-links";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

function Tip(props: TipProps<RatePoint>) {
  const p = hovered(props);
  if (!p) return null;
  const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)}%`);
  return (
    <TipBox
      title={p.title}
      rows={[
        ["Change failure rate", `${pct(p.changeFailure)} (${p.failed}/${p.deployments})`],
        ["Rework rate", `${pct(p.rework)} (${p.reworkCount}/${p.deployments})`],
      ]}
    />
  );
}

/** Both rates as points joined by lines (as in the PDF): a rate is a proportion, not a quantity to stack. */
export function RatesChart({ data, height = 220, hrefs }: BucketChartProps<RatePoint>) {
  const link = useBucketLinks(hrefs);
  const max = Math.max(10, ...data.flatMap((d) => [d.changeFailure ?? 0, d.rework ?? 0]));
  const top = Math.min(100, Math.ceil(max / 10) * 10);
  return (
    <ChartFrame height={height} label="Change failure rate and rework rate per period, in percent">
      <LineChart
        data={data}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -14 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis
          domain={[0, top]}
          tickFormatter={(v: number) => `${v}%`}
          {...AXIS}
          axisLine={false}
          width={46}
        />
        <Tooltip content={<Tip />} />
        {/* Failure first and larger, rework on top and smaller: equal values stay visible as a dot in a ring. */}
        <Line
          dataKey="changeFailure"
          name="Change failure rate"
          stroke="var(--series-fail)"
          strokeWidth={2}
          dot={{ r: 3.5, fill: "var(--series-fail)" }}
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="rework"
          name="Rework rate"
          stroke="var(--series-rework)"
          strokeWidth={2}
          dot={{ r: 2, fill: "var(--series-rework)" }}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}
