"use client";

import { PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart, Tooltip } from "recharts";
import type { RadarPoint } from "@/lib/calms/mappers";
import { formatScore } from "@/lib/calms/mappers";
import { ChartFrame } from "../../_components/charts/chart-frame";
import { hovered, TipBox, type TipProps } from "../../_components/charts/tooltip";

function Tip(props: TipProps<RadarPoint>) {
  const p = hovered(props);
  if (!p) return null;
  return (
    <TipBox
      title={p.dimension}
      rows={[
        ["This team", formatScore(p.team)],
        ["Organisation", formatScore(p.org)],
      ]}
    />
  );
}

/** The five dimensions (0–10), the team against the organisation figure of the same round. */
export function CalmsRadar({ data, height = 320 }: { data: RadarPoint[]; height?: number }) {
  return (
    <ChartFrame
      height={height}
      label="Radar chart of the five CALMS dimensions, the team against the organisation"
    >
      <RadarChart data={data} responsive style={{ width: "100%", height }} outerRadius="76%">
        <PolarGrid stroke="var(--border)" />
        <PolarAngleAxis dataKey="dimension" tick={{ fill: "var(--text-2)", fontSize: 12 }} />
        <PolarRadiusAxis
          domain={[0, 10]}
          tickCount={6}
          angle={54}
          tick={{ fill: "var(--text-3)", fontSize: 10 }}
        />
        <Tooltip content={<Tip />} />
        <Radar
          dataKey="org"
          name="Organisation"
          stroke="var(--text-3)"
          strokeDasharray="4 3"
          fill="var(--text-3)"
          fillOpacity={0.06}
          // A withheld organisation dimension has no value: the shape skips it rather than drawing it at 0.
          connectNulls
          isAnimationActive={false}
        />
        <Radar
          dataKey="team"
          name="This team"
          stroke="var(--series-1)"
          strokeWidth={2}
          fill="var(--series-1)"
          fillOpacity={0.2}
          dot={{ r: 3 }}
          connectNulls
          isAnimationActive={false}
        />
      </RadarChart>
    </ChartFrame>
  );
}
