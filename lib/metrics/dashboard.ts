import type { Db } from "@/lib/db";
import type { WeekStart } from "@/lib/domain/vocabulary";
import { getOrgSettings } from "@/lib/settings/org";
import { type Band, band } from "./bands";
import { cachedRead } from "./cache";
import { covers, dataSince } from "./coverage";
import {
  autoGranularity,
  bucketsOf,
  DEFAULT_PERIOD_DAYS,
  daysInBucket,
  type Granularity,
  type LocalDate,
  lastDays,
  type Period,
  previousPeriod,
} from "./period";
import { type QualityNote, qualityFacts, qualityNotes } from "./quality";
import {
  type BreakdownStats,
  breakdownStats,
  type DeploymentStats,
  deploymentStats,
  EMPTY_BREAKDOWN,
  type LeadTimeStats,
  leadTimeStats,
  type MetricQuery,
  scopeTotals,
} from "./queries";
import { resolveScope, type Scope, type SliceInput } from "./scope";
import { frequencyTrend, medianTrend, rateTrend, type Trend } from "./trend";

/**
 * Everything a dashboard (or GET /api/v1/metrics) shows for one slice and period: the five DORA metrics with
 * sample sizes, bands and the change against the previous period of equal length, the PR breakdown, a
 * zero-filled series, and the data-quality notes. Durations are in seconds; rates are 0–1.
 */

export interface DashboardInput {
  slice: SliceInput;
  period?: Period;
  /** The period to compare with. Default: the period of equal length before; reports pass the previous calendar
   * quarter or month (lib/reports/period.ts). */
  previous?: Period;
  granularity?: Granularity;
  now?: Date;
}

export interface Figure<V> {
  /** null when the figure has no sample: no data is not zero, and has no band. */
  band: Band | null;
  trend: Trend;
  current: V;
  previous: V;
  /** Why the current value is null (no data, no sample), in words; null when there is a value. */
  reason: string | null;
}

export interface DeploymentFrequency {
  /** Deployments per week: deployments ÷ days × 7; null when no deployment data covers the period (not zero). */
  perWeek: number | null;
  perDay: number | null;
  deployments: number;
  days: number;
}
export interface LeadTime {
  median: number | null;
  p75: number | null;
  p90: number | null;
  changes: number;
}
export interface Rate {
  rate: number | null;
  numerator: number;
  deployments: number;
}
export interface Recovery {
  median: number | null;
  p90: number | null;
  recovered: number;
  unrecovered: number;
}

export interface SeriesPoint {
  bucket: LocalDate;
  /** Days of the bucket inside the period (a partial first or last week has fewer). */
  days: number;
  deployments: number;
  failed: number;
  rework: number;
  changeFailureRate: number | null;
  reworkRate: number | null;
  changes: number;
  leadTimeP50: number | null;
  leadTimeP75: number | null;
  leadTimeP90: number | null;
  recovered: number;
  recoveryP50: number | null;
  recoveryP90: number | null;
}

export interface BreakdownPoint extends BreakdownStats {
  bucket: LocalDate;
  days: number;
}

export interface Dashboard {
  scope: Scope;
  period: Period;
  previousPeriod: Period;
  granularity: Granularity;
  timeZone: string;
  weekStart: WeekStart;
  metrics: {
    deploymentFrequency: Figure<DeploymentFrequency>;
    changeLeadTime: Figure<LeadTime>;
    changeFailureRate: Figure<Rate>;
    recoveryTime: Figure<Recovery>;
    reworkRate: Figure<Rate>;
  };
  breakdown: {
    current: BreakdownStats;
    previous: BreakdownStats;
    /** Stage medians per bucket of the current period (zero-filled: nulls where no PR shipped). */
    series: BreakdownPoint[];
  };
  series: SeriesPoint[];
  quality: QualityNote[];
}

export async function getDashboard(db: Db, input: DashboardInput): Promise<Dashboard> {
  const settings = await getOrgSettings(db);
  const zone = settings.timeZone;
  const weekStart = settings.weekStart;
  const p = input.period ?? lastDays(DEFAULT_PERIOD_DAYS, zone, input.now);
  const prev = input.previous ?? previousPeriod(p);
  const granularity = input.granularity ?? autoGranularity(p.days);
  const scope = await resolveScope(db, input.slice);
  const q: MetricQuery = { scope, period: p, previous: prev, granularity, zone, weekStart };
  // Cached per slice, periods and data version (lib/metrics/cache.ts): the key is the resolved query itself.
  return cachedRead(db, "dashboard", q, () => computeDashboard(db, scope, q));
}

async function computeDashboard(db: Db, scope: Scope, q: MetricQuery): Promise<Dashboard> {
  const { period: p, previous: prev, granularity, zone, weekStart } = q;
  const [deps, lead, breakdown, facts, since] = await Promise.all([
    deploymentStats(db, q).then((m) => scopeTotals(m, "deployments")),
    leadTimeStats(db, q).then((m) => scopeTotals(m, "lead")),
    breakdownStats(db, q).then((m) => scopeTotals(m, "breakdown")),
    qualityFacts(db, scope, p, zone),
    dataSince(db, scope, zone).then((m) => m.get(0)),
  ]);

  return {
    scope,
    period: p,
    previousPeriod: prev,
    granularity,
    timeZone: zone,
    weekStart,
    metrics: figures(deps, lead, p, prev, since),
    breakdown: {
      current: breakdown.current,
      previous: breakdown.previous,
      series: bucketsOf(p, granularity, weekStart).map((bucket) => ({
        bucket,
        days: daysInBucket(bucket, granularity, p),
        ...(breakdown.series.get(bucket) ?? EMPTY_BREAKDOWN),
      })),
    },
    series: series(p, granularity, weekStart, deps.series, lead.series),
    quality: qualityNotes(facts, scope, { since, period: p, deployments: deps.current.deployments }),
  };
}

