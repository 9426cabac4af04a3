"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { BreakdownBar } from "@/lib/charts/mappers";
import { AXIS, durationYAxis, formatHours } from "./axis";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

const STAGES = [
  { key: "coding", label: "Coding", color: "var(--stage-coding)" },
  { key: "pickup", label: "Pickup", color: "var(--stage-pickup)" },
  { key: "review", label: "Review", color: "var(--stage-review)" },
  { key: "deploy", label: "Deploy", color: "var(--stage-deploy)" },
] as const;

function Tip(props: TipProps<BreakdownBar>) {
  const p = hovered(props);
  if (!p) return null;
  const h = (v: number | null) => (v === null ? "–" : formatHours(v));
  return (
    <TipBox
      title={p.title}
      rows={[...STAGES.map((s): [string, string] => [s.label, h(p[s.key])]), ["Pull requests", p.prs]]}
    />
  );
}

/** Median of each stage per period, stacked (linear scale in one unit: the segments' lengths are comparable). */
export function BreakdownChart({ data, height = 200 }: { data: BreakdownBar[]; height?: number }) {
  const sums = data.map((d) => STAGES.reduce((n, s) => n + (d[s.key] ?? 0), 0));
  return (
    <ChartFrame height={height} label="Median coding, pickup, review and deploy time per period, stacked">
      <BarChart
        data={data}
        responsive
        style={{ width: "100%", height }}
        margin={{ top: 6, right: 6, bottom: 0, left: -6 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis {...durationYAxis(sums)} />
        <Tooltip content={<Tip />} cursor={{ fill: "var(--surface-2)" }} />
        {STAGES.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="stages"
            fill={s.color}
            radius={i === STAGES.length - 1 ? [3, 3, 0, 0] : undefined}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
