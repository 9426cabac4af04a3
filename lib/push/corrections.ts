import { and, eq } from "drizzle-orm";
import { audit } from "@/lib/audit";
import type { ApiCaller } from "@/lib/auth/api-tokens";
import {
  type CorrectionRow,
  correctionRepository,
  createCorrection,
  listCorrections,
  revokeCorrection,
  targets,
} from "@/lib/corrections";
import type { Db, Tx } from "@/lib/db";
import { sameRepository } from "@/lib/db/repository-name";
import { pullRequests, repositories } from "@/lib/db/schema";
import type { PushContext } from "./handler";
import { HttpError } from "./http";
import type { PushResult } from "./idempotency";
import type { CorrectionBody } from "./schemas";
import { assertReadableRepository } from "./scope";

/** The corrections API: the same corrections as the deployment page's, made by a token (named as their author). */

export const byToken = (caller: ApiCaller) => `API token “${caller.name}”`;
const tokenActor = (caller: ApiCaller) => ({ name: byToken(caller), subject: `token:${caller.tokenId}` });

export async function pushCorrection({ tx, caller, body }: PushContext<CorrectionBody>): Promise<PushResult> {
  const input = {
    kind: body.kind,
    deploymentId: body.deployment ?? null,
    pullRequestId: body.pullRequest ? await pullRequestId(tx, body.pullRequest) : null,
    incidentId: body.incident ?? null,
    reason: body.reason,
  };
  for (const repositoryId of await targets(tx, input))
    await assertReadableRepository(tx, caller, repositoryId);
  const row = await createCorrection(tx, input, byToken(caller));
  await audit(tx, tokenActor(caller), "correction.create", `correction ${row.id}`, {
    kind: row.kind,
    reason: row.reason,
  });
  return { status: 201, body: toJson(row) };
}

export async function revokeViaApi(db: Db, caller: ApiCaller, id: number): Promise<PushResult> {
  await assertReadableRepository(db, caller, await correctionRepository(db, id));
  const row = await revokeCorrection(db, id, byToken(caller));
  await audit(db, tokenActor(caller), "correction.revoke", `correction ${id}`);
  return { status: 200, body: toJson(row) };
}

export async function listViaApi(db: Db, caller: ApiCaller, deploymentId: number): Promise<PushResult> {
  const rows = await listCorrections(db, { deploymentId });
  if (rows[0]) await assertReadableRepository(db, caller, await correctionRepository(db, rows[0].id));
  return { status: 200, body: { corrections: rows.map(toJson) } };
}

async function pullRequestId(tx: Tx, ref: { repository: string; number: number }): Promise<number> {
  const [row] = await tx
    .select({ id: pullRequests.id })
    .from(pullRequests)
    .innerJoin(repositories, eq(repositories.id, pullRequests.repositoryId))
    .where(and(sameRepository(repositories.fullName, ref.repository), eq(pullRequests.number, ref.number)));
  if (!row) {
    throw new HttpError(
      422,
      "unknown_reference",
      `pullRequest: ${ref.repository} has no pull request #${ref.number}`,
    );
  }
  return row.id;
}

function toJson(c: CorrectionRow) {
  return {
    id: c.id,
    kind: c.kind,
    deployment: c.deploymentId,
    pullRequest: c.pullRequestId,
    incident: c.incidentId,
    reason: c.reason,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    revokedBy: c.revokedBy,
    revokedAt: c.revokedAt,
    active: c.revokedAt === null,
  };
}
