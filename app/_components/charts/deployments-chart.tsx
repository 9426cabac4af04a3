"use client";

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { coverageNote, type DeploymentBar } from "@/lib/charts/mappers";
import type { Granularity } from "@/lib/metrics/period";
import { AXIS } from "./axis";
import { type BucketChartProps, useBucketLinks } from "./bucket-links";
import { ChartFrame } from "./chart-frame";
import { hovered, TipBox, type TipProps } from "./tooltip";

function Tip(props: TipProps<DeploymentBar>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.title}
      rows={[
        ["Deployments", p.total],
        ["Failed", p.failed],
        ["Rework", p.rework],
      ]}
    />
  );
}

/** Diagonal hatching in a series colour: a partial bucket's bar (lib/charts/mappers.ts, coverage()). */
function Hatch({ id, color }: { id: string; color: string }) {
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill={color} opacity={0.28} />
      <line x1="0" y1="0" x2="0" y2="6" stroke={color} strokeWidth="3" />
    </pattern>
  );
}

export function DeploymentsChart({
  data,
  height = 220,
  hrefs,
  granularity,
}: BucketChartProps<DeploymentBar> & { granularity: Granularity }) {
  const link = useBucketLinks(hrefs);
  const fill = (d: DeploymentBar, whole: string, hatch: string) => (d.partial ? `url(#${hatch})` : whole);
  const partial = data.filter((d) => d.partial);
  const label =
    "Deployments per period, split into succeeded and failed" +
    (partial.length
      ? `; hatched bars are partial: ${partial.map((d) => `${d.label}, ${d.partial ? coverageNote(d.partial, granularity) : ""}`).join("; ")}`
      : "");
  return (
    <ChartFrame height={height} label={label}>
      <BarChart
        data={data}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -18 }}
      >
        <defs>
          <Hatch id="hatch-deployments" color="var(--series-1)" />
          <Hatch id="hatch-failed" color="var(--series-fail)" />
        </defs>
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis allowDecimals={false} {...AXIS} axisLine={false} width={44} />
        <Tooltip content={<Tip />} cursor={{ fill: "var(--surface-2)" }} />
        <Bar dataKey="succeeded" name="Succeeded" stackId="d" isAnimationActive={false}>
          {data.map((d) => (
            <Cell
              key={d.label}
              fill={fill(d, "var(--series-1)", "hatch-deployments")}
              data-partial={d.partial ? "true" : undefined}
            />
          ))}
        </Bar>
        <Bar dataKey="failed" name="Failed" stackId="d" radius={[3, 3, 0, 0]} isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.label} fill={fill(d, "var(--series-fail)", "hatch-failed")} />
          ))}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
