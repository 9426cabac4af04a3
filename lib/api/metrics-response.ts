import type { Dashboard } from "@/lib/metrics/dashboard";
import { DEFINITIONS } from "@/lib/metrics/definitions";
import type { Trend } from "@/lib/metrics/trend";
import { sliceOf } from "./slice-route";

/**
 * The public shape of GET /api/v1/metrics (documented in README). Durations are seconds, rates are 0–1, dates
 * are local dates in the org's time zone. Internal ids are left out; slices are named by slug and owner/name.
 */
export function toMetricsResponse(d: Dashboard) {
  const m = d.metrics;
  return {
    slice: sliceOf(d.scope),
    period: d.period,
    previousPeriod: d.previousPeriod,
    timeZone: d.timeZone,
    weekStart: d.weekStart,
    granularity: d.granularity,
    metrics: {
      deploymentFrequency: {
        definition: DEFINITIONS.deploymentFrequency.definition,
        perWeek: roundOrNull(m.deploymentFrequency.current.perWeek),
        perDay: roundOrNull(m.deploymentFrequency.current.perDay),
        deployments: m.deploymentFrequency.current.deployments,
        days: m.deploymentFrequency.current.days,
        band: m.deploymentFrequency.band,
        previous: {
          perWeek: roundOrNull(m.deploymentFrequency.previous.perWeek),
          deployments: m.deploymentFrequency.previous.deployments,
        },
        trend: m.deploymentFrequency.trend.direction,
        change: changeOf(m.deploymentFrequency.trend),
        reason: m.deploymentFrequency.reason,
      },
      changeLeadTime: {
        definition: DEFINITIONS.changeLeadTime.definition,
        medianSeconds: secs(m.changeLeadTime.current.median),
        p75Seconds: secs(m.changeLeadTime.current.p75),
        p90Seconds: secs(m.changeLeadTime.current.p90),
        changes: m.changeLeadTime.current.changes,
        band: m.changeLeadTime.band,
        previous: {
          medianSeconds: secs(m.changeLeadTime.previous.median),
          changes: m.changeLeadTime.previous.changes,
        },
        trend: m.changeLeadTime.trend.direction,
        change: changeOf(m.changeLeadTime.trend),
        reason: m.changeLeadTime.reason,
      },
      changeFailureRate: {
        definition: DEFINITIONS.changeFailureRate.definition,
        rate: m.changeFailureRate.current.rate,
        failedDeployments: m.changeFailureRate.current.numerator,
        deployments: m.changeFailureRate.current.deployments,
        band: m.changeFailureRate.band,
        previous: {
          rate: m.changeFailureRate.previous.rate,
          failedDeployments: m.changeFailureRate.previous.numerator,
          deployments: m.changeFailureRate.previous.deployments,
        },
        trend: m.changeFailureRate.trend.direction,
        change: changeOf(m.changeFailureRate.trend),
        reason: m.changeFailureRate.reason,
      },
      failedDeploymentRecoveryTime: {
        definition: DEFINITIONS.recoveryTime.definition,
        medianSeconds: secs(m.recoveryTime.current.median),
        p90Seconds: secs(m.recoveryTime.current.p90),
        recovered: m.recoveryTime.current.recovered,
        notRecovered: m.recoveryTime.current.unrecovered,
        band: m.recoveryTime.band,
        previous: {
          medianSeconds: secs(m.recoveryTime.previous.median),
          recovered: m.recoveryTime.previous.recovered,
        },
        trend: m.recoveryTime.trend.direction,
        change: changeOf(m.recoveryTime.trend),
        reason: m.recoveryTime.reason,
      },
      reworkRate: {
        definition: DEFINITIONS.reworkRate.definition,
        rate: m.reworkRate.current.rate,
        reworkDeployments: m.reworkRate.current.numerator,
        deployments: m.reworkRate.current.deployments,
        band: m.reworkRate.band,
        previous: { rate: m.reworkRate.previous.rate, reworkDeployments: m.reworkRate.previous.numerator },
        trend: m.reworkRate.trend.direction,
        change: changeOf(m.reworkRate.trend),
        reason: m.reworkRate.reason,
      },
    },
    leadTimeBreakdown: {
      pullRequests: d.breakdown.current.prs,
      mergedWithoutReview: d.breakdown.current.unreviewed,
      medianSeconds: {
        coding: secs(d.breakdown.current.codingP50),
        pickup: secs(d.breakdown.current.pickupP50),
        review: secs(d.breakdown.current.reviewP50),
        deploy: secs(d.breakdown.current.deployP50),
        total: secs(d.breakdown.current.totalP50),
      },
    },
    series: d.series.map((p, i) => {
      const b = d.breakdown.series[i];
      return {
        start: p.bucket,
        daysInPeriod: p.days,
        deployments: p.deployments,
        failedDeployments: p.failed,
        reworkDeployments: p.rework,
        changes: p.changes,
        leadTimeMedianSeconds: secs(p.leadTimeP50),
        leadTimeP75Seconds: secs(p.leadTimeP75),
        leadTimeP90Seconds: secs(p.leadTimeP90),
        recoveryMedianSeconds: secs(p.recoveryP50),
        pullRequests: b?.prs ?? 0,
        breakdownMedianSeconds: {
          coding: secs(b?.codingP50 ?? null),
          pickup: secs(b?.pickupP50 ?? null),
          review: secs(b?.reviewP50 ?? null),
          deploy: secs(b?.deployP50 ?? null),
        },
      };
    }),
    dataQuality: d.quality,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const roundOrNull = (n: number | null) => (n === null ? null : round(n));
const round4 = (n: number | null) =>
  n === null || !Number.isFinite(n) ? null : Math.round(n * 10_000) / 10_000;

/**
 * The change against the previous period: `trend` says better/worse only when it is clear for the sample
 * ("flat": no clear change; null: nothing to compare). The 95 % interval is in the unit of `delta` for rates and of
 * `relative` otherwise; a null bound is unbounded (a change from none). docs/metrics.md § Trends.
 */
function changeOf(t: Trend) {
  return {
    delta: round4(t.delta),
    relative: round4(t.relative),
    interval95: t.interval ? { low: round4(t.interval.low), high: round4(t.interval.high) } : null,
    note: t.note,
  };
}
/** Percentiles interpolate between samples: whole seconds are precise enough and read better. */
const secs = (n: number | null) => (n === null ? null : Math.round(n));
