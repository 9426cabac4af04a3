import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { type MergeMethod, PR_STATES, type PullRequestState, sqlList } from "@/lib/domain/vocabulary";
import { timestamptz } from "./columns";
import { repositories } from "./repositories";

/** Pull (merge) requests: the stages of the lead-time breakdown and the revert/hotfix failure signals. */
export const pullRequests = pgTable(
  "pull_requests",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    repositoryId: integer()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    title: text().notNull().default(""),
    url: text(),
    authorLogin: text(),
    isBot: boolean().notNull().default(false),
    state: text().$type<PullRequestState>().notNull(),
    baseBranch: text().notNull().default("main"),
    headBranch: text().notNull().default(""),
    headSha: text(),
    /** The commit the merge produced on the base branch (merge commit, squash commit or last rebased commit). */
    mergeSha: text(),
    mergeMethod: text().$type<MergeMethod>(),
    createdAt: timestamptz().notNull(),
    /** When it left draft; equals createdAt for PRs that were never drafts. */
    readyAt: timestamptz(),
    /** Earliest author time of the PR's commits: survives squash merges, so it is where a squashed change starts. */
    firstCommitAt: timestamptz(),
    firstReviewAt: timestamptz(),
    approvedAt: timestamptz(),
    mergedAt: timestamptz(),
    closedAt: timestamptz(),
    additions: integer().notNull().default(0),
    deletions: integer().notNull().default(0),
    changedFiles: integer().notNull().default(0),
    commitCount: integer().notNull().default(0),
    labels: text().array().notNull().default(sql`'{}'::text[]`),
    reviewerLogins: text().array().notNull().default(sql`'{}'::text[]`),
    isRevert: boolean().notNull().default(false),
    /** The PR number this one reverts, when known. */
    revertsNumber: integer(),
    isHotfix: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex("pull_requests_repository_number_uq").on(t.repositoryId, t.number),
    // Serves derive: "which PR produced this commit" (squash start times, revert signals).
    index("pull_requests_repository_merge_sha_idx").on(t.repositoryId, t.mergeSha),
    index("pull_requests_repository_merged_idx").on(t.repositoryId, t.mergedAt),
    // The PR-based breakdown joins its changes to these columns only: one index-only probe (or one index-only
    // scan for a hash join) instead of a heap visit per pull request (issue 11: ~6,000 of them per team page).
    index("pull_requests_breakdown_idx").on(
      t.id,
      t.isBot,
      t.firstCommitAt,
      t.createdAt,
      t.readyAt,
      t.firstReviewAt,
      t.mergedAt,
    ),
    check("pull_requests_state_ck", sql`${t.state} in (${sql.raw(sqlList(PR_STATES))})`),
  ],
);
