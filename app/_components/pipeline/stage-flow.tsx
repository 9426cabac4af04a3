import Link from "next/link";
import type { FlowStep } from "@/lib/charts/pipeline";
import { formatCount, formatDuration, formatPercent } from "@/lib/format";
import { TrendText } from "../trend";

/**
 * The pipeline as a flow: one bar whose segments are each stage's share of all lead time, then a box per stage in
 * order (median, p90, share, trend) linking to the changes behind it, then time to restore for failures.
 */
export function StageFlow({
  steps,
  changes,
  total,
  restore,
  days,
  href,
}: {
  steps: FlowStep[];
  changes: number;
  total: { median: number | null; p90: number | null };
  restore: { median: number | null; p90: number | null; recovered: number; unrecovered: number };
  days: number;
  href: (stage: string) => string;
}) {
  return (
    <section className="card card-pad" aria-labelledby="flow-title" data-testid="stage-flow">
      <div className="section-head">
        <div>
          <h2 id="flow-title">Where the time goes, stage by stage</h2>
          <p className="small muted" style={{ margin: 0 }}>
            {formatCount(changes, "pull request")} first shipped in the period: median{" "}
            <strong>{formatDuration(total.median)}</strong> from first commit to production (p90{" "}
            {formatDuration(total.p90)}). Bar widths are each stage's share of all that time; medians of
            stages do not add up to the median total.
          </p>
        </div>
      </div>
      <div
        className="pipeline flow-bar"
        role="img"
        aria-label={steps.map((s) => `${s.label} ${formatPercent(s.share, 0)} of lead time`).join(", ")}
      >
        {steps
          .filter((s) => s.width > 0)
          .map((s) => (
            <span key={s.key} style={{ width: `${s.width}%`, background: s.color }} title={s.label} />
          ))}
      </div>
      <ol className="flow">
        {steps.map((s) => (
          <li key={s.key} className="flow-step" style={{ borderTopColor: s.color }} data-stage={s.key}>
            <Link href={href(s.key)} className="flow-link">
              <span className="flow-label">{s.label}</span>
              <b className="flow-median">{formatDuration(s.median)}</b>
              <span className="flow-meta">
                p90 {formatDuration(s.p90)} · {formatPercent(s.share, 0)} of lead time
              </span>
              <span className="flow-meta">
                {s.help} · {formatCount(s.n, "change")}
              </span>
            </Link>
            <TrendText trend={s.trend} isRate={false} days={days} />
          </li>
        ))}
        <li className="flow-step flow-restore" data-stage="restore">
          <span className="flow-label">When a deployment fails: time to restore</span>
          <b className="flow-median">{formatDuration(restore.median)}</b>
          <span className="flow-meta">
            p90 {formatDuration(restore.p90)} · {formatCount(restore.recovered, "recovered failure")}
            {restore.unrecovered ? `, ${restore.unrecovered} not yet` : ""}
          </span>
        </li>
      </ol>
    </section>
  );
}
