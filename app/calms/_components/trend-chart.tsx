"use client";

import { CartesianGrid, ComposedChart, Line, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";
import type { TrendBand, TrendChartPoint } from "@/lib/calms/mappers";
import { formatScore } from "@/lib/calms/mappers";
import { AXIS } from "../../_components/charts/axis";
import { ChartFrame } from "../../_components/charts/chart-frame";
import { hovered, TipBox, type TipProps } from "../../_components/charts/tooltip";

function Tip(props: TipProps<TrendChartPoint>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.title}
      rows={
        p.hidden
          ? [["Answers", `${p.n} (results hidden)`]]
          : [
              ["Score", formatScore(p.score)],
              ["95% interval", p.ci === null ? "–" : `± ${formatScore(p.ci)}`],
              ["Answers", p.n],
            ]
      }
    />
  );
}

/**
 * One dimension across rounds: the score per round, and shaded between two rounds the "no clear change" band (the
 * earlier score ± the noise margin for those n). A point inside the band is not a clear change.
 */
export function TrendChart(props: {
  label: string;
  points: TrendChartPoint[];
  bands: TrendBand[];
  height?: number;
}) {
  const height = props.height ?? 170;
  return (
    <ChartFrame
      height={height}
      label={`${props.label} score per round, 0 to 10, with the no-clear-change band`}
    >
      <ComposedChart
        data={props.points}
        responsive
        style={{ width: "100%", height }}
        margin={{ top: 8, right: 8, bottom: 0, left: -14 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="label"
          {...AXIS}
          interval={0}
          padding={{ left: 28, right: 28 }}
          tickFormatter={(_, index) => props.points[index]?.tick ?? ""}
        />
        <YAxis domain={[0, 10]} ticks={[0, 5, 10]} {...AXIS} axisLine={false} width={36} />
        {props.bands.map((b) => (
          <ReferenceArea
            key={`${b.from}-${b.to}`}
            x1={b.from}
            x2={b.to}
            y1={b.low}
            y2={b.high}
            fill="var(--series-1)"
            fillOpacity={0.1}
            stroke="none"
            ifOverflow="hidden"
          />
        ))}
        <Tooltip content={<Tip />} cursor={{ stroke: "var(--border-strong)" }} />
        <Line
          dataKey="score"
          name="Score"
          stroke="var(--series-1)"
          strokeWidth={2}
          dot={{ r: 3.5 }}
          connectNulls
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
