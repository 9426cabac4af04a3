import { MINUTE } from "./calendar";
import type { DemoBuild } from "./deploy";
import type { DemoPullRequest, Landing } from "./graph";
import type { Rng } from "./random";

/** CI: a run for each PR's head when it is ready for review (some fail and are re-run), one per push to main. */
export function ciBuilds(
  rng: Rng,
  ciMinutes: number,
  prs: readonly DemoPullRequest[],
  landings: readonly Landing[],
  end: number,
): DemoBuild[] {
  const out: DemoBuild[] = [];
  const run = (sha: string, branch: string, event: string, startAt: number, failShare: number) => {
    if (startAt > end) return null;
    const finished = startAt + Math.round(rng.lognormal(ciMinutes * 0.7, 0.3) * MINUTE);
    const done = finished <= end;
    const failed = rng.chance(failShare);
    out.push({
      source: "demo",
      externalId: `run-${out.length + 1}`,
      workflow: "ci",
      branch,
      sha,
      event,
      status: done ? "completed" : "in_progress",
      conclusion: done ? (failed ? "failure" : "success") : null,
      startedAt: new Date(startAt),
      finishedAt: done ? new Date(finished) : null,
    });
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
