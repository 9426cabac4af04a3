import { and, asc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { commits, deploymentChanges, pullRequests } from "@/lib/db/schema";
import { type DerivedChange, deriveChains, type PullRequestInput, toChange } from "./chains";
import { commitsOfPullRequests } from "./corrections";
import type { CommitGraph } from "./graph";
import { type DeriveContext, declaredCommitsOf, pullRequestColumns } from "./load";

/**
 * Incremental derive (ADR 0018): the chains of one repository from `fromMs` on. Every chain's state at that point
 * is restored from the rows derived before it (their recorded predecessors: no graph walk), then only the
 * deployments that went live at or after it are placed and walked. Their changes learn the earlier deliveries of
 * the same commits from the stored rows, so "first delivery" means what it means in a derive from scratch.
 */

const ids = (values: readonly (number | string)[]) =>
  sql`(select v::bigint from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) as x(v))`;
const texts = (values: readonly string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

export function inTail(finishedAt: Date | null, fromMs: number): boolean {
  return finishedAt === null || finishedAt.getTime() >= fromMs;
}

export async function deriveTail(
  tx: Db,
  repositoryId: number,
  ctx: DeriveContext,
  graph: CommitGraph,
  fromMs: number,
) {
  const rows = ctx.deploymentRows;
  const recorded = new Map(
    rows
      .filter((d) => !inTail(d.finishedAt, fromMs))
      .map((d) => [d.id, { prevDeploymentId: d.prevDeploymentId }]),
  );
  const tail = rows.filter((d) => inTail(d.finishedAt, fromMs));
  const excludedPrs = [...ctx.applied.excludedPullRequests];
  const excludedShas = excludedPrs.length
    ? commitsOfPullRequests(
        await tx.select(pullRequestColumns).from(pullRequests).where(inArray(pullRequests.id, excludedPrs)),
        ctx.applied.excludedPullRequests,
        graph,
      )
    : new Set<string>();
  const out = deriveChains({
    deployments: rows,
    services: ctx.serviceRows,
    pullRequests: [],
    graph,
    tierOf: ctx.tierOf,
    excludedDeployments: ctx.applied.excludedDeployments,
    excludedShas,
    declaredCommits: await declaredCommitsOf(
      tx,
      repositoryId,
      tail.map((d) => d.id),
    ),
    rollbackWindowHours: ctx.settings?.rollbackWindowHours,
    restore: { beforeMs: fromMs, recorded },
  });

  // Pull requests of the commits the tail shipped: their start, bot flag and PR (what `toChange` reads).
  const shipped = [...new Set(out.changes.map((c) => c.commitSha))];
  const prs = shipped.length
    ? await tx
        .select(pullRequestColumns)
        .from(pullRequests)
        .where(
          and(
            eq(pullRequests.repositoryId, repositoryId),
            sql`${pullRequests.mergeSha} in ${texts(shipped)}`,
          ),
        )
        // By id, as a derive from scratch reads them: of two PRs naming the same merge commit, the later one wins.
        .orderBy(asc(pullRequests.id))
    : [];
  const prBySha = new Map<string, PullRequestInput>();
  for (const pr of prs) if (pr.mergeSha) prBySha.set(pr.mergeSha, pr);
  const byId = new Map(rows.map((d) => [d.id, d]));

  // Earlier deliveries of the same commits (stored rows before fromMs, which this derive leaves as they are).
  const commitIds = [...new Set(out.changes.map((c) => c.commitId))];
  const prior = commitIds.length
    ? await tx
        .select({
          serviceId: deploymentChanges.serviceId,
          environment: deploymentChanges.environment,
          commitId: deploymentChanges.commitId,
        })
        .from(deploymentChanges)
        .where(
          and(
            sql`${deploymentChanges.commitId} in ${ids(commitIds)}`,
            sql`${deploymentChanges.deployedAt} < ${new Date(fromMs).toISOString()}::timestamptz`,
          ),
        )
    : [];
  const inEnvironment = new Set(prior.map((p) => `${p.serviceId}|${p.environment}|${p.commitId}`));
  const inTier = new Set(prior.map((p) => `${p.serviceId}|${ctx.tierOf(p.environment)}|${p.commitId}`));

  const changes: DerivedChange[] = out.changes.map((c) => {
    const commit = graph.get(c.commitSha);
    const next = commit
      ? toChange(byId.get(c.deploymentId) as (typeof rows)[number], commit, prBySha.get(c.commitSha), true)
      : { ...c };
    return {
      ...next,
      isExcluded: c.isExcluded,
      firstInEnvironment:
        c.firstInEnvironment && !inEnvironment.has(`${c.serviceId}|${c.environment}|${c.commitId}`),
      firstInTier: c.firstInTier && !inTier.has(`${c.serviceId}|${ctx.tierOf(c.environment)}|${c.commitId}`),
    };
  });
  return { derived: out.deployments, changes, tailIds: tail.map((d) => d.id) };
}

/**
 * The stored changes outcomes and incident links can use: those of revert and hotfix pull requests and of the
 * pull requests reverted, and those of commits an incident names as its cause. Every other change plays no part
 * in them, so outcomes over this set equal outcomes over every change (ADR 0018).
 */
export async function changesForOutcomes(tx: Db, repositoryId: number, ctx: DeriveContext) {
  const reverted = tx
    .select({ n: pullRequests.revertsNumber })
    .from(pullRequests)
    .where(
      and(
        eq(pullRequests.repositoryId, repositoryId),
        pullRequests.isRevert,
        isNotNull(pullRequests.revertsNumber),
      ),
    );
  const prs = await tx
    .select(pullRequestColumns)
    .from(pullRequests)
    .where(
      and(
        eq(pullRequests.repositoryId, repositoryId),
        isNotNull(pullRequests.mergeSha),
        or(pullRequests.isRevert, pullRequests.isHotfix, inArray(pullRequests.number, reverted)),
      ),
    )
    .orderBy(asc(pullRequests.id));
  const causes = [
    ...new Set(ctx.incidentRows.flatMap((i) => (i.causedBySha ? [i.causedBySha.toLowerCase()] : []))),
  ];
  const causeCommits = causes.length
    ? tx
        .select({ id: commits.id })
        .from(commits)
        .where(
          and(
            eq(commits.repositoryId, repositoryId),
            sql`exists (select 1 from jsonb_array_elements_text(${JSON.stringify(causes)}::jsonb) as p(v)
                        where left(${commits.sha}, length(p.v)) = p.v)`,
          ),
        )
    : null;
  const prIds = prs.map((p) => p.id);
  if (!prIds.length && !causeCommits) return { prs, changes: [] as DerivedChange[] };
  const changes = await tx
    .select({
      deploymentId: deploymentChanges.deploymentId,
      commitId: deploymentChanges.commitId,
      commitSha: commits.sha,
      pullRequestId: deploymentChanges.pullRequestId,
      serviceId: deploymentChanges.serviceId,
      environment: deploymentChanges.environment,
      deployedAt: deploymentChanges.deployedAt,
      startedAt: deploymentChanges.startedAt,
      leadSeconds: deploymentChanges.leadSeconds,
      isBot: deploymentChanges.isBot,
      isMerge: deploymentChanges.isMerge,
      isExcluded: deploymentChanges.isExcluded,
      firstInEnvironment: deploymentChanges.firstInEnvironment,
      firstInTier: deploymentChanges.firstInTier,
    })
    .from(deploymentChanges)
    .innerJoin(commits, eq(commits.id, deploymentChanges.commitId))
    .where(
      or(
        prIds.length ? inArray(deploymentChanges.pullRequestId, prIds) : undefined,
        causeCommits ? inArray(deploymentChanges.commitId, causeCommits) : undefined,
      ),
    );
  return { prs, changes: canonical(changes) };
}

/** One order for the changes outcomes and links see, whichever derive produced them: ties then break alike. */
export function canonical<T extends { deployedAt: Date; deploymentId: number; commitId: number }>(
  changes: T[],
): T[] {
  return changes.sort(
    (a, b) =>
      a.deployedAt.getTime() - b.deployedAt.getTime() ||
      a.deploymentId - b.deploymentId ||
      a.commitId - b.commitId,
  );
}
