import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { insertRows, updateRows } from "@/lib/db/bulk";
import {
  commits,
  corrections,
  deploymentChanges,
  deploymentDeclaredCommits,
  deployments,
  environments,
  incidents,
  orgSettings,
  pullRequests,
  repositories,
  services,
} from "@/lib/db/schema";
import { inferTier } from "@/lib/domain/environments";
import type { EnvironmentTier } from "@/lib/domain/vocabulary";
import { refreshRollups } from "@/lib/metrics/rollups";
import { type DerivedDeployment, deriveChains } from "./chains";
import { applicableCorrections, commitsOfPullRequests } from "./corrections";
import { CommitGraph } from "./graph";
import { linkIncidents } from "./incident-links";
import { deriveOutcomes } from "./outcomes";

export interface DeriveSummary {
  repositoryId: number;
  deployments: number;
  changes: number;
  failed: number;
  incidentsLinked: number;
  ms: number;
}

/**
 * Recomputes everything derived for one repository: deployment chains, kinds, shipped changes, incident links,
 * failures, rework and recovery. Deterministic and idempotent: the result depends only on the source rows, so
 * re-running it (after a crash, a re-ingest, a settings change) converges to the same database.
 */
export async function deriveRepository(db: Db, repositoryId: number): Promise<DeriveSummary> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    // Clear the flag first, in this transaction: a writer that marks the repository again while we run blocks on
    // this row until we commit, so its mark survives and the next derive picks its data up.
    await tx
      .update(repositories)
      .set({ needsDerive: false, derivedAt: new Date() })
      .where(eq(repositories.id, repositoryId));

    const [settings] = await tx.select().from(orgSettings).limit(1);
    const tiers = new Map((await tx.select().from(environments)).map((e) => [e.name, e.tier]));
    const tierOf = (env: string): EnvironmentTier => tiers.get(env) ?? inferTier(env);

    const serviceRows = await tx
      .select({ id: services.id, pathPrefixes: services.pathPrefixes })
      .from(services)
      .where(eq(services.repositoryId, repositoryId));
    const needPaths = serviceRows.some((s) => s.pathPrefixes.length > 0);
    const deploymentRows = await tx
      .select({
        id: deployments.id,
        serviceId: deployments.serviceId,
        environment: deployments.environment,
        sha: deployments.sha,
        status: deployments.status,
        finishedAt: deployments.finishedAt,
        declaredKind: deployments.declaredKind,
        fixesDeploymentId: deployments.fixesDeploymentId,
        line: deployments.line,
        prevDeploymentId: deployments.prevDeploymentId,
        lineStartId: deployments.lineStartId,
        undoesDeploymentId: deployments.undoesDeploymentId,
        discountedReasons: deployments.discountedReasons,
        historyCut: deployments.historyCut,
        kind: deployments.kind,
        attribution: deployments.attribution,
        changeCount: deployments.changeCount,
        isCounted: deployments.isCounted,
        isFailed: deployments.isFailed,
        failureReasons: deployments.failureReasons,
        recoveredAt: deployments.recoveredAt,
        recoverySeconds: deployments.recoverySeconds,
        recoveryDeploymentId: deployments.recoveryDeploymentId,
        isRework: deployments.isRework,
        reworkReasons: deployments.reworkReasons,
        isExcluded: deployments.isExcluded,
        isCorrected: deployments.isCorrected,
      })
      .from(deployments)
      .where(eq(deployments.repositoryId, repositoryId));
    const commitRows = await tx
      .select({
        id: commits.id,
        sha: commits.sha,
        parentShas: commits.parentShas,
        authoredAt: commits.authoredAt,
        isBot: commits.isBot,
        changedPaths: needPaths ? commits.changedPaths : sql<null>`null`,
      })
      .from(commits)
      .where(eq(commits.repositoryId, repositoryId));
    const prRows = await tx
      .select({
        id: pullRequests.id,
        number: pullRequests.number,
        mergeSha: pullRequests.mergeSha,
        mergeMethod: pullRequests.mergeMethod,
        firstCommitAt: pullRequests.firstCommitAt,
        isBot: pullRequests.isBot,
        isRevert: pullRequests.isRevert,
        revertsNumber: pullRequests.revertsNumber,
        isHotfix: pullRequests.isHotfix,
      })
      .from(pullRequests)
      .where(and(eq(pullRequests.repositoryId, repositoryId), isNotNull(pullRequests.mergeSha)));
    const serviceIds = serviceRows.map((s) => s.id);
    const ofThisRepository = tx
      .select({ id: deployments.id })
      .from(deployments)
      .where(eq(deployments.repositoryId, repositoryId));
    const ownIncidents = or(
      eq(incidents.repositoryId, repositoryId),
      serviceIds.length ? inArray(incidents.serviceId, serviceIds) : sql`false`,
    );
    const correctionRows = await tx
      .select({
        id: corrections.id,
        kind: corrections.kind,
        deploymentId: corrections.deploymentId,
        pullRequestId: corrections.pullRequestId,
        incidentId: corrections.incidentId,
        createdAt: corrections.createdAt,
      })
      .from(corrections)
      .where(
        and(
          isNull(corrections.revokedAt),
          or(
            inArray(corrections.deploymentId, ofThisRepository),
            inArray(
              corrections.pullRequestId,
              tx
                .select({ id: pullRequests.id })
                .from(pullRequests)
                .where(eq(pullRequests.repositoryId, repositoryId)),
            ),
            inArray(
              corrections.incidentId,
              tx.select({ id: incidents.id }).from(incidents).where(ownIncidents),
            ),
          ),
        ),
      );
    const applied = applicableCorrections(correctionRows);
    const declaredCommits = new Map<number, string[]>();
    for (const row of await tx
      .select({ deploymentId: deploymentDeclaredCommits.deploymentId, sha: deploymentDeclaredCommits.sha })
      .from(deploymentDeclaredCommits)
      .where(inArray(deploymentDeclaredCommits.deploymentId, ofThisRepository))) {
      declaredCommits.set(row.deploymentId, [...(declaredCommits.get(row.deploymentId) ?? []), row.sha]);
    }
    // The incidents of this repository's services, and any other incident a source or a correction ties to one of
    // its deployments (both derives then reach the same link: explicit links and corrections win over the rules).
    const correctedIncidents = correctionRows.flatMap((c) => (c.incidentId !== null ? [c.incidentId] : []));
    const incidentRows = await tx
      .select({
        id: incidents.id,
        serviceId: incidents.serviceId,
        repositoryId: incidents.repositoryId,
        openedAt: incidents.openedAt,
        resolvedAt: incidents.resolvedAt,
        causedByDeploymentId: incidents.causedByDeploymentId,
        causedBySha: incidents.causedBySha,
        restoredByDeploymentId: incidents.restoredByDeploymentId,
        linkedDeploymentId: incidents.linkedDeploymentId,
        linkMethod: incidents.linkMethod,
      })
      .from(incidents)
      .where(
        or(
          ownIncidents,
          inArray(incidents.causedByDeploymentId, ofThisRepository),
          correctedIncidents.length ? inArray(incidents.id, correctedIncidents) : sql`false`,
        ),
      );

    const graph = new CommitGraph(commitRows);
    const chains = deriveChains({
      deployments: deploymentRows,
      services: serviceRows,
      pullRequests: prRows,
      graph,
      tierOf,
      excludedDeployments: applied.excludedDeployments,
      excludedShas: commitsOfPullRequests(prRows, applied.excludedPullRequests, graph),
      declaredCommits,
      rollbackWindowHours: settings?.rollbackWindowHours,
    });
    const derived = new Map<number, DerivedDeployment>(chains.deployments.map((d) => [d.id, d]));
    const links = linkIncidents({
      incidents: incidentRows,
      deployments: deploymentRows,
      derived,
      changes: chains.changes,
      repositoryOfService: new Map(serviceRows.map((s) => [s.id, repositoryId])),
      tierOf,
      windowHours: settings?.incidentLinkWindowHours ?? 24,
      corrections: applied.incidentLink,
    });
    const outcomes = deriveOutcomes({
      deployments: deploymentRows,
      derived,
      changes: chains.changes,
      pullRequests: prRows,
      incidents: incidentRows,
      links,
      corrections: applied.outcome,
      revertWindowHours: settings?.revertWindowHours,
    });

    // Write only what changed: a re-derive of an unchanged repository is a read.
    const current = new Map(deploymentRows.map((d) => [d.id, d]));
    const updates = chains.deployments
      .map((d) => ({ ...d, ...(outcomes.get(d.id) as NonNullable<ReturnType<typeof outcomes.get>>) }))
      .filter((next) => {
        const now = current.get(next.id);
        return !now || fingerprint(now) !== fingerprint(next);
      });
    await updateRows(tx, deployments, "id", updates);

    if (deploymentRows.length > 0) {
      await tx
        .delete(deploymentChanges)
        .where(
          inArray(
            deploymentChanges.deploymentId,
            tx
              .select({ id: deployments.id })
              .from(deployments)
              .where(eq(deployments.repositoryId, repositoryId)),
          ),
        );
    }
    await insertRows(
      tx,
      deploymentChanges,
      chains.changes.map(({ commitSha: _sha, ...change }) => change),
    );

    const incidentsById = new Map(incidentRows.map((i) => [i.id, i]));
    const linkChanges = links.filter((l) => {
      const now = incidentsById.get(l.id);
      return now?.linkedDeploymentId !== l.linkedDeploymentId || now?.linkMethod !== l.linkMethod;
    });
    await updateRows(tx, incidents, "id", linkChanges);

    // The one place derived rows become visible to readers' caches (and, later, rollups): keep it last.
    await refreshRollups(tx, repositoryId, null);

    return {
      repositoryId,
      deployments: deploymentRows.length,
      changes: chains.changes.length,
      failed: [...outcomes.values()].filter((o) => o.isFailed).length,
      incidentsLinked: links.filter((l) => l.linkedDeploymentId !== null).length,
      ms: Math.round(performance.now() - started),
    };
  });
}

