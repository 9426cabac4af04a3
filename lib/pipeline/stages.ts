import { medianTrend, type Trend } from "@/lib/metrics/trend";
import { percentile, type Summary, span, summarise } from "./stats";

/**
 * The delivery pipeline of one change (a pull request at its first delivery to production), stage by stage.
 * docs/metrics.md § Pipeline stages defines every start and end event; this module is the pure half (the query
 * half is ./queries.ts). All instants are epoch milliseconds; all durations seconds.
 */

export const STAGES = ["coding", "pickup", "review", "waitCi", "ci", "waitDeploy", "deploy"] as const;
export type StageKey = (typeof STAGES)[number];

export const STAGE_LABELS: Record<StageKey, string> = {
  coding: "Coding",
  pickup: "Waiting for review",
  review: "Review",
  waitCi: "Waiting for CI",
  ci: "CI build and test",
  waitDeploy: "Waiting for deployment",
  deploy: "Deployment",
};

/** One CI run of a change's merge commit on the default branch (./queries.ts selects which). */
export interface CiRun {
  queuedAt: number | null;
  startedAt: number;
  finishedAt: number;
}

export interface ChangeFacts {
  pullRequestId: number;
  repository: string;
  number: number;
  title: string;
  url: string | null;
  period: "current" | "previous";
  /** Bucket (local date) of the day it went live, for the trend. */
  bucket: string;
  /** Lead time's start for this change: the earliest of the PR's first commit, its change's start and its merge. */
  startedAt: number;
  firstCommitAt: number | null;
  /** Left draft, or opened. */
  readyAt: number;
  firstReviewAt: number | null;
  mergedAt: number | null;
  ciRuns: readonly CiRun[];
  /** The deployment that first shipped it: started (else created) and live. */
  deployStartedAt: number;
  liveAt: number;
}

export interface CiFacts {
  /** The earliest run was asked for (queued, else started). */
  requestedAt: number;
  /** The last run finished. */
  finishedAt: number;
  /** Longest queue and longest run among the runs: parallel workflows wait for the slowest. */
  queueSeconds: number | null;
  runSeconds: number;
}

/** Pure: the CI of a change from the runs of its merge commit (null when there was none). */
export function ciFacts(runs: readonly CiRun[]): CiFacts | null {
  if (runs.length === 0) return null;
  let requestedAt = Number.POSITIVE_INFINITY;
  let finishedAt = Number.NEGATIVE_INFINITY;
  let queue: number | null = null;
  let run = 0;
  for (const r of runs) {
    requestedAt = Math.min(requestedAt, r.queuedAt ?? r.startedAt);
    finishedAt = Math.max(finishedAt, r.finishedAt);
    const q = span(r.queuedAt, r.startedAt);
    if (q !== null) queue = Math.max(queue ?? 0, q);
    run = Math.max(run, span(r.startedAt, r.finishedAt) ?? 0);
  }
  return { requestedAt, finishedAt, queueSeconds: queue, runSeconds: run };
}

export type StageSpans = Record<StageKey, number | null> & {
  total: number | null;
  queue: number | null;
  run: number | null;
};

/** Pure: the seconds a change spent in each stage; null where an event is missing or a span ends before it starts. */
export function stageSpans(c: ChangeFacts): StageSpans {
  const ci = ciFacts(c.ciRuns);
  return {
    coding: span(c.firstCommitAt, c.readyAt),
    pickup: span(c.readyAt, c.firstReviewAt),
    review: span(c.firstReviewAt, c.mergedAt),
    waitCi: ci ? span(c.mergedAt, ci.requestedAt) : null,
    ci: ci ? span(ci.requestedAt, ci.finishedAt) : null,
    queue: ci?.queueSeconds ?? null,
    run: ci ? ci.runSeconds : null,
    // Without a CI run the wait starts at the merge: it then holds the CI we cannot see (documented).
    waitDeploy: span(ci ? ci.finishedAt : c.mergedAt, c.deployStartedAt),
    deploy: span(c.deployStartedAt, c.liveAt),
    total: span(c.startedAt, c.liveAt),
  };
}

