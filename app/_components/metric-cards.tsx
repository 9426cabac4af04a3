import { formatCount, formatDuration, formatFrequency, formatPercent } from "@/lib/format";
import type { Dashboard } from "@/lib/metrics/dashboard";
import { DEFINITIONS } from "@/lib/metrics/definitions";
import type { CardLinks } from "@/lib/web/rows-link";
import { MetricCard } from "./metric-card";

/** "1.4 / week" → ["1.4", "/ week"]; "13 h" → ["13", "h"]. */
function split(formatted: string): [string, string | undefined] {
  const i = formatted.indexOf(" ");
  return i < 0 ? [formatted, undefined] : [formatted.slice(0, i), formatted.slice(i + 1)];
}

export function MetricCards({
  metrics,
  days,
  links,
}: {
  metrics: Dashboard["metrics"];
  days: number;
  links?: CardLinks;
}) {
  const df = metrics.deploymentFrequency;
  const lt = metrics.changeLeadTime;
  const cfr = metrics.changeFailureRate;
  const rec = metrics.recoveryTime;
  const rw = metrics.reworkRate;
  const [dfValue, dfUnit] = split(formatFrequency(df.current.perWeek));
  const [ltValue, ltUnit] = split(formatDuration(lt.current.median));
  const [recValue, recUnit] = split(formatDuration(rec.current.median));
  return (
    <div className="grid grid-5">
      <MetricCard
        id="deployment-frequency"
        title={DEFINITIONS.deploymentFrequency.name}
        definition={DEFINITIONS.deploymentFrequency.definition}
        href={links?.deploymentFrequency}
        value={dfValue}
        unit={dfUnit}
        sample={
          df.current.perWeek === null
            ? `No data: ${df.reason}`
            : `${formatCount(df.current.deployments, "deployment")} in ${days} days`
        }
        band={df.band}
        trend={df.trend}
        isRate={false}
        periodDays={days}
      />
      <MetricCard
        id="change-lead-time"
        title={DEFINITIONS.changeLeadTime.name}
        definition={DEFINITIONS.changeLeadTime.definition}
        href={links?.changeLeadTime}
        value={ltValue}
        unit={ltUnit}
        sample={
          lt.current.changes ? `median of ${formatCount(lt.current.changes, "change")}` : "no changes shipped"
        }
        detail={
          lt.current.changes
            ? `p75 ${formatDuration(lt.current.p75)} · p90 ${formatDuration(lt.current.p90)}`
            : undefined
        }
        band={lt.band}
        trend={lt.trend}
        isRate={false}
        periodDays={days}
      />
      <MetricCard
        id="change-failure-rate"
        title={DEFINITIONS.changeFailureRate.name}
        definition={DEFINITIONS.changeFailureRate.definition}
        href={links?.changeFailureRate}
        value={formatPercent(cfr.current.rate)}
        sample={
          cfr.current.deployments
            ? `${cfr.current.numerator} of ${formatCount(cfr.current.deployments, "deployment")} failed`
            : "no deployments"
        }
        band={cfr.band}
        trend={cfr.trend}
        isRate
        periodDays={days}
      />
      <MetricCard
        id="recovery-time"
        title={DEFINITIONS.recoveryTime.name}
        definition={DEFINITIONS.recoveryTime.definition}
        href={links?.recoveryTime}
        value={recValue}
        unit={recUnit}
        sample={
          rec.current.recovered
            ? `median of ${formatCount(rec.current.recovered, "recovered failure")}`
            : "no recovered failures"
        }
        detail={rec.current.unrecovered ? `${rec.current.unrecovered} not recovered yet` : undefined}
        band={rec.band}
        trend={rec.trend}
        isRate={false}
        periodDays={days}
      />
      <MetricCard
        id="rework-rate"
        title={DEFINITIONS.reworkRate.name}
        definition={DEFINITIONS.reworkRate.definition}
        href={links?.reworkRate}
        value={formatPercent(rw.current.rate)}
        sample={
          rw.current.deployments
            ? `${rw.current.numerator} of ${formatCount(rw.current.deployments, "deployment")} unplanned`
            : "no deployments"
        }
        band={rw.band}
        trend={rw.trend}
        isRate
        periodDays={days}
      />
    </div>
  );
}
