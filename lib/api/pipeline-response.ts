import type { Pipeline } from "@/lib/pipeline";
import type { CiHealth } from "@/lib/pipeline/ci-health";
import type { FocusArea } from "@/lib/pipeline/improve";
import type { Summary } from "@/lib/pipeline/stats";
import { sliceOf } from "./slice-route";

/**
 * The public shape of GET /api/v1/pipeline (README § API): stage times per change, CI health and "Where to focus".
 * Durations are whole seconds, rates 0–1; no person is named (pull requests by repository and number only).
 */
export function toPipelineResponse(p: Pipeline) {
  const d = p.dashboard;
  const s = p.stages;
  return {
    slice: sliceOf(d.scope),
    period: d.period,
    previousPeriod: d.previousPeriod,
    timeZone: d.timeZone,
    granularity: d.granularity,
    definitions: "docs/metrics.md § Pipeline stages, § CI health; docs/improve.md",
    stages: {
      changes: s.changes,
      previousChanges: s.previousChanges,
      mergedWithoutReview: s.unreviewed,
      withoutCiRun: s.withoutCi,
      withoutFirstCommit: s.withoutFirstCommit,
      total: { ...summary(s.total), previous: summary(s.total.previous), trend: s.total.trend.direction },
      items: s.stages.map((st) => ({
        stage: st.key,
        label: st.label,
        ...summary(st),
        shareOfLeadTime: round(st.share),
        previous: summary(st.previous),
        trend: st.trend.direction,
        series: st.series.map((b) => ({ start: b.bucket, changes: b.n, medianSeconds: secs(b.p50) })),
      })),
      ciQueue: summary(s.ciQueue),
      ciRun: summary(s.ciRun),
      timeToRestore: {
        medianSeconds: secs(d.metrics.recoveryTime.current.median),
        p90Seconds: secs(d.metrics.recoveryTime.current.p90),
        recovered: d.metrics.recoveryTime.current.recovered,
        notRecovered: d.metrics.recoveryTime.current.unrecovered,
      },
    },
    ci: { ...ciResponse(p.ci.current), previous: ciResponse(p.ci.previous) },
    focus: focusResponse(p.focus),
    candidates: p.candidates.map((c) => ({ area: c.area.key, eligible: c.eligible, reason: c.reason })),
    calms: p.calms.status === "shown" ? { status: "shown", round: p.calms.round } : p.calms,
  };
}

/** "Where to focus", shared by this API and the report JSON. */
export function focusResponse(focus: readonly FocusArea[]) {
  return focus.map((f) => ({
    rank: f.rank,
    area: f.key,
    title: f.title,
    metric: f.metric,
    evidence: f.evidence,
    figures: Object.fromEntries(Object.entries(f.figures).map(([k, v]) => [k, round(v)])),
    capability: f.capability,
    suggestion: f.suggestion,
    ifHalved: {
      ...f.ifHalved,
      before: round(f.ifHalved.before),
      after: round(f.ifHalved.after),
      relative: round(f.ifHalved.relative),
    },
    calms: f.calms,
  }));
}

function ciResponse(c: CiHealth) {
  const b = c.defaultBranch;
  return {
    runs: c.runs,
    defaultBranch: {
      decidedRuns: b.decided,
      passed: b.passed,
      failed: b.failed,
      cancelled: b.cancelled,
      other: b.other,
      running: b.running,
      successRate: round(b.successRate),
      duration: summary(b.duration),
      redSeconds: secs(b.redSeconds),
      longestRedSeconds: secs(b.longestRedSeconds),
      redShare: round(b.redShare),
    },
    otherBranches: { ...c.otherBranches, successRate: round(c.otherBranches.successRate) },
    queue: { ...summary(c.queue), withoutQueueTime: c.queue.withoutQueueTime },
    reruns: c.reruns,
    flaky: { commits: c.flaky.shas, ofPassed: c.flaky.ofPassed, share: round(c.flaky.share) },
    slowestWorkflows: c.slowest.map((w) => ({
      repo: w.repository,
      workflow: w.workflow,
      /** "job": a GitLab pipeline's job (with its stage); "run": a workflow run, a Jenkins build. */
      kind: w.kind,
      stage: w.stage,
      runs: w.runs,
      successRate: round(w.successRate),
      duration: summary(w.duration),
    })),
  };
}

const summary = (s: Summary) => ({ n: s.n, medianSeconds: secs(s.p50), p90Seconds: secs(s.p90) });
const secs = (n: number | null) => (n === null ? null : Math.round(n));
const round = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);
