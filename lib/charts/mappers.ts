import { dateTimeFormat, formatLocalDate } from "@/lib/format";
import type { SeriesPoint } from "@/lib/metrics/dashboard";
import type { Granularity } from "@/lib/metrics/period";
import type { BreakdownStats } from "@/lib/metrics/queries";

/**
 * Pure mappers from metric series to what each chart draws. Charts stay presentational; everything that can be
 * wrong about a chart (which number goes where, what counts as missing) is decided and tested here.
 */

export function bucketLabel(bucket: string, granularity: Granularity): string {
  if (granularity === "month") {
    const [y, m] = bucket.split("-").map(Number) as [number, number];
    return dateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(
      new Date(Date.UTC(y, m - 1, 1)),
    );
  }
  return formatLocalDate(bucket, { year: false });
}

/** Tooltip/table heading for a bucket: "Week of 2 Mar 2026 (2 days in period)". */
export function bucketTitle(point: Pick<SeriesPoint, "bucket" | "days">, granularity: Granularity): string {
  const base =
    granularity === "day"
      ? formatLocalDate(point.bucket)
      : granularity === "week"
        ? `Week of ${formatLocalDate(point.bucket)}`
        : bucketLabel(point.bucket, "month");
  const full = granularity === "day" ? 1 : granularity === "week" ? 7 : null;
  return full !== null && point.days < full ? `${base} (${point.days} of ${full} days in period)` : base;
}

export interface DeploymentBar {
  label: string;
  title: string;
  /** Deployments that did not fail. */
  succeeded: number;
  failed: number;
  rework: number;
  total: number;
}

export function toDeploymentBars(series: readonly SeriesPoint[], g: Granularity): DeploymentBar[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g),
    succeeded: p.deployments - p.failed,
    failed: p.failed,
    rework: p.rework,
    total: p.deployments,
  }));
}

export interface LeadTimePoint {
  label: string;
  title: string;
  /** Hours (charts read durations in hours); null where nothing shipped. */
  median: number | null;
  /** [p75, p90] in hours, drawn as a band. */
  band: [number, number] | null;
  changes: number;
}

const hours = (s: number | null) => (s === null ? null : s / 3_600);

export function toLeadTimePoints(series: readonly SeriesPoint[], g: Granularity): LeadTimePoint[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g),
    median: hours(p.leadTimeP50),
    band:
      p.leadTimeP75 !== null && p.leadTimeP90 !== null
        ? [p.leadTimeP75 / 3_600, p.leadTimeP90 / 3_600]
        : null,
    changes: p.changes,
  }));
}

export interface RatePoint {
  label: string;
  title: string;
  /** Percent (0–100); null where there were no deployments (not 0 %: nothing was measured). */
  changeFailure: number | null;
  rework: number | null;
  deployments: number;
  failed: number;
  reworkCount: number;
}

export function toRatePoints(series: readonly SeriesPoint[], g: Granularity): RatePoint[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g),
    changeFailure: p.changeFailureRate === null ? null : p.changeFailureRate * 100,
    rework: p.reworkRate === null ? null : p.reworkRate * 100,
    deployments: p.deployments,
    failed: p.failed,
    reworkCount: p.rework,
  }));
}

export interface RecoveryPoint {
  label: string;
  title: string;
  /** Hours. */
  median: number | null;
  recovered: number;
}

export function toRecoveryPoints(series: readonly SeriesPoint[], g: Granularity): RecoveryPoint[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g),
    median: hours(p.recoveryP50),
    recovered: p.recovered,
  }));
}

export const STAGES = [
  { key: "coding", label: "Coding", help: "First commit → ready for review" },
  { key: "pickup", label: "Pickup", help: "Ready for review → first review" },
  { key: "review", label: "Review", help: "First review → merge" },
  { key: "deploy", label: "Deploy", help: "Merge → live in production" },
] as const;
export type StageKey = (typeof STAGES)[number]["key"];

export interface BreakdownSegment {
  key: StageKey;
  label: string;
  help: string;
  seconds: number | null;
  /** Share of the sum of the stage medians, for the width of the segment (0 when unknown). */
  share: number;
}

export function toBreakdownSegments(b: BreakdownStats): BreakdownSegment[] {
  const values: Record<StageKey, number | null> = {
    coding: b.codingP50,
    pickup: b.pickupP50,
    review: b.reviewP50,
    deploy: b.deployP50,
  };
  const sum = Object.values(values).reduce<number>((acc, v) => acc + (v ?? 0), 0);
  return STAGES.map((s) => ({
    ...s,
    seconds: values[s.key],
    share: sum > 0 ? (values[s.key] ?? 0) / sum : 0,
  }));
}

export interface BreakdownBar {
  label: string;
  title: string;
  prs: number;
  /** Stage medians in hours; null where no PR shipped in the bucket. */
  coding: number | null;
  pickup: number | null;
  review: number | null;
  deploy: number | null;
}

/** Stage medians per bucket, stacked: where the time went, week by week (a stack of medians, not a median). */
export function toBreakdownBars(
  series: readonly (BreakdownStats & { bucket: string; days: number })[],
  g: Granularity,
): BreakdownBar[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g),
    prs: p.prs,
    coding: hours(p.codingP50),
    pickup: hours(p.pickupP50),
    review: hours(p.reviewP50),
    deploy: hours(p.deployP50),
  }));
}

/** A sparkline's points: the value per bucket, null kept as a gap. */
export function sparkline(
  series: readonly SeriesPoint[],
  pick: (p: SeriesPoint) => number | null,
): (number | null)[] {
  return series.map(pick);
}
