import type { InferSelectModel } from "drizzle-orm";
import type { deployments, pullRequests } from "@/lib/db/schema";
import type { GhDeployment } from "@/lib/ingest/github/map";
import type { PullRequestRecord } from "@/lib/ingest/records";

/**
 * A webhook carries one moment of a thing: one status of a deployment, one review of a pull request. Merged here
 * with what is stored, so that events arriving in any order (or again) converge to what the poller would write.
 */

type PullRequestRow = InferSelectModel<typeof pullRequests>;
type DeploymentRow = Pick<
  InferSelectModel<typeof deployments>,
  "status" | "createdAt" | "finishedAt" | "url"
>;

const earliest = (a: Date | string | null | undefined, b: Date | string | null | undefined) => {
  const times = [a, b].filter((x): x is Date | string => x != null).map((x) => new Date(x));
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
};

/**
 * Fields a pull_request payload does not carry (first commit time, reviews, the exact merge method) keep their
 * stored values; review times keep the earliest; reviewers accumulate.
 */
export function mergePullRequest(
  stored: PullRequestRow | undefined,
  incoming: PullRequestRecord,
): PullRequestRecord {
  if (!stored) return incoming;
  return {
    ...incoming,
    readyAt: stored.readyAt ?? incoming.readyAt,
    firstCommitAt: stored.firstCommitAt ?? incoming.firstCommitAt,
    mergeMethod: stored.mergeMethod ?? incoming.mergeMethod,
    firstReviewAt: earliest(stored.firstReviewAt, incoming.firstReviewAt as Date | string | null),
    approvedAt: earliest(stored.approvedAt, incoming.approvedAt as Date | string | null),
    reviewerLogins: [...new Set([...stored.reviewerLogins, ...(incoming.reviewerLogins ?? [])])],
    additions: incoming.additions || stored.additions,
    deletions: incoming.deletions || stored.deletions,
    changedFiles: incoming.changedFiles || stored.changedFiles,
    commitCount: incoming.commitCount || stored.commitCount,
  };
}

const STATE_OF: Record<string, string> = {
  success: "SUCCESS",
  failure: "FAILURE",
  error: "ERROR",
  cancelled: "INACTIVE",
  in_progress: "IN_PROGRESS",
  queued: "QUEUED",
};

/**
 * The stored outcome of a deployment as the status that produced it, to be weighed with a new status by the same
 * rule the poller applies to a deployment's full status list (map.ts deploymentOutcome).
 */
export function storedStatuses(row: DeploymentRow | undefined): GhDeployment["statuses"] {
  if (!row) return [];
  const at = (row.finishedAt ?? row.createdAt).toISOString();
  return [{ state: STATE_OF[row.status] ?? "QUEUED", createdAt: at, url: row.url }];
}