function fingerprint(d: {
  prevDeploymentId: number | null;
  lineStartId: number | null;
  undoesDeploymentId: number | null;
  discountedReasons: readonly string[];
  historyCut: boolean;
  kind: string;
  attribution: string;
  changeCount: number;
  isCounted: boolean;
  isFailed: boolean;
  failureReasons: readonly string[];
  recoveredAt: Date | null;
  recoverySeconds: number | null;
  recoveryDeploymentId: number | null;
  isRework: boolean;
  reworkReasons: readonly string[];
  isExcluded: boolean;
  isCorrected: boolean;
}): string {
  return JSON.stringify([
    d.prevDeploymentId,
    d.lineStartId,
    d.undoesDeploymentId,
    [...d.discountedReasons].sort(),
    d.historyCut,
    d.kind,
    d.attribution,
    d.changeCount,
    d.isCounted,
    d.isFailed,
    [...d.failureReasons].sort(),
    d.recoveredAt?.getTime() ?? null,
    d.recoverySeconds,
    d.recoveryDeploymentId,
    d.isRework,
    [...d.reworkReasons].sort(),
    d.isExcluded,
    d.isCorrected,
  ]);
}

/** Derives every repository marked as changed (or all of them), one transaction each. */
export async function deriveRepositories(
  db: Db,
  options: { all?: boolean; onProgress?: (s: DeriveSummary, done: number, total: number) => void } = {},
): Promise<DeriveSummary[]> {
  const rows = await db
    .select({ id: repositories.id })
    .from(repositories)
    .where(options.all ? undefined : eq(repositories.needsDerive, true))
    .orderBy(repositories.id);
  const out: DeriveSummary[] = [];
  for (const [i, { id }] of rows.entries()) {
    const summary = await deriveRepository(db, id);
    out.push(summary);
    options.onProgress?.(summary, i + 1, rows.length);
  }
  return out;
}

/** After a change that affects every repository's derived data (environment tiers, the incident window). */
export async function markAllForDerive(db: Db): Promise<void> {
  await db.update(repositories).set({ needsDerive: true });
}
