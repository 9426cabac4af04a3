import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import {
  ATTRIBUTIONS,
  type Attribution,
  DEPLOYMENT_KINDS,
  DEPLOYMENT_STATUSES,
  type DeploymentKind,
  type DeploymentStatus,
  type DeploymentTrigger,
  type DiscountReason,
  type FailureReason,
  type ReworkReason,
  type Source,
  sqlList,
} from "@/lib/domain/vocabulary";
import { timestamptz } from "./columns";
import { commits } from "./commits";
import { pullRequests } from "./pull-requests";
import { repositories, services } from "./repositories";

/**
 * One deployment of one service to one environment. The first block is what a source reports (written only by
 * the ingest store); the second block is derived by lib/metrics/derive from the chain of deployments of the same
 * service and environment, and is never written by a source.
 */
export const deployments = pgTable(
  "deployments",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    repositoryId: integer()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    serviceId: integer()
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environment: text().notNull(),
    sha: text().notNull(),
    ref: text(),
    status: text().$type<DeploymentStatus>().notNull(),
    createdAt: timestamptz().notNull(),
    startedAt: timestamptz(),
    /** When it finished; for a successful deployment, when the SHA went live. Every time metric uses this. */
    finishedAt: timestamptz(),
    source: text().$type<Source>().notNull(),
    externalId: text().notNull(),
    url: text(),
    trigger: text().$type<DeploymentTrigger>().notNull().default("unknown"),
    /** Kind as the source reported it (a push API caller may say "rollback" or "hotfix"); null = not stated. */
    declaredKind: text().$type<DeploymentKind>(),
    /** The source says this deployment remediates that one ("this fixes deployment X"). */
    fixesDeploymentId: bigint({ mode: "number" }).references((): AnyPgColumn => deployments.id, {
      onDelete: "set null",
    }),
    /**
     * The release line the source names (a config or git-ingest rule: per-package tags, release branches); null:
     * inferred from the commit graph (docs/metrics.md § Release lines).
     */
    line: text(),

    // ---- derived (lib/metrics/derive) ----
    /** The latest earlier deployment of its line whose commit is an ancestor of (or equal to) this one's. */
    prevDeploymentId: bigint({ mode: "number" }).references((): AnyPgColumn => deployments.id, {
      onDelete: "set null",
    }),
    /** The first deployment of its line (a plain pointer rewritten by every derive, hence no foreign key). */
    lineStartId: bigint({ mode: "number" }),
    /** A rollback, or a redeploy later than the rollback window: the deployment whose SHA it took back. */
    undoesDeploymentId: bigint({ mode: "number" }).references((): AnyPgColumn => deployments.id, {
      onDelete: "set null",
    }),
    /** Remedies it made later than their window, which count as no failure (rollback, revert). */
    discountedReasons: text().array().$type<DiscountReason[]>().notNull().default(sql`'{}'::text[]`),
    /** Its changes reach commits whose parents are not held (history cut at a sync horizon): some are missing. */
    historyCut: boolean().notNull().default(false),
    kind: text().$type<DeploymentKind>().notNull().default("normal"),
    attribution: text().$type<Attribution>().notNull().default("pending"),
    changeCount: integer().notNull().default(0),
    /** Successful, not a redeploy, not excluded: what deployment frequency, change failure and rework rate count. */
    isCounted: boolean().notNull().default(false),
    /** Excluded by a correction: listed, never counted. */
    isExcluded: boolean().notNull().default(false),
    /** A correction decided is_failed (either way): shown next to the figure. */
    isCorrected: boolean().notNull().default(false),
    isFailed: boolean().notNull().default(false),
    failureReasons: text().array().$type<FailureReason[]>().notNull().default(sql`'{}'::text[]`),
    recoveredAt: timestamptz(),
    recoverySeconds: integer(),
    recoveryDeploymentId: bigint({ mode: "number" }).references((): AnyPgColumn => deployments.id, {
      onDelete: "set null",
    }),
    isRework: boolean().notNull().default(false),
    reworkReasons: text().array().$type<ReworkReason[]>().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    uniqueIndex("deployments_source_external_uq").on(t.repositoryId, t.source, t.externalId),
    // Serves every metric query: services × environments over a finished_at range. The trailing columns make the
    // aggregates index-only.
    index("deployments_metrics_idx")
      .on(t.serviceId, t.environment, t.finishedAt, t.isFailed, t.isRework, t.recoverySeconds)
      .where(sql`${t.isCounted}`),
    // Serves the drill-down list and derive (chains are walked per repository, newest first).
    index("deployments_repository_finished_idx").on(t.repositoryId, t.finishedAt),
    index("deployments_finished_idx").on(t.finishedAt),
    // Serves the CSV export's keyset batches (lib/reports/queries.ts), ordered by when a deployment went live.
    index("deployments_live_at_idx").on(sql`coalesce(finished_at, created_at)`, t.id),
    // Serves the pipeline's "first deployment of a merge commit" lookup (lib/pipeline/queries.ts): without it the
    // report scanned a repository's deployments once per pull request (5 s of an org year at the default scale).
    index("deployments_repository_sha_idx").on(t.repositoryId, t.sha),
    // Every foreign key is indexed: deleting a deployment (or a repository, a service) must not scan these tables
    // once per deleted row to clear references.
    index("deployments_prev_idx").on(t.prevDeploymentId),
    index("deployments_fixes_idx").on(t.fixesDeploymentId),
    index("deployments_recovery_idx").on(t.recoveryDeploymentId),
    index("deployments_undoes_idx").on(t.undoesDeploymentId),
    // Serves the drill-down list and the data-quality counts (every status), and the service_id foreign key.
    index("deployments_service_env_finished_idx").on(t.serviceId, t.environment, t.finishedAt),
    check("deployments_status_ck", sql`${t.status} in (${sql.raw(sqlList(DEPLOYMENT_STATUSES))})`),
    check("deployments_kind_ck", sql`${t.kind} in (${sql.raw(sqlList(DEPLOYMENT_KINDS))})`),
    check("deployments_attribution_ck", sql`${t.attribution} in (${sql.raw(sqlList(ATTRIBUTIONS))})`),
    check("deployments_success_finished_ck", sql`${t.status} <> 'success' or ${t.finishedAt} is not null`),
  ],
);

