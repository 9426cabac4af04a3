import { type Summary, span, summarise } from "./stats";

/**
 * CI health from builds (docs/metrics.md § CI health). Pure: ./queries.ts loads the runs of a scope and period.
 * A run is one row of `ci_builds` (a GitHub Actions workflow run attempt, a Jenkins build, a GitLab pipeline); a
 * job is a row naming its run (`parent`: a GitLab pipeline's job). Every figure counts runs, except "slowest",
 * which lists a repository's jobs where its source stores them (the pipeline is as slow as its slowest path).
 */

export interface BuildRow {
  repository: string;
  defaultBranch: string;
  workflow: string;
  branch: string | null;
  sha: string;
  status: string;
  conclusion: string | null;
  queuedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  attempt: number;
  /** The run this row is a job of; null for a run. */
  parent?: string | null;
  /** A job's CI stage. */
  stage?: string | null;
}

/** Conclusions that mean the checks ran and failed (GitHub: failure, timed_out, startup_failure; Jenkins: unstable). */
export const FAILED_CONCLUSIONS = ["failure", "timed_out", "startup_failure", "unstable", "error"] as const;

export type Outcome = "passed" | "failed" | "cancelled" | "other" | "running";

export function outcome(b: Pick<BuildRow, "status" | "conclusion">): Outcome {
  if (b.status !== "completed" || b.conclusion === null) return "running";
  if (b.conclusion === "success") return "passed";
  if ((FAILED_CONCLUSIONS as readonly string[]).includes(b.conclusion)) return "failed";
  if (b.conclusion === "cancelled") return "cancelled";
  // skipped, neutral, action_required, stale: the checks did not decide anything.
  return "other";
}

export interface WorkflowFigure {
  repository: string;
  /** The workflow (GitHub), the job (Jenkins) or, for a source that stores jobs, the job name (GitLab). */
  workflow: string;
  /** A job's stage (GitLab); null for runs. */
  stage: string | null;
  kind: "run" | "job";
  runs: number;
  successRate: number | null;
  duration: Summary;
}

export interface CiHealth {
  /** Every run of the period in the scope, any branch, any outcome. */
  runs: number;
  defaultBranch: {
    /** Passed + failed: the runs that decided something. */
    decided: number;
    passed: number;
    failed: number;
    cancelled: number;
    /** Skipped, neutral and the like. */
    other: number;
    running: number;
    successRate: number | null;
    duration: Summary;
    /** Seconds at least one workflow of a repository was red (summed over repositories). */
    redSeconds: number;
    longestRedSeconds: number;
    /** redSeconds ÷ (period seconds × repositories with a decided run on the default branch). */
    redShare: number | null;
  };
  otherBranches: { runs: number; decided: number; successRate: number | null };
  /** Queue time (started − queued) of every run that says when it was queued, any branch. */
  queue: Summary & { withoutQueueTime: number };
  /** Runs with attempt > 1 (a re-run of the same build). */
  reruns: number;
  /** Workflow × commit pairs that failed and then passed on the same SHA (any branch). */
  flaky: { shas: number; ofPassed: number; share: number | null };
  /** By median duration on the default branch, slowest first (at most 5). */
  slowest: WorkflowFigure[];
}

interface Interval {
  from: number;
  to: number;
}

/** Union length and longest piece of a set of intervals. */
function unionOf(intervals: Interval[]): { total: number; longest: number } {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  let total = 0;
  let longest = 0;
  let cur: Interval | null = null;
  for (const i of sorted) {
    if (cur && i.from <= cur.to) cur.to = Math.max(cur.to, i.to);
    else {
      if (cur) {
        total += cur.to - cur.from;
        longest = Math.max(longest, cur.to - cur.from);
      }
      cur = { ...i };
    }
  }
  if (cur) {
    total += cur.to - cur.from;
    longest = Math.max(longest, cur.to - cur.from);
  }
  return { total, longest };
}

/**
 * Red intervals of one workflow on the default branch: red from the finish of a failed run (when green) to the
 * finish of the next passed run, or to `end` when none passed. The period starts green.
 */
function redIntervals(runs: BuildRow[], start: number, end: number): Interval[] {
  const out: Interval[] = [];
  let redSince: number | null = null;
  const ordered = runs
    .filter((r) => r.finishedAt !== null)
    .sort((a, b) => (a.finishedAt as number) - (b.finishedAt as number));
  for (const r of ordered) {
    const at = r.finishedAt as number;
    const o = outcome(r);
    if (o === "failed" && redSince === null) redSince = at;
    else if (o === "passed" && redSince !== null) {
      out.push({ from: redSince, to: at });
      redSince = null;
    }
  }
  if (redSince !== null && redSince < end) out.push({ from: redSince, to: end });
  return out
    .map((i) => ({ from: Math.max(i.from, start), to: Math.min(i.to, end) }))
    .filter((i) => i.to > i.from);
}

