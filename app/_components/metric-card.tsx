import Link from "next/link";
import type { ReactNode } from "react";
import type { Band } from "@/lib/metrics/bands";
import type { Trend } from "@/lib/metrics/trend";
import { BandChip } from "./band";
import { TrendText } from "./trend";

export interface MetricCardProps {
  id: string;
  title: string;
  definition: string;
  value: string;
  unit?: string;
  /** The sample behind the number: "from 54 deployments". */
  sample: ReactNode;
  detail?: ReactNode;
  band: Band | null;
  trend: Trend;
  isRate: boolean;
  periodDays: number;
  /** The rows behind the number (lib/web/rows-link.ts): the value and its sample link there. */
  href?: string;
}

export function MetricCard(p: MetricCardProps) {
  return (
    <section className="card card-pad metric" aria-labelledby={`${p.id}-title`} data-metric={p.id}>
      <div className="metric-title">
        <h2 id={`${p.id}-title`} style={{ fontSize: "inherit", fontWeight: "inherit" }}>
          {p.title}
        </h2>
        <span className="info-wrap">
          <button type="button" className="info" aria-describedby={`${p.id}-def`}>
            ?
          </button>
          <span className="tip" role="tooltip" id={`${p.id}-def`}>
            {p.definition}
          </span>
        </span>
      </div>
      <div className="metric-value" data-testid={`${p.id}-value`}>
        {p.href ? (
          <Link
            href={p.href}
            className="metric-link"
            aria-label={`${p.title}: ${p.value}${p.unit ? ` ${p.unit}` : ""}, show the rows`}
          >
            {p.value}
            {p.unit ? <span className="unit">{p.unit}</span> : null}
          </Link>
        ) : (
          <>
            {p.value}
            {p.unit ? <span className="unit">{p.unit}</span> : null}
          </>
        )}
      </div>
      <div className="metric-sub">
        {p.href ? (
          <Link href={p.href} data-testid={`${p.id}-rows`}>
            {p.sample}
          </Link>
        ) : (
          p.sample
        )}
      </div>
      {p.detail ? <div className="metric-sub">{p.detail}</div> : null}
      <div className="metric-foot">
        <BandChip band={p.band} />
        <TrendText trend={p.trend} isRate={p.isRate} days={p.periodDays} />
      </div>
    </section>
  );
}
