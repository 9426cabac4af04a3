import type { z } from "zod";
import type { GhActor, GhCommit, GhDeployment, GhIssue, GhPullRequest } from "@/lib/ingest/github/map";
import { payloadService } from "@/lib/ingest/github/map";
import type { IssuePayload, PushPayload, RestDeployment, RestPullRequest } from "./payloads";

/**
 * Webhook (REST) shapes → the normalised `Gh*` shapes of lib/ingest/github/map.ts, so that one mapping decides
 * what a pull request, a deployment or an issue means whichever way it arrived. What a payload does not carry is
 * left unknown here and kept from what is stored (see ./merge.ts).
 */

const actor = (u: { login: string; type?: string } | null | undefined): GhActor => ({
  login: u?.login ?? null,
  isBot: u?.type === "Bot",
});

export function fromRestPullRequest(
  pr: RestPullRequest,
  extra: {
    /** The merge commit, when we hold it: its parents and author time tell the merge method. */
    mergeCommit?: { parents: number; authoredAt: string } | null;
    readyForReviewAt?: string | null;
    reviews?: GhPullRequest["reviews"];
  } = {},
): GhPullRequest {
  const merged = pr.merged === true || (pr.state === "closed" && !!pr.merged_at);
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body ?? null,
    url: pr.html_url ?? null,
    state: merged ? "merged" : pr.state,
    isDraft: pr.draft === true,
    createdAt: pr.created_at,
    mergedAt: pr.merged_at ?? null,
    closedAt: pr.closed_at ?? null,
    additions: pr.additions ?? 0,
    deletions: pr.deletions ?? 0,
    changedFiles: pr.changed_files ?? 0,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    headSha: pr.head.sha?.toLowerCase() ?? null,
    author: actor(pr.user),
    mergeCommitSha: pr.merge_commit_sha?.toLowerCase() ?? null,
    mergeCommitParents: extra.mergeCommit?.parents ?? null,
    mergeCommitAuthoredAt: extra.mergeCommit?.authoredAt ?? null,
    commitCount: pr.commits ?? 0,
    firstCommitAuthoredAt: null,
    lastCommitAuthoredAt: null,
    reviews: extra.reviews ?? [],
    labels: pr.labels.map((l) => l.name),
    readyForReviewAt: extra.readyForReviewAt ?? null,
  };
}

/** GitHub's merge messages: a commit with one of these subjects merged a branch (a second parent we are not told). */
const MERGE_SUBJECT = /^Merge (pull request #\d+|branch '|remote-tracking branch ')/;

/**
 * The commits of a push to the default branch. Push payloads carry no parents, so they are inferred: each commit's
 * parent is the one listed before it; a commit with a merge subject gets two parents, the branch line it merged
 * onto and the last commit listed before it. For "what did this deployment ship" (everything reachable from the
 * new head and not from the old) this gives the same answer as the real graph; with API access a sync replaces it.
 * Each commit has one timestamp in a push; it stands for both author and committer time.
 */
export function pushCommits(payload: Pick<PushPayload, "before" | "forced" | "commits">): GhCommit[] {
  const known = /^0+$/.test(payload.before) || payload.forced ? null : payload.before.toLowerCase();
  const out: GhCommit[] = [];
  let line = known; // the first-parent line: the pushed branch before the commits of a merged branch
  let previous = known;
  for (const c of payload.commits) {
    const sha = c.id.toLowerCase();
    const subject = c.message.split("\n", 1)[0] ?? "";
    const isMerge = MERGE_SUBJECT.test(subject);
    const parents = isMerge
      ? [line, previous !== line ? previous : null].filter((p): p is string => p !== null)
      : previous
        ? [previous]
        : [];
    out.push({
      sha,
      parents,
      authoredAt: c.timestamp,
      committedAt: c.timestamp,
      title: subject,
      authorName: c.author.name ?? "",
      authorEmail: c.author.email ?? "",
      authorLogin: c.author.username ?? null,
    });
    if (isMerge) line = sha;
    previous = sha;
  }
  return out;
}

type Status = GhDeployment["statuses"][number];

export function fromRestDeployment(d: z.infer<typeof RestDeployment>, statuses: Status[]): GhDeployment {
  const payload = typeof d.payload === "string" ? d.payload : d.payload ? JSON.stringify(d.payload) : null;
  return {
    id: d.id,
    environment: d.environment ?? "production",
    sha: d.sha.toLowerCase(),
    ref: d.ref ?? null,
    service: payloadService(payload),
    createdAt: d.created_at,
    creator: actor(d.creator),
    statuses,
  };
}

export function fromRestIssue(issue: z.infer<typeof IssuePayload>["issue"]): GhIssue {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    url: issue.html_url ?? null,
    state: issue.state ?? (issue.closed_at ? "closed" : "open"),
    createdAt: issue.created_at,
    closedAt: issue.closed_at ?? null,
    labels: issue.labels.map((l) => l.name),
  };
}
