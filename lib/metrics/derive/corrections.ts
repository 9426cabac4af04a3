import type { CorrectionKind } from "@/lib/db/schema/corrections";
import type { CommitGraph } from "./graph";

/**
 * Pure: what the active corrections (made by hand, not revoked) say, in the shape derive applies them.
 * Definitions: docs/metrics.md § Corrections.
 *
 * - Several corrections of the same deployment's outcome (failed / not failed): the newest wins.
 * - Several link/unlink corrections of the same incident: the newest wins.
 */

export interface CorrectionInput {
  id: number;
  kind: CorrectionKind;
  deploymentId: number | null;
  pullRequestId: number | null;
  incidentId: number | null;
  createdAt: Date;
}

export interface AppliedCorrections {
  /** Left out of the chains as if the source had never reported them. */
  excludedDeployments: ReadonlySet<number>;
  /** Their changes stay listed but leave lead time; they are no revert or hotfix signal. */
  excludedPullRequests: ReadonlySet<number>;
  /** Deployment → failed (true) or not failed (false). */
  outcome: ReadonlyMap<number, boolean>;
  /** Incident → the deployment it is linked to, or null ("caused by none of ours"). */
  incidentLink: ReadonlyMap<number, { deploymentId: number; linked: boolean }>;
}

export const NO_CORRECTIONS: AppliedCorrections = {
  excludedDeployments: new Set(),
  excludedPullRequests: new Set(),
  outcome: new Map(),
  incidentLink: new Map(),
};

export function applicableCorrections(rows: readonly CorrectionInput[]): AppliedCorrections {
  const oldestFirst = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  const excludedDeployments = new Set<number>();
  const excludedPullRequests = new Set<number>();
  const outcome = new Map<number, boolean>();
  const incidentLink = new Map<number, { deploymentId: number; linked: boolean }>();
  for (const c of oldestFirst) {
    switch (c.kind) {
      case "deployment_excluded":
        if (c.deploymentId !== null) excludedDeployments.add(c.deploymentId);
        break;
      case "pull_request_excluded":
        if (c.pullRequestId !== null) excludedPullRequests.add(c.pullRequestId);
        break;
      case "deployment_failed":
      case "deployment_not_failed":
        if (c.deploymentId !== null) outcome.set(c.deploymentId, c.kind === "deployment_failed");
        break;
      case "incident_linked":
      case "incident_unlinked":
        if (c.incidentId !== null && c.deploymentId !== null) {
          incidentLink.set(c.incidentId, {
            deploymentId: c.deploymentId,
            linked: c.kind === "incident_linked",
          });
        }
        break;
    }
  }
  return { excludedDeployments, excludedPullRequests, outcome, incidentLink };
}

/**
 * The commits of the excluded pull requests: the merge/squash commit itself and, for a merge commit, every
 * commit it brought in (reachable from its second parent and not from its first: `git log p1..p2`).
 */
export function commitsOfPullRequests(
  pullRequests: readonly { id: number; mergeSha: string | null }[],
  excluded: ReadonlySet<number>,
  graph: CommitGraph,
): Set<string> {
  const out = new Set<string>();
  for (const pr of pullRequests) {
    if (!excluded.has(pr.id) || !pr.mergeSha) continue;
    out.add(pr.mergeSha);
    const merge = graph.get(pr.mergeSha);
    const [first, second] = merge?.parentShas ?? [];
    if (first === undefined || second === undefined) continue;
    const range = graph.range(second, first, 10_000);
    if (range.ok) for (const c of range.commits) out.add(c.sha);
  }
  return out;
}
