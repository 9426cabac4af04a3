"use client";

import { Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { StageTrendPoint } from "@/lib/charts/pipeline";
import { AXIS, durationYAxis, formatHours } from "./axis";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

function Tip(props: TipProps<StageTrendPoint>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.label}
      rows={[
        ["Median", p.hours === null ? "–" : formatHours(p.hours)],
        ["Changes", p.changes],
      ]}
    />
  );
}

/** One stage's median per period: a small multiple, so each stage's trend reads on its own scale. */
export function StageTrendChart({
  data,
  color,
  label,
  height = 96,
}: {
  data: StageTrendPoint[];
  color: string;
  label: string;
  height?: number;
}) {
  return (
    <ChartFrame height={height} label={`Median ${label.toLowerCase()} per period`}>
      <LineChart
        data={data}
        responsive
        style={{ width: "100%", height }}
        margin={{ top: 6, right: 6, bottom: 0, left: 0 }}
      >
        <XAxis dataKey="label" {...AXIS} minTickGap={24} />
        <YAxis {...durationYAxis(data.map((d) => d.hours))} />
        <Tooltip content={<Tip />} />
        <Line
          dataKey="hours"
          stroke={color}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}
