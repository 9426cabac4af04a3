import { dateTimeFormat, formatLocalDate } from "@/lib/format";
import type { SeriesPoint } from "@/lib/metrics/dashboard";
import { addDays, type Granularity, type LocalDate, localDate } from "@/lib/metrics/period";
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

/** The days of a whole bucket: 1, 7, or the month's 28–31. */
export function fullDays(bucket: LocalDate, granularity: Granularity): number {
  if (granularity === "day") return 1;
  if (granularity === "week") return 7;
  const [y, m] = bucket.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The org's clock: "today" is the local date in the org's time zone, not the server's or UTC. */
export interface OrgClock {
  zone: string;
  now: Date;
  /** The period's last day: a bucket is in progress only when the period reaches today. */
  periodTo: LocalDate;
}

/**
 * How much of a bucket the figures cover. A bucket is partial when the period covers only some of its days (a
 * period starting mid-week, or ending before the week does), or when it holds today in the org's time zone (the
 * day is not over). Counts in a partial bucket cover fewer days, so a shorter bar is not a drop: charts mark it
 * (hatched bar, note) and do not scale it up (docs/metrics.md, "Partial buckets").
 */
export interface Coverage {
  /** Days of the bucket inside the period (today counts as one). */
  days: number;
  /** Days of the whole bucket. */
  of: number;
  /** The bucket holds today in the org's time zone. */
  running: boolean;
}

export function coverage(
  point: Pick<SeriesPoint, "bucket" | "days">,
  granularity: Granularity,
  clock?: OrgClock,
): Coverage | null {
  const of = fullDays(point.bucket, granularity);
  let running = false;
  if (clock) {
    const today = localDate(clock.zone, clock.now);
    running = today <= clock.periodTo && point.bucket <= today && today <= addDays(point.bucket, of - 1);
  }
  return point.days < of || running ? { days: point.days, of, running } : null;
}

const UNIT: Record<Granularity, string> = { day: "day", week: "week", month: "month" };

/** "partial week: 3 of 7 days", "week in progress: 3 of 7 days so far". */
export function coverageNote(c: Coverage, granularity: Granularity): string {
  const unit = UNIT[granularity];
  if (granularity === "day") return "day in progress";
  return c.running
    ? `${unit} in progress: ${c.days} of ${c.of} days so far`
    : `partial ${unit}: ${c.days} of ${c.of} days`;
}

/** Tooltip/table heading for a bucket: "Week of 2 Mar 2026 (partial week: 2 of 7 days)". */
export function bucketTitle(
  point: Pick<SeriesPoint, "bucket" | "days">,
  granularity: Granularity,
  clock?: OrgClock,
): string {
  const base =
    granularity === "day"
      ? formatLocalDate(point.bucket)
      : granularity === "week"
        ? `Week of ${formatLocalDate(point.bucket)}`
        : bucketLabel(point.bucket, "month");
  const c = coverage(point, granularity, clock);
  return c ? `${base} (${coverageNote(c, granularity)})` : base;
}

export interface DeploymentBar {
  label: string;
  title: string;
  /** Deployments that did not fail. */
  succeeded: number;
  failed: number;
  rework: number;
  total: number;
  /** Set when the bucket is partial: its counts cover fewer days (drawn hatched, never scaled up). */
  partial: Coverage | null;
}

export function toDeploymentBars(
  series: readonly SeriesPoint[],
  g: Granularity,
  clock?: OrgClock,
): DeploymentBar[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g, clock),
    succeeded: p.deployments - p.failed,
    failed: p.failed,
    rework: p.rework,
    total: p.deployments,
    partial: coverage(p, g, clock),
  }));
}

/**
 * The note under a count chart naming its partial buckets, or null when every bucket is whole:
 * "Hatched bars are partial: week of 4 Mar (partial week: 5 of 7 days); … so a shorter bar there is not a drop."
 */
export function partialNote(
  bars: readonly Pick<DeploymentBar, "label" | "partial">[],
  g: Granularity,
): string | null {
  const parts = bars.flatMap((b) => (b.partial ? [`${b.label} (${coverageNote(b.partial, g)})`] : []));
  if (parts.length === 0) return null;
  return `Hatched ${parts.length === 1 ? "bar is" : "bars are"} partial: ${parts.join("; ")}. Counts there cover fewer days, so a shorter bar is not a drop.`;
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

export function toLeadTimePoints(
  series: readonly SeriesPoint[],
  g: Granularity,
  clock?: OrgClock,
): LeadTimePoint[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g, clock),
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

export function toRatePoints(series: readonly SeriesPoint[], g: Granularity, clock?: OrgClock): RatePoint[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g, clock),
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
  /** Hours; null where no failure of the bucket recovered. */
  median: number | null;
  /** 90th percentile in hours: the slow recoveries a median hides. */
  p90: number | null;
  recovered: number;
}

export function toRecoveryPoints(
  series: readonly SeriesPoint[],
  g: Granularity,
  clock?: OrgClock,
): RecoveryPoint[] {
  return series.map((p) => ({
    label: bucketLabel(p.bucket, g),
    title: bucketTitle(p, g, clock),
    median: hours(p.recoveryP50),
    p90: hours(p.recoveryP90),
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
