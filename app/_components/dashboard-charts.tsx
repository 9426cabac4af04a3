import Link from "next/link";
import type { ReactNode } from "react";
import {
  partialNote,
  toDeploymentBars,
  toLeadTimePoints,
  toRatePoints,
  toRecoveryPoints,
} from "@/lib/charts/mappers";
import type { OutcomeFilter } from "@/lib/deployments";
import { formatDuration, formatPercent } from "@/lib/format";
import type { Dashboard } from "@/lib/metrics/dashboard";
import { bucketRange } from "@/lib/metrics/period";
import type { Filters } from "@/lib/web/filters";
import { rowsHref } from "@/lib/web/rows-link";
import { ChartCard } from "./chart-card";
import { DeploymentsChart } from "./charts/deployments-chart";
import { LeadTimeChart } from "./charts/lead-time-chart";
import { RatesChart } from "./charts/rates-chart";
import { RecoveryChart } from "./charts/recovery-chart";

const PER = { day: "day", week: "week", month: "month" } as const;

/** A number in a data table that opens its rows. */
function Rows({ href, children }: { href: string | undefined; children: ReactNode }) {
  return href ? <Link href={href}>{children}</Link> : children;
}

/**
 * The four trend charts of a dashboard, each with its data table. With `links`, every bar and point, and every
 * number of the tables, opens the deployments behind it (lib/web/rows-link.ts).
 */
export function DashboardCharts({
  dashboard,
  links,
  now = new Date(),
}: {
  dashboard: Dashboard;
  links?: { filters: Filters; team: string | null };
  /** The request's instant: a bucket holding today (in the org's time zone) is marked as in progress. */
  now?: Date;
}) {
  const g = dashboard.granularity;
  const clock = { zone: dashboard.timeZone, now, periodTo: dashboard.period.to };
  const bars = toDeploymentBars(dashboard.series, g, clock);
  const lead = toLeadTimePoints(dashboard.series, g, clock);
  const rates = toRatePoints(dashboard.series, g, clock);
  const recovery = toRecoveryPoints(dashboard.series, g, clock);
  const partial = partialNote(bars, g);
  const hrefs = (outcome: OutcomeFilter) =>
    links
      ? dashboard.series.map((p) =>
          rowsHref({ ...links, outcome, range: bucketRange(p.bucket, g, dashboard.period) }),
        )
      : undefined;
  const counted = hrefs("counted");
  const failed = hrefs("failed");
  const rework = hrefs("rework");
  const recovered = hrefs("recovered");
  const sum = (f: (p: Dashboard["series"][number]) => number) =>
    dashboard.series.reduce((n, p) => n + f(p), 0);
  const noDeployments =
    sum((p) => p.deployments) === 0 ? "No deployment in this period: nothing to draw." : null;
  return (
    <div className="grid grid-2">
      <ChartCard
        id="chart-deployments"
        empty={noDeployments}
        title="Deployments"
        subtitle={`Per ${PER[g]}; failed = needed remediation`}
        legend={[
          { label: "Succeeded", color: "var(--series-1)" },
          { label: "Failed", color: "var(--series-fail)" },
          ...(partial ? [{ label: `Partial ${PER[g]}`, color: "var(--series-1)", hatched: true }] : []),
        ]}
        note={partial}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Deployments", "Failed", "Rework"]}
        rows={bars.map((b, i) => [
          b.title,
          <Rows key="d" href={counted?.[i]}>
            {b.total}
          </Rows>,
          <Rows key="f" href={failed?.[i]}>
            {b.failed}
          </Rows>,
          <Rows key="r" href={rework?.[i]}>
            {b.rework}
          </Rows>,
        ])}
      >
        <DeploymentsChart data={bars} hrefs={counted} granularity={g} />
      </ChartCard>
      <ChartCard
        id="chart-lead-time"
        empty={
          sum((p) => p.changes) === 0
            ? "No change reached production in this period: no lead time to draw."
            : null
        }
        title="Change lead time"
        subtitle={`Median per ${PER[g]}, with the p75–p90 band`}
        legend={[
          { label: "Median", color: "var(--series-1)" },
          { label: "p75–p90", color: "var(--series-1-soft)" },
        ]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Changes", "Median", "p75", "p90"]}
        rows={dashboard.series.map((p, i) => [
          bars[i]?.title ?? p.bucket,
          <Rows key="c" href={counted?.[i]}>
            {p.changes}
          </Rows>,
          formatDuration(p.leadTimeP50),
          formatDuration(p.leadTimeP75),
          formatDuration(p.leadTimeP90),
        ])}
      >
        <LeadTimeChart data={lead} hrefs={counted} />
      </ChartCard>
      <ChartCard
        id="chart-rates"
        empty={noDeployments}
        title="Change failure and rework rate"
        subtitle={`Per ${PER[g]}; empty where nothing was deployed`}
        legend={[
          { label: "Change failure rate", color: "var(--series-fail)" },
          { label: "Rework rate", color: "var(--series-rework)" },
        ]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Deployments", "Failure rate", "Rework rate"]}
        rows={rates.map((r, i) => [
          r.title,
          <Rows key="d" href={counted?.[i]}>
            {r.deployments}
          </Rows>,
          formatPercent(r.changeFailure === null ? null : r.changeFailure / 100),
          formatPercent(r.rework === null ? null : r.rework / 100),
        ])}
      >
        <RatesChart data={rates} hrefs={failed} />
      </ChartCard>
      <ChartCard
        id="chart-recovery"
        empty={
          sum((p) => p.recovered) === 0
            ? "No failed deployment recovered in this period: nothing to draw."
            : null
        }
        title="Failed deployment recovery time"
        subtitle={`Median and p90 per ${PER[g]} of the failure`}
        legend={[
          { label: "Median", color: "var(--series-2)" },
          { label: "p90", color: "var(--series-2-soft)" },
        ]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Recovered failures", "Median", "p90"]}
        rows={recovery.map((r, i) => [
          r.title,
          <Rows key="r" href={recovered?.[i]}>
            {r.recovered}
          </Rows>,
          formatDuration(dashboard.series[i]?.recoveryP50 ?? null),
          formatDuration(dashboard.series[i]?.recoveryP90 ?? null),
        ])}
      >
        <RecoveryChart data={recovery} hrefs={recovered} />
      </ChartCard>
    </div>
  );
}
