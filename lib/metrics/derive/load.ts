import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import {
  corrections,
  deploymentDeclaredCommits,
  deployments,
  environments,
  incidents,
  orgSettings,
  pullRequests,
  services,
} from "@/lib/db/schema";
import { inferTier } from "@/lib/domain/environments";
import type { EnvironmentTier } from "@/lib/domain/vocabulary";
import { type AppliedCorrections, applicableCorrections } from "./corrections";

/** What both derives (whole and from a point in time) read of one repository, none of it the commit graph. */

export async function loadContext(tx: Db, repositoryId: number) {
  const [settings] = await tx.select().from(orgSettings).limit(1);
  const tiers = new Map((await tx.select().from(environments)).map((e) => [e.name, e.tier]));
  const tierOf = (env: string): EnvironmentTier => tiers.get(env) ?? inferTier(env);

  const serviceRows = await tx
    .select({ id: services.id, pathPrefixes: services.pathPrefixes })
    .from(services)
    .where(eq(services.repositoryId, repositoryId));
  const needPaths = serviceRows.some((s) => s.pathPrefixes.length > 0);
  // By id: outcomes then meet their signals in the same order whichever derive runs.
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
    .where(eq(deployments.repositoryId, repositoryId))
    .orderBy(asc(deployments.id));

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
  const applied: AppliedCorrections = applicableCorrections(correctionRows);
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
    )
    .orderBy(asc(incidents.id));
  return { settings, tierOf, serviceRows, needPaths, deploymentRows, applied, incidentRows };
}

export type DeriveContext = Awaited<ReturnType<typeof loadContext>>;
export type DeploymentRow = DeriveContext["deploymentRows"][number];

export const pullRequestColumns = {
  id: pullRequests.id,
  number: pullRequests.number,
  mergeSha: pullRequests.mergeSha,
  mergeMethod: pullRequests.mergeMethod,
  firstCommitAt: pullRequests.firstCommitAt,
  isBot: pullRequests.isBot,
  isRevert: pullRequests.isRevert,
  revertsNumber: pullRequests.revertsNumber,
  isHotfix: pullRequests.isHotfix,
};

/** Every merged pull request of the repository (derive from scratch). */
export function allPullRequests(tx: Db, repositoryId: number) {
  return tx
    .select(pullRequestColumns)
    .from(pullRequests)
    .where(and(eq(pullRequests.repositoryId, repositoryId), isNotNull(pullRequests.mergeSha)))
    .orderBy(asc(pullRequests.id));
}

/** The commits each deployment says it shipped (push API); `ids`: only these deployments. */
export async function declaredCommitsOf(
  tx: Db,
  repositoryId: number,
  ids?: readonly number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (ids && ids.length === 0) return out;
  const which = ids
    ? sql`${deploymentDeclaredCommits.deploymentId} in (select v::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as x(v))`
    : inArray(
        deploymentDeclaredCommits.deploymentId,
        tx.select({ id: deployments.id }).from(deployments).where(eq(deployments.repositoryId, repositoryId)),
      );
  for (const row of await tx
    .select({ deploymentId: deploymentDeclaredCommits.deploymentId, sha: deploymentDeclaredCommits.sha })
    .from(deploymentDeclaredCommits)
    .where(which)
    .orderBy(asc(deploymentDeclaredCommits.deploymentId), asc(deploymentDeclaredCommits.sha))) {
    out.set(row.deploymentId, [...(out.get(row.deploymentId) ?? []), row.sha]);
  }
  return out;
}
