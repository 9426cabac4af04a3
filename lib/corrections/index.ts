import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { type CorrectionKind, corrections, deployments, incidents, pullRequests } from "@/lib/db/schema";
import { markForDerive } from "@/lib/metrics/derive/marks";

/**
 * Corrections by hand (docs/metrics.md § Corrections): an admin says a deployment failed or did not, excludes a
 * deployment or a pull request, or links/unlinks an incident. Each records who, when and why; derive applies the
 * active ones over whatever the sources say, so they survive every re-ingest. A newer correction of the same
 * thing supersedes the older (which is kept, revoked, in the history).
 */

export class CorrectionError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = "CorrectionError";
  }
}

export interface NewCorrection {
  kind: CorrectionKind;
  deploymentId?: number | null;
  pullRequestId?: number | null;
  incidentId?: number | null;
  reason: string;
}

export interface CorrectionRow {
  id: number;
  kind: CorrectionKind;
  deploymentId: number | null;
  pullRequestId: number | null;
  pullRequestNumber: number | null;
  incidentId: number | null;
  incidentTitle: string | null;
  reason: string;
  createdBy: string;
  createdAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

/** Which corrections a new one supersedes: the same question about the same thing. */
function supersedes(c: NewCorrection) {
  if (c.kind === "deployment_failed" || c.kind === "deployment_not_failed") {
    return and(
      eq(corrections.deploymentId, c.deploymentId as number),
      inArray(corrections.kind, ["deployment_failed", "deployment_not_failed"]),
    );
  }
  if (c.kind === "incident_linked" || c.kind === "incident_unlinked") {
    return and(
      eq(corrections.incidentId, c.incidentId as number),
      inArray(corrections.kind, ["incident_linked", "incident_unlinked"]),
    );
  }
  if (c.kind === "deployment_excluded") {
    return and(eq(corrections.deploymentId, c.deploymentId as number), eq(corrections.kind, c.kind));
  }
  return and(eq(corrections.pullRequestId, c.pullRequestId as number), eq(corrections.kind, c.kind));
}

export async function createCorrection(db: Db, input: NewCorrection, by: string): Promise<CorrectionRow> {
  return db.transaction(async (tx) => {
    const repositoryIds = await targets(tx, input);
    await tx
      .update(corrections)
      .set({ revokedAt: new Date(), revokedBy: by })
      .where(and(supersedes(input), isNull(corrections.revokedAt)));
    const [row] = await tx
      .insert(corrections)
      .values({
        kind: input.kind,
        deploymentId: input.deploymentId ?? null,
        pullRequestId: input.pullRequestId ?? null,
        incidentId: input.incidentId ?? null,
        reason: input.reason.trim(),
        createdBy: by,
      })
      .returning({ id: corrections.id });
    await markRepositories(tx, repositoryIds, input.kind);
    return (await listCorrections(tx, { id: (row as { id: number }).id }))[0] as CorrectionRow;
  });
}

export async function revokeCorrection(db: Db, id: number, by: string): Promise<CorrectionRow> {
  return db.transaction(async (tx) => {
    const [current] = await listCorrections(tx, { id });
    if (!current) throw new CorrectionError(404, `there is no correction ${id}`);
    if (current.revokedAt) throw new CorrectionError(409, `correction ${id} was already revoked`);
    await tx.update(corrections).set({ revokedAt: new Date(), revokedBy: by }).where(eq(corrections.id, id));
    await markRepositories(
      tx,
      await targets(tx, { ...current, reason: current.reason }, { forRevoke: true }),
      current.kind,
    );
    return (await listCorrections(tx, { id }))[0] as CorrectionRow;
  });
}

/** The repositories whose derived data the correction changes; checks that what it names exists and fits. */
export async function targets(
  db: Db,
  c: NewCorrection,
  options: { forRevoke?: boolean } = {},
): Promise<number[]> {
  const out: number[] = [];
  if (c.deploymentId != null) {
    const [d] = await db
      .select({
        repositoryId: deployments.repositoryId,
        status: deployments.status,
        kind: deployments.kind,
        prev: deployments.prevDeploymentId,
      })
      .from(deployments)
      .where(eq(deployments.id, c.deploymentId));
    if (!d) throw new CorrectionError(404, `there is no deployment ${c.deploymentId}`);
    const outcome = c.kind === "deployment_failed" || c.kind === "deployment_not_failed";
    if ((outcome || c.kind === "incident_linked") && !options.forRevoke && d.status !== "success") {
      throw new CorrectionError(
        422,
        `deployment ${c.deploymentId} did not succeed (${d.status}): only deployments that went live count in the change failure rate`,
      );
    }
    if (outcome && !options.forRevoke && d.kind === "redeploy") {
      throw new CorrectionError(
        422,
        `deployment ${c.deploymentId} redeployed the SHA already live: correct deployment ${d.prev}, which shipped it`,
      );
    }
    out.push(d.repositoryId);
  }
  if (c.pullRequestId != null) {
    const [p] = await db
      .select({ repositoryId: pullRequests.repositoryId })
      .from(pullRequests)
      .where(eq(pullRequests.id, c.pullRequestId));
    if (!p) throw new CorrectionError(404, `there is no pull request ${c.pullRequestId}`);
    out.push(p.repositoryId);
  }
  if (c.incidentId != null) {
    const [i] = await db
      .select({ repositoryId: incidents.repositoryId, linked: deployments.repositoryId })
      .from(incidents)
      .leftJoin(deployments, eq(deployments.id, incidents.linkedDeploymentId))
      .where(eq(incidents.id, c.incidentId));
    if (!i) throw new CorrectionError(404, `there is no incident ${c.incidentId}`);
    for (const id of [i.repositoryId, i.linked]) if (id !== null) out.push(id);
  }
  return [...new Set(out)];
}

/**
 * An exclusion takes a deployment out of its chain or a pull request's commits out of lead time: the chains
 * re-derive whole. Every other correction changes incident links and outcomes only (ADR 0018).
 */
async function markRepositories(db: Db, ids: number[], kind: CorrectionKind): Promise<void> {
  await markForDerive(db, ids, { full: kind === "deployment_excluded" || kind === "pull_request_excluded" });
}

export async function listCorrections(
  db: Db,
  where: { id?: number; deploymentId?: number; pullRequestIds?: number[]; incidentIds?: number[] },
): Promise<CorrectionRow[]> {
  const conditions = [
    where.id !== undefined ? eq(corrections.id, where.id) : undefined,
    where.deploymentId !== undefined ? eq(corrections.deploymentId, where.deploymentId) : undefined,
    where.pullRequestIds?.length ? inArray(corrections.pullRequestId, where.pullRequestIds) : undefined,
    where.incidentIds?.length ? inArray(corrections.incidentId, where.incidentIds) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select({
      id: corrections.id,
      kind: corrections.kind,
      deploymentId: corrections.deploymentId,
      pullRequestId: corrections.pullRequestId,
      pullRequestNumber: pullRequests.number,
      incidentId: corrections.incidentId,
      incidentTitle: incidents.title,
      reason: corrections.reason,
      createdBy: corrections.createdBy,
      createdAt: corrections.createdAt,
      revokedBy: corrections.revokedBy,
      revokedAt: corrections.revokedAt,
    })
    .from(corrections)
    .leftJoin(pullRequests, eq(pullRequests.id, corrections.pullRequestId))
    .leftJoin(incidents, eq(incidents.id, corrections.incidentId))
    .where(conditions.length ? or(...conditions) : sql`true`)
    .orderBy(desc(corrections.createdAt), desc(corrections.id));
}

/** The repository a correction's subject lives in (for scoped API tokens). */
export async function correctionRepository(db: Db, id: number): Promise<number | null> {
  const [row] = await db
    .select({ d: deployments.repositoryId, p: pullRequests.repositoryId })
    .from(corrections)
    .leftJoin(deployments, eq(deployments.id, corrections.deploymentId))
    .leftJoin(pullRequests, eq(pullRequests.id, corrections.pullRequestId))
    .where(eq(corrections.id, id));
  if (!row) throw new CorrectionError(404, `there is no correction ${id}`);
  return row.d ?? row.p ?? null;
}
