import { MINUTE } from "./calendar";
import type { DemoBuild } from "./deploy";
import type { DemoPullRequest, Landing } from "./graph";
import type { Rng } from "./random";

/** How a team's CI behaves: run time, runner queue and flaky tests (lib/demo/profiles.ts). */
export interface CiProfile {
  /** Median run time. */
  minutes: number;
  /** Median wait for a runner. */
  queueMinutes: number;
  /** Share of runs that fail spuriously and pass when re-run on the same commit. */
  flakyShare: number;
}

/**
 * CI: a run for each PR's head when it is ready for review (some fail and are re-run), one per push to main. Each
 * run waits for a runner first (queued → started); a flaky failure is re-run (attempt 2) and passes. The queue and
 * flaky draws come from their own stream, so they change nothing else the demo generates.
 */
export function ciBuilds(
  rng: Rng,
  ci: CiProfile,
  prs: readonly DemoPullRequest[],
  landings: readonly Landing[],
  end: number,
): DemoBuild[] {
  const out: DemoBuild[] = [];
  const runners = rng.fork("ci-runners");
  const run = (
    sha: string,
    branch: string,
    event: string,
    queuedAt: number,
    failShare: number,
    attempt = 1,
  ): number | null => {
    const startAt = queuedAt + Math.round(runners.lognormal(Math.max(0.1, ci.queueMinutes), 0.8) * MINUTE);
    if (startAt > end) return null;
    const finished = startAt + Math.round(rng.lognormal(ci.minutes * 0.7, 0.3) * MINUTE);
    const done = finished <= end;
    const failed = rng.chance(failShare);
    const flaky = !failed && attempt === 1 && runners.chance(ci.flakyShare);
    out.push({
      source: "demo",
      externalId: `run-${out.length + 1}`,
      workflow: "ci",
      branch,
      sha,
      event,
      status: done ? "completed" : "in_progress",
      conclusion: done ? (failed || flaky ? "failure" : "success") : null,
      queuedAt: new Date(queuedAt),
      startedAt: new Date(startAt),
      finishedAt: done ? new Date(finished) : null,
      attempt,
    });
    if (done && flaky) run(sha, branch, event, finished + Math.round(runners.float(5, 30) * MINUTE), 0, 2);
    return failed && done ? finished : null;
  };
  for (const pr of prs) {
    if (!pr.readyAt || !pr.headSha) continue;
    const failedAt = run(
      pr.headSha,
      pr.headBranch ?? "",
      "pull_request",
      pr.readyAt.getTime() + MINUTE,
      0.07,
    );
    if (failedAt !== null)
      run(
        pr.headSha,
        pr.headBranch ?? "",
        "pull_request",
        failedAt + Math.round(rng.float(20, 90) * MINUTE),
        0,
      );
  }
  for (const l of landings.slice(1)) run(l.sha, "main", "push", l.at + 20_000, 0.03);
  return out;
}
