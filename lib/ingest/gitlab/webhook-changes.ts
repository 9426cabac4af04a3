import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Tx } from "@/lib/db";
import { pullRequests } from "@/lib/db/schema";
import { mapCommit } from "@/lib/ingest/github/map";
import type { PullRequestRecord } from "@/lib/ingest/records";
import { upsertCommits, upsertPullRequests } from "@/lib/ingest/store";
import { pushCommits } from "@/lib/ingest/webhooks/github/adapt";
import { mergePullRequest } from "@/lib/ingest/webhooks/github/merge";
import { mapMergeRequest } from "./map";
import type { GqlMergeRequest } from "./queries";

/**
 * Push Hook and Merge Request Hook through the sync's mapping. Their payloads carry less than the API: a push's
 * commits have no parents (inferred as for GitHub's push: each commit's parent is the one listed before it, a
 * "Merge branch" subject gets two) and at most 20 commits; a merge request event has no commits and no notes. So
 * what a sync stored is never overwritten by less (commits kept, merge-request fields merged as for GitHub's
 * pull_request events), and with GITLAB_TOKEN a sync of the project follows to fill in the rest.
 */

/** `2026-02-05 10:00:00 UTC`, `… +0200` or ISO 8601 → ISO 8601 (GitLab writes all three in hooks). */
export const hookTime = z.string().transform((v, ctx) => {
  const iso = v.replace(
    /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) (UTC|[+-]\d{4})$/,
    (_, d, t, z) => `${d}T${t}${z === "UTC" ? "Z" : `${z.slice(0, 3)}:${z.slice(3)}`}`,
  );
  if (Number.isNaN(Date.parse(iso))) {
    ctx.addIssue({ code: "custom", message: "must be a time" });
    return z.NEVER;
  }
  return new Date(iso).toISOString();
});

export const Project = z.object({
  path_with_namespace: z.string().min(1),
  default_branch: z.string().nullish(),
  web_url: z.string().nullish(),
});
export const Sha = z.string().regex(/^[0-9a-f]{40}$/i);
const HookUser = z.object({ username: z.string(), name: z.string().nullish() }).nullish();

export const Push = z.object({
  object_kind: z.literal("push"),
  project: Project,
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  total_commits_count: z.number().int().nullish(),
  commits: z
    .array(
      z.object({
        id: Sha,
        message: z.string(),
        title: z.string().nullish(),
        timestamp: hookTime,
        author: z.object({ name: z.string().nullish(), email: z.string().nullish() }).nullish(),
      }),
    )
    .default([]),
});

export const MergeRequest = z.object({
  object_kind: z.literal("merge_request"),
  project: Project,
  user: HookUser,
  labels: z.array(z.object({ title: z.string() })).default([]),
  object_attributes: z.object({
    iid: z.number().int().positive(),
    title: z.string(),
    description: z.string().nullish(),
    url: z.string().nullish(),
    state: z.enum(["opened", "closed", "merged", "locked"]),
    draft: z.boolean().nullish(),
    work_in_progress: z.boolean().nullish(),
    created_at: hookTime,
    updated_at: hookTime,
    source_branch: z.string(),
    target_branch: z.string(),
    merge_commit_sha: Sha.nullish(),
    squash_commit_sha: Sha.nullish(),
    squash: z.boolean().nullish(),
    last_commit: z.object({ id: Sha }).nullish(),
    /** open, close, reopen, update, approved, unapproved, approval, unapproval, merge */
    action: z.string().nullish(),
  }),
});

/** The commits of a push to the default branch; commits the sync or a clone stored are kept as they are. */
export async function onPush(
  tx: Tx,
  config: ThroughlineConfig,
  repoId: number,
  p: z.output<typeof Push>,
  defaultBranch: string,
): Promise<number> {
  if (p.ref !== `refs/heads/${defaultBranch}` || /^0+$/.test(p.after)) return 0;
  // More commits than the payload lists (GitLab sends at most 20): the first listed has a parent we are not told.
  const truncated = (p.total_commits_count ?? p.commits.length) > p.commits.length;
  const list = pushCommits({
    before: p.before,
    forced: truncated,
    commits: p.commits.map((c) => ({
      id: c.id,
      message: c.message,
      timestamp: c.timestamp,
      author: { name: c.author?.name ?? null, email: c.author?.email ?? null, username: null },
    })),
  }).map((c) => mapCommit(c, config.bots));
  await upsertCommits(tx, repoId, list, { keepExisting: true, botPatterns: config.bots });
  return list.length;
}

/** A Merge Request Hook as the GraphQL merge request the sync maps (what the hook lacks left empty). */
export function hookMergeRequest(p: z.output<typeof MergeRequest>): GqlMergeRequest {
  const a = p.object_attributes;
  const merged = a.state === "merged";
  const approval = a.action === "approved" || a.action === "approval";
  // A squash merge whose squash commit the hook does not name: the commit that landed is unknown (not the head).
  const unknownLanding = merged && a.squash && !a.squash_commit_sha && !a.merge_commit_sha;
  return {
    iid: String(a.iid),
    title: a.title,
    description: a.description ?? null,
    webUrl: a.url ?? "",
    state: a.state,
    draft: a.draft ?? a.work_in_progress ?? false,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    // The hook has no merged_at / closed_at: the merge or close event's own update time.
    mergedAt: merged ? a.updated_at : null,
    closedAt: a.state === "closed" ? a.updated_at : null,
    sourceBranch: a.source_branch,
    targetBranch: a.target_branch,
    diffHeadSha: unknownLanding ? null : (a.last_commit?.id ?? null),
    mergeCommitSha: a.merge_commit_sha ?? null,
    squashCommitSha: a.squash_commit_sha ?? null,
    squash: a.squash ?? false,
    commitCount: null,
    diffStatsSummary: null,
    author: a.action === "open" && p.user ? { username: p.user.username, bot: false } : null,
    labels: { nodes: p.labels },
    commits: null,
    notes: {
      nodes:
        approval && p.user
          ? [
              {
                createdAt: a.updated_at,
                system: true,
                body: "approved this merge request",
                author: { username: p.user.username, bot: false },
              },
            ]
          : [],
    },
  };
}

/** A merge request event, merged with what is stored so that events in any order converge to the sync's row. */
export async function onMergeRequest(
  tx: Tx,
  config: ThroughlineConfig,
  repoId: number,
  p: z.output<typeof MergeRequest>,
): Promise<void> {
  const incoming = mapMergeRequest(hookMergeRequest(p), config.bots);
  const [stored] = await tx
    .select()
    .from(pullRequests)
    .where(and(eq(pullRequests.repositoryId, repoId), eq(pullRequests.number, p.object_attributes.iid)));
  const merged = mergePullRequest(stored, incoming);
  const record: PullRequestRecord = stored
    ? {
        ...merged,
        // What only the sync knows exactly: the author, when it merged or closed, and the commit that landed.
        authorLogin: incoming.authorLogin ?? stored.authorLogin,
        isBot: incoming.authorLogin ? incoming.isBot : stored.isBot,
        mergedAt: merged.mergedAt ? (stored.mergedAt ?? merged.mergedAt) : null,
        closedAt: merged.closedAt ? (stored.closedAt ?? merged.closedAt) : null,
        mergeSha: incoming.mergeSha ?? stored.mergeSha,
      }
    : merged;
  await upsertPullRequests(tx, repoId, [record], { botPatterns: config.bots });
}