type Totals<T> = { current: T; previous: T };

/**
 * Pure: the five figures from the aggregates. Exported for the org overview. `since` is the local date of the
 * slice's first recorded deployment (lib/metrics/coverage.ts): a period ending before it, or a slice with none,
 * has no deployment frequency rather than a frequency of zero.
 */
export function figures(
  deps: Totals<DeploymentStats>,
  lead: Totals<LeadTimeStats>,
  p: Period,
  prev: Period,
  since: LocalDate | undefined,
): Dashboard["metrics"] {
  const df = (s: DeploymentStats, period: Period): DeploymentFrequency => {
    const known = covers(since, period);
    return {
      perWeek: known ? (s.deployments / period.days) * 7 : null,
      perDay: known ? s.deployments / period.days : null,
      deployments: s.deployments,
      days: period.days,
    };
  };
  const lt = (s: LeadTimeStats): LeadTime => ({ median: s.p50, p75: s.p75, p90: s.p90, changes: s.changes });
  const rate = (numerator: number, s: DeploymentStats): Rate => ({
    rate: s.deployments === 0 ? null : numerator / s.deployments,
    numerator,
    deployments: s.deployments,
  });
  const rec = (s: DeploymentStats): Recovery => ({
    median: s.recoveryP50,
    p90: s.recoveryP90,
    recovered: s.recovered,
    unrecovered: s.unrecovered,
  });

  const dfNow = df(deps.current, p);
  const dfPrev = df(deps.previous, prev);
  const ltNow = lt(lead.current);
  const ltPrev = lt(lead.previous);
  const cfrNow = rate(deps.current.failed, deps.current);
  const cfrPrev = rate(deps.previous.failed, deps.previous);
  const recNow = rec(deps.current);
  const recPrev = rec(deps.previous);
  const rwNow = rate(deps.current.rework, deps.current);
  const rwPrev = rate(deps.previous.rework, deps.previous);
  const count = (f: DeploymentFrequency) =>
    f.perWeek === null ? null : { count: f.deployments, days: f.days };
  const noDeployments = dfNow.perWeek === null ? noDataReason(since) : "no deployments in this period";

  return {
    deploymentFrequency: {
      current: dfNow,
      previous: dfPrev,
      band: band("deploymentFrequency", dfNow.perWeek),
      trend: frequencyTrend(count(dfNow), count(dfPrev)),
      reason: dfNow.perWeek === null ? noDataReason(since) : null,
    },
    changeLeadTime: {
      current: ltNow,
      previous: ltPrev,
      band: band("changeLeadTime", ltNow.median),
      trend: medianTrend(
        "changeLeadTime",
        { n: ltNow.changes, median: ltNow.median, upper: ltNow.p75, q: 0.75 },
        { n: ltPrev.changes, median: ltPrev.median, upper: ltPrev.p75, q: 0.75 },
      ),
      reason: ltNow.median === null ? "no changes reached production in this period" : null,
    },
    changeFailureRate: {
      current: cfrNow,
      previous: cfrPrev,
      band: band("changeFailureRate", cfrNow.rate),
      trend: rateTrend("changeFailureRate", rateSample(cfrNow), rateSample(cfrPrev)),
      reason: cfrNow.rate === null ? noDeployments : null,
    },
    recoveryTime: {
      current: recNow,
      previous: recPrev,
      band: band("recoveryTime", recNow.median),
      trend: medianTrend(
        "recoveryTime",
        { n: recNow.recovered, median: recNow.median, upper: recNow.p90, q: 0.9 },
        { n: recPrev.recovered, median: recPrev.median, upper: recPrev.p90, q: 0.9 },
      ),
      reason:
        recNow.median === null
          ? deps.current.failed === 0
            ? "no failed deployment in this period"
            : "no failed deployment has recovered yet"
          : null,
    },
    reworkRate: {
      current: rwNow,
      previous: rwPrev,
      band: band("reworkRate", rwNow.rate),
      trend: rateTrend("reworkRate", rateSample(rwNow), rateSample(rwPrev)),
      reason: rwNow.rate === null ? noDeployments : null,
    },
  };
}

const rateSample = (r: Rate) => ({ numerator: r.numerator, denominator: r.deployments });

/** Why a period has no deployment data. */
export function noDataReason(since: LocalDate | undefined): string {
  return since === undefined
    ? "no deployment has been recorded for this slice yet"
    : `this slice's deployment data starts on ${since}, after this period`;
}

/** Pure: one point per bucket of the period, zero-filled where nothing happened. */
export function series(
  p: Period,
  granularity: Granularity,
  weekStart: WeekStart,
  deps: Map<string, DeploymentStats>,
  lead: Map<string, LeadTimeStats>,
): SeriesPoint[] {
  return bucketsOf(p, granularity, weekStart).map((bucket) => {
    const d = deps.get(bucket);
    const l = lead.get(bucket);
    const deployments = d?.deployments ?? 0;
    return {
      bucket,
      days: daysInBucket(bucket, granularity, p),
      deployments,
      failed: d?.failed ?? 0,
      rework: d?.rework ?? 0,
      changeFailureRate: deployments ? (d?.failed ?? 0) / deployments : null,
      reworkRate: deployments ? (d?.rework ?? 0) / deployments : null,
      changes: l?.changes ?? 0,
      leadTimeP50: l?.p50 ?? null,
      leadTimeP75: l?.p75 ?? null,
      leadTimeP90: l?.p90 ?? null,
      recovered: d?.recovered ?? 0,
      recoveryP50: d?.recoveryP50 ?? null,
      recoveryP90: d?.recoveryP90 ?? null,
    };
  });
}