export interface StageFigure extends Summary {
  key: StageKey;
  label: string;
  /** Σ this stage ÷ Σ total over the changes with a total: the share of all lead time spent here. */
  share: number | null;
  previous: Summary;
  trend: Trend;
  /** Median per bucket of the current period (null where no change went live or none had this stage). */
  series: { bucket: string; p50: number | null; n: number }[];
}

export interface PipelineStages {
  changes: number;
  previousChanges: number;
  /** Merged without a review: no pickup and no review stage. */
  unreviewed: number;
  /** No CI run of the merge commit on the default branch before the deployment started. */
  withoutCi: number;
  withoutFirstCommit: number;
  total: Summary & { previous: Summary; trend: Trend };
  stages: StageFigure[];
  /** CI's two parts, for the CI stage's label: the longest queue and the longest run of each change. */
  ciQueue: Summary;
  ciRun: Summary;
}

/** A stage's median against the previous period's, clear only when its sample says so (docs/metrics.md § Trends). */
const stageTrend = (now: Summary, prev: Summary): Trend =>
  medianTrend(
    "changeLeadTime",
    { n: now.n, median: now.p50, upper: now.p90, q: 0.9 },
    { n: prev.n, median: prev.p50, upper: prev.p90, q: 0.9 },
  );

/** Pure: medians, p90s, shares and trends per stage over the changes of both periods. */
export function summariseStages(changes: readonly ChangeFacts[], buckets: readonly string[]): PipelineStages {
  const rows = changes.map((c) => ({ c, s: stageSpans(c) }));
  const current = rows.filter((r) => r.c.period === "current");
  const previous = rows.filter((r) => r.c.period === "previous");
  const totalNow = summarise(current.map((r) => r.s.total));
  const totalPrev = summarise(previous.map((r) => r.s.total));
  const sumTotal = current.reduce((a, r) => a + (r.s.total ?? 0), 0);
  const withTotal = current.filter((r) => r.s.total !== null);
  // Grouped once: filtering every change per bucket and stage cost seconds on an org year.
  const byBucket = new Map<string, typeof current>();
  for (const r of current) {
    const list = byBucket.get(r.c.bucket);
    if (list) list.push(r);
    else byBucket.set(r.c.bucket, [r]);
  }

  const stages = STAGES.map((key): StageFigure => {
    const now = summarise(current.map((r) => r.s[key]));
    const prev = summarise(previous.map((r) => r.s[key]));
    const part = withTotal.reduce((a, r) => a + (r.s[key] ?? 0), 0);
    return {
      key,
      label: STAGE_LABELS[key],
      ...now,
      share: sumTotal > 0 ? part / sumTotal : null,
      previous: prev,
      trend: stageTrend(now, prev),
      series: buckets.map((bucket) => {
        const inBucket = (byBucket.get(bucket) ?? []).map((r) => r.s[key]);
        const s = summarise(inBucket);
        return { bucket, p50: s.p50, n: s.n };
      }),
    };
  });

  return {
    changes: current.length,
    previousChanges: previous.length,
    unreviewed: current.filter((r) => r.c.firstReviewAt === null).length,
    withoutCi: current.filter((r) => r.c.ciRuns.length === 0).length,
    withoutFirstCommit: current.filter((r) => r.c.firstCommitAt === null).length,
    total: { ...totalNow, previous: totalPrev, trend: stageTrend(totalNow, totalPrev) },
    stages,
    ciQueue: summarise(current.map((r) => r.s.queue)),
    ciRun: summarise(current.map((r) => r.s.run)),
  };
}

/**
 * Pure: the median total (first commit → live) of the current period's changes if the given stages took half as
 * long for every change, and its relative change. Each change keeps its other stages, so this is the figure the
 * team would see, not a guess from medians (which do not add up).
 */
export function halvedMedian(
  changes: readonly ChangeFacts[],
  keys: readonly StageKey[],
): { before: number | null; after: number | null; relative: number | null } {
  const totals: number[] = [];
  const after: number[] = [];
  for (const c of changes) {
    if (c.period !== "current") continue;
    const s = stageSpans(c);
    if (s.total === null) continue;
    totals.push(s.total);
    after.push(s.total - keys.reduce((a, k) => a + (s[k] ?? 0), 0) / 2);
  }
  const b = percentile(totals, 0.5);
  const a = percentile(after, 0.5);
  return { before: b, after: a, relative: b && a !== null ? (b - a) / b : null };
}
