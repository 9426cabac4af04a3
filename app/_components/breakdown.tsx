import { toBreakdownBars, toBreakdownSegments } from "@/lib/charts/mappers";
import { formatCount, formatDuration } from "@/lib/format";
import type { BreakdownPoint } from "@/lib/metrics/dashboard";
import type { Granularity } from "@/lib/metrics/period";
import type { BreakdownStats } from "@/lib/metrics/queries";
import { BreakdownChart } from "./charts/breakdown-chart";

const COLORS = {
  coding: "var(--stage-coding)",
  pickup: "var(--stage-pickup)",
  review: "var(--stage-review)",
  deploy: "var(--stage-deploy)",
} as const;

/** The PR-based lead-time breakdown: where the time goes between first commit and production. */
export function Breakdown({
  stats,
  series,
  granularity,
}: {
  stats: BreakdownStats;
  series: BreakdownPoint[];
  granularity: Granularity;
}) {
  const bars = toBreakdownBars(series, granularity);
  const segments = toBreakdownSegments(stats);
  if (stats.prs === 0) {
    return (
      <section className="card card-pad chart-card" aria-labelledby="breakdown-title">
        <header>
          <h2 id="breakdown-title">Where lead time goes</h2>
        </header>
        <div className="empty-chart" style={{ height: 120 }}>
          No pull request reached production in this period.
        </div>
      </section>
    );
  }
  return (
    <section className="card card-pad chart-card" aria-labelledby="breakdown-title" data-chart="breakdown">
      <header>
        <div>
          <h2 id="breakdown-title">Where lead time goes</h2>
          <p>
            Median of each stage over {formatCount(stats.prs, "pull request")} first shipped in the period
            {stats.unreviewed
              ? ` (${stats.unreviewed} merged without review: no pickup or review stage)`
              : ""}
            .
          </p>
        </div>
      </header>
      <div
        className="pipeline"
        role="img"
        aria-label={segments.map((s) => `${s.label} ${formatDuration(s.seconds)}`).join(", ")}
      >
        {segments.map((s) => (
          <span
            key={s.key}
            style={{ width: `${(s.share * 100).toFixed(2)}%`, background: COLORS[s.key] }}
            title={`${s.label}: ${formatDuration(s.seconds)}`}
          />
        ))}
      </div>
      <div className="stages">
        {segments.map((s) => (
          <div key={s.key} className="stage" style={{ borderColor: COLORS[s.key] }}>
            <b>{formatDuration(s.seconds)}</b>
            <span>
              {s.label}: {s.help}
            </span>
          </div>
        ))}
      </div>
      <BreakdownChart data={bars} />
      <details className="data">
        <summary>Show data</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Pull requests
                </th>
                <th scope="col" className="num">
                  Coding
                </th>
                <th scope="col" className="num">
                  Pickup
                </th>
                <th scope="col" className="num">
                  Review
                </th>
                <th scope="col" className="num">
                  Deploy
                </th>
              </tr>
            </thead>
            <tbody>
              {series.map((p, i) => (
                <tr key={p.bucket}>
                  <td>{bars[i]?.title}</td>
                  <td className="num">{p.prs}</td>
                  <td className="num">{formatDuration(p.codingP50)}</td>
                  <td className="num">{formatDuration(p.pickupP50)}</td>
                  <td className="num">{formatDuration(p.reviewP50)}</td>
                  <td className="num">{formatDuration(p.deployP50)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <p className="small muted" style={{ margin: 0 }}>
        Median PR lead time, first commit to production: <strong>{formatDuration(stats.totalP50)}</strong>.
        Stage medians need not add up to it. The headline lead time above is per change (commit), as DORA
        defines it.
      </p>
    </section>
  );
}
