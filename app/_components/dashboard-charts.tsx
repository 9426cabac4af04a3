import { toDeploymentBars, toLeadTimePoints, toRatePoints, toRecoveryPoints } from "@/lib/charts/mappers";
import { formatDuration, formatPercent } from "@/lib/format";
import type { Dashboard } from "@/lib/metrics/dashboard";
import { ChartCard } from "./chart-card";
import { DeploymentsChart } from "./charts/deployments-chart";
import { LeadTimeChart } from "./charts/lead-time-chart";
import { RatesChart } from "./charts/rates-chart";
import { RecoveryChart } from "./charts/recovery-chart";

const PER = { day: "day", week: "week", month: "month" } as const;

/** The four trend charts of a dashboard, each with its data table. */
export function DashboardCharts({ dashboard }: { dashboard: Dashboard }) {
  const g = dashboard.granularity;
  const bars = toDeploymentBars(dashboard.series, g);
  const lead = toLeadTimePoints(dashboard.series, g);
  const rates = toRatePoints(dashboard.series, g);
  const recovery = toRecoveryPoints(dashboard.series, g);
  return (
    <div className="grid grid-2">
      <ChartCard
        id="chart-deployments"
        title="Deployments"
        subtitle={`Per ${PER[g]}; failed = needed remediation`}
        legend={[
          { label: "Succeeded", color: "var(--series-1)" },
          { label: "Failed", color: "var(--series-fail)" },
        ]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Deployments", "Failed", "Rework"]}
        rows={bars.map((b) => [b.title, b.total, b.failed, b.rework])}
      >
        <DeploymentsChart data={bars} />
      </ChartCard>
      <ChartCard
        id="chart-lead-time"
        title="Change lead time"
        subtitle={`Median per ${PER[g]}, with the p75–p90 band (log scale)`}
        legend={[
          { label: "Median", color: "var(--series-1)" },
          { label: "p75–p90", color: "var(--series-1-soft)" },
        ]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Changes", "Median", "p75", "p90"]}
        rows={dashboard.series.map((p, i) => [
          bars[i]?.title ?? p.bucket,
          p.changes,
          formatDuration(p.leadTimeP50),
          formatDuration(p.leadTimeP75),
          formatDuration(p.leadTimeP90),
        ])}
      >
        <LeadTimeChart data={lead} />
      </ChartCard>
      <ChartCard
        id="chart-rates"
        title="Change failure and rework rate"
        subtitle={`Per ${PER[g]}; empty where nothing was deployed`}
        legend={[
          { label: "Change failure rate", color: "var(--series-fail)" },
          { label: "Rework rate", color: "var(--series-rework)" },
        ]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Deployments", "Failure rate", "Rework rate"]}
        rows={rates.map((r) => [
          r.title,
          r.deployments,
          formatPercent(r.changeFailure === null ? null : r.changeFailure / 100),
          formatPercent(r.rework === null ? null : r.rework / 100),
        ])}
      >
        <RatesChart data={rates} />
      </ChartCard>
      <ChartCard
        id="chart-recovery"
        title="Failed deployment recovery time"
        subtitle={`Median per ${PER[g]} of the failure (log scale)`}
        legend={[{ label: "Median recovery", color: "var(--series-2)" }]}
        columns={[PER[g][0]?.toUpperCase() + PER[g].slice(1), "Recovered failures", "Median"]}
        rows={recovery.map((r, i) => [
          r.title,
          r.recovered,
          formatDuration(dashboard.series[i]?.recoveryP50 ?? null),
        ])}
      >
        <RecoveryChart data={recovery} />
      </ChartCard>
    </div>
  );
}
