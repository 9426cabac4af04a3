"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { DeploymentBar } from "@/lib/charts/mappers";
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

export function DeploymentsChart({ data, height = 220, hrefs }: BucketChartProps<DeploymentBar>) {
  const link = useBucketLinks(hrefs);
  return (
    <ChartFrame height={height} label="Deployments per period, split into succeeded and failed">
      <BarChart
        data={data}
        responsive
        style={{ width: "100%", height, cursor: link.cursor }}
        onClick={link.onClick}
        margin={{ top: 6, right: 6, bottom: 0, left: -18 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis dataKey="label" {...AXIS} minTickGap={12} />
        <YAxis allowDecimals={false} {...AXIS} axisLine={false} width={44} />
        <Tooltip content={<Tip />} cursor={{ fill: "var(--surface-2)" }} />
        <Bar
          dataKey="succeeded"
          name="Succeeded"
          stackId="d"
          fill="var(--series-1)"
          isAnimationActive={false}
        />
        <Bar
          dataKey="failed"
          name="Failed"
          stackId="d"
          fill="var(--series-fail)"
          radius={[3, 3, 0, 0]}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartFrame>
  );
}