/**
 * The changes (commits) each deployment shipped, derived by walking the commit graph. Deployment columns are
 * copied here so that lead-time percentiles are one index range scan.
 */
export const deploymentChanges = pgTable(
  "deployment_changes",
  {
    deploymentId: bigint({ mode: "number" })
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    commitId: bigint({ mode: "number" })
      .notNull()
      .references(() => commits.id, { onDelete: "cascade" }),
    /** Set when this commit is the merge/squash commit of a PR: the PR's delivery (lead-time breakdown). */
    pullRequestId: bigint({ mode: "number" }).references(() => pullRequests.id, { onDelete: "set null" }),
    serviceId: integer().notNull(),
    environment: text().notNull(),
    deployedAt: timestamptz().notNull(),
    /** When the change started: the commit's author time, or its PR's first commit for a squash merge. */
    startedAt: timestamptz().notNull(),
    leadSeconds: integer().notNull(),
    isBot: boolean().notNull(),
    isMerge: boolean().notNull(),
    /** Its pull request (or the deployment) was excluded by a correction. */
    isExcluded: boolean().notNull().default(false),
    /** First delivery of this commit to this environment (a change re-shipped after a rollback counts once). */
    firstInEnvironment: boolean().notNull(),
    /** First delivery to any environment of the same tier (prod-eu and prod-us count a change once). */
    firstInTier: boolean().notNull(),
  },
  (t) => [
    primaryKey({ name: "deployment_changes_pk", columns: [t.deploymentId, t.commitId] }),
    // Serves lead-time percentiles; bots and merge commits are not changes of their own.
    index("deployment_changes_lead_time_idx")
      .on(t.serviceId, t.environment, t.deployedAt, t.leadSeconds, t.firstInEnvironment, t.firstInTier)
      .where(sql`not ${t.isBot} and not ${t.isMerge} and not ${t.isExcluded}`),
    // Serves the PR-based breakdown as an index-only scan: the trailing columns are every column of a change it
    // reads (with pull_requests_breakdown_idx, the breakdown never visits either table's rows).
    index("deployment_changes_pr_idx")
      .on(
        t.serviceId,
        t.environment,
        t.deployedAt,
        t.pullRequestId,
        t.startedAt,
        t.isExcluded,
        t.firstInEnvironment,
        t.firstInTier,
      )
      .where(sql`${t.pullRequestId} is not null`),
    index("deployment_changes_commit_idx").on(t.commitId),
    // Serves the changes and pull-request exports' keyset batches (lib/reports/queries.ts).
    index("deployment_changes_deployed_idx").on(t.deployedAt),
    index("deployment_changes_pull_request_idx").on(t.pullRequestId),
    // Serves the data-quality count of bot changes left out of lead time.
    index("deployment_changes_bots_idx").on(t.serviceId, t.environment, t.deployedAt).where(sql`${t.isBot}`),
  ],
);
