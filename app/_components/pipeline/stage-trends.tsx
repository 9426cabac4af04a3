import type { StageTrend } from "@/lib/charts/pipeline";
import { ChartCard } from "../chart-card";
import { formatHours } from "../charts/axis";
import { StageTrendChart } from "../charts/stage-trend-chart";

/** A small chart per stage (median per period), with the numbers in "Show data" for screen readers and print. */
export function StageTrends({ trends }: { trends: StageTrend[] }) {
  const rows = (trends[0]?.points ?? []).map((p, i) => [
    p.label,
    ...trends.map((t) => {
      const v = t.points[i]?.hours ?? null;
      return v === null ? "–" : formatHours(v);
    }),
  ]);
  return (
    <ChartCard
      id="stage-trends"
      title="Trend per stage"
      subtitle="Median of each stage per period, each on its own scale. Gaps: no change had the stage then."
      columns={["Period", ...trends.map((t) => t.label)]}
      rows={rows}
    >
      <div className="stage-trends">
        {trends.map((t) => (
          <figure key={t.key} className="stage-trend" data-chart="stage-trend">
            <figcaption style={{ borderLeftColor: t.color }}>{t.label}</figcaption>
            <StageTrendChart data={t.points} color={t.color} label={t.label} />
          </figure>
        ))}
      </div>
    </ChartCard>
  );
}