const group = <T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
};

const rate = (passed: number, decided: number) => (decided === 0 ? null : passed / decided);
const duration = (r: BuildRow) => span(r.startedAt, r.finishedAt);

/** Pure: CI health of the runs of one period [start, end) (epoch ms; end is the period's end or now). */
export function ciHealth(rows: readonly BuildRow[], start: number, end: number): CiHealth {
  const builds = rows.filter((b) => !b.parent);
  const jobs = rows.filter((b) => b.parent);
  const onDefault = builds.filter((b) => b.branch !== null && b.branch === b.defaultBranch);
  const others = builds.filter((b) => !(b.branch !== null && b.branch === b.defaultBranch));
  const count = (rows: readonly BuildRow[], o: Outcome) => rows.filter((r) => outcome(r) === o).length;
  const decided = onDefault.filter((r) => ["passed", "failed"].includes(outcome(r)));
  const passed = count(onDefault, "passed");

  let red = 0;
  let longest = 0;
  const byRepo = group(decided, (r) => r.repository);
  for (const runs of byRepo.values()) {
    const intervals = [...group(runs, (r) => r.workflow).values()].flatMap((w) =>
      redIntervals(w, start, end),
    );
    const u = unionOf(intervals);
    red += u.total;
    longest = Math.max(longest, u.longest);
  }
  const periodSeconds = (end - start) / 1000;

  const queued = builds.filter((b) => b.queuedAt !== null && b.startedAt !== null);
  const flakyGroups = [...group(builds, (b) => `${b.repository}\u0000${b.workflow}\u0000${b.sha}`).values()];
  let flaky = 0;
  let withPass = 0;
  for (const runs of flakyGroups) {
    const ordered = runs
      .filter((r) => r.startedAt !== null)
      .sort((a, b) => a.attempt - b.attempt || (a.startedAt as number) - (b.startedAt as number));
    const firstPass = ordered.findIndex((r) => outcome(r) === "passed");
    if (firstPass < 0) continue;
    withPass++;
    if (ordered.slice(0, firstPass).some((r) => outcome(r) === "failed")) flaky++;
  }

  // Slowest: a repository's decided jobs on the default branch where it has any, else its decided runs.
  const decidedJobs = jobs.filter(
    (j) => j.branch !== null && j.branch === j.defaultBranch && ["passed", "failed"].includes(outcome(j)),
  );
  const withJobs = new Set(decidedJobs.map((j) => j.repository));
  const units = [...decidedJobs, ...decided.filter((r) => !withJobs.has(r.repository))];
  const slowest = [
    ...group(units, (r) => `${r.repository}\u0000${r.stage ?? ""}\u0000${r.workflow}`).values(),
  ]
    .map((runs): WorkflowFigure => {
      const first = runs[0] as BuildRow;
      return {
        repository: first.repository,
        workflow: first.workflow,
        stage: first.stage ?? null,
        kind: first.parent ? "job" : "run",
        runs: runs.length,
        successRate: rate(count(runs, "passed"), runs.length),
        duration: summarise(runs.map(duration)),
      };
    })
    .sort(
      (a, b) =>
        (b.duration.p50 ?? -1) - (a.duration.p50 ?? -1) ||
        a.repository.localeCompare(b.repository) ||
        a.workflow.localeCompare(b.workflow),
    )
    .slice(0, 5);

  const otherDecided = others.filter((r) => ["passed", "failed"].includes(outcome(r)));
  return {
    runs: builds.length,
    defaultBranch: {
      decided: decided.length,
      passed,
      failed: count(onDefault, "failed"),
      cancelled: count(onDefault, "cancelled"),
      other: count(onDefault, "other"),
      running: count(onDefault, "running"),
      successRate: rate(passed, decided.length),
      duration: summarise(decided.map(duration)),
      redSeconds: red / 1000,
      longestRedSeconds: longest / 1000,
      redShare: byRepo.size && periodSeconds > 0 ? red / 1000 / (periodSeconds * byRepo.size) : null,
    },
    otherBranches: {
      runs: others.length,
      decided: otherDecided.length,
      successRate: rate(count(others, "passed"), otherDecided.length),
    },
    queue: {
      ...summarise(queued.map((b) => span(b.queuedAt, b.startedAt))),
      withoutQueueTime: builds.filter((b) => b.startedAt !== null && b.queuedAt === null).length,
    },
    reruns: builds.filter((b) => b.attempt > 1).length,
    flaky: { shas: flaky, ofPassed: withPass, share: withPass ? flaky / withPass : null },
    slowest,
  };
}
