import { and, eq } from "drizzle-orm";
import type { ApiCaller } from "@/lib/auth/api-tokens";
import type { Tx } from "@/lib/db";
import { deployments, incidents, repositories, services } from "@/lib/db/schema";
import { storedIncident } from "@/lib/ingest/incidents/stored";
import type { IncidentRecord } from "@/lib/ingest/records";
import { upsertIncidents } from "@/lib/ingest/store";
import type { PushContext } from "./handler";
import { HttpError } from "./http";
import type { PushResult } from "./idempotency";
import type { IncidentBody, IncidentPatch } from "./schemas";
import { assertReadableRepository, writableRepository } from "./scope";

/**
 * POST /api/v1/incidents and PATCH /api/v1/incidents/{id}: incidents from a pager or an incident tool. `id` is
 * the caller's (PagerDuty's, Opsgenie's…); posting it again updates the incident; PATCH changes some fields.
 */

type DeploymentRef = NonNullable<IncidentRecord["causedBy"]>;

export async function pushIncident({ tx, caller, body }: PushContext<IncidentBody>): Promise<PushResult> {
  const existing = await findApiIncident(tx, body.id);
  const record = await toRecord(
    tx,
    caller,
    body.id,
    body,
    existing ? await storedIncident(tx, "api", body.id) : null,
  );
  return write(tx, caller, record, existing === null);
}

export async function patchIncident(
  { tx, caller, body }: PushContext<IncidentPatch>,
  id: string,
): Promise<PushResult> {
  const existing = await findApiIncident(tx, id);
  if (!existing) {
    const other = /^\d+$/.test(id)
      ? await tx
          .select()
          .from(incidents)
          .where(eq(incidents.id, Number(id)))
      : [];
    if (other[0]) {
      throw new HttpError(
        409,
        "not_an_api_incident",
        `incident ${id} comes from ${other[0].source}: change it there (or correct its link in Throughline)`,
      );
    }
    throw new HttpError(
      404,
      "not_found",
      `there is no incident with id '${id}': create it with POST /api/v1/incidents`,
    );
  }
  await assertReadableRepository(tx, caller, existing.repositoryId);
  const patch: IncidentPatch = { ...body };
  if (body.status === "resolved") patch.resolvedAt = body.resolvedAt ?? new Date();
  if (body.status === "open") patch.resolvedAt = null;
  const record = await toRecord(tx, caller, id, patch, await storedIncident(tx, "api", id));
  return write(tx, caller, record, false);
}

async function write(
  tx: Tx,
  caller: ApiCaller,
  record: IncidentRecord,
  created: boolean,
): Promise<PushResult> {
  if (record.repository) await writableRepository(tx, caller, record.repository, record.service ?? undefined);
  await upsertIncidents(tx, [record]);
  const row = (await findApiIncident(tx, record.externalId)) as { id: number };
  return { status: created ? 201 : 200, body: { ...(await describe(tx, row.id)), created } };
}

async function findApiIncident(tx: Tx, externalId: string) {
  const [row] = await tx
    .select({ id: incidents.id, repositoryId: incidents.repositoryId })
    .from(incidents)
    .where(and(eq(incidents.source, "api"), eq(incidents.externalId, externalId)));
  return row ?? null;
}

/** The body over what is stored (PATCH, or POST of a known id): fields left out keep their values. */
async function toRecord(
  tx: Tx,
  caller: ApiCaller,
  id: string,
  body: Partial<IncidentBody>,
  current: IncidentRecord | null,
): Promise<IncidentRecord> {
  let repository = body.repository ?? current?.repository ?? null;
  let service = body.service ?? (body.repository ? null : (current?.service ?? null));
  let causedBy = current?.causedBy ?? null;
  if (body.causedByDeployment !== undefined) {
    causedBy = await deploymentRef(tx, caller, body.causedByDeployment, repository, "causedByDeployment");
    // An incident named only by its causing deployment belongs to that deployment's service.
    if (causedBy && !repository && typeof body.causedByDeployment === "number") {
      const placed = await placement(tx, body.causedByDeployment);
      repository = placed.repository;
      service = placed.service;
    }
  }
  const restoredBy =
    body.restoredByDeployment !== undefined
      ? await deploymentRef(tx, caller, body.restoredByDeployment, repository, "restoredByDeployment")
      : (current?.restoredBy ?? null);
  return {
    source: "api",
    externalId: id,
    title: body.title ?? current?.title ?? "",
    url: body.url ?? current?.url ?? null,
    repository,
    service,
    severity: body.severity ?? current?.severity ?? null,
    openedAt: body.openedAt ?? current?.openedAt ?? new Date(),
    resolvedAt: body.resolvedAt !== undefined ? body.resolvedAt : (current?.resolvedAt ?? null),
    causedBy,
    causedBySha: body.causedBySha !== undefined ? body.causedBySha : (current?.causedBySha ?? null),
    restoredBy,
  };
}

async function deploymentRef(
  tx: Tx,
  caller: ApiCaller,
  ref: number | string | null,
  repository: string | null,
  field: string,
): Promise<DeploymentRef | null> {
  if (ref === null) return null;
  if (typeof ref === "string") {
    if (!repository)
      throw new HttpError(422, "invalid_body", `${field}: your own deployment id needs repository`);
    return { repository, source: "api", externalId: ref };
  }
  const [row] = await tx
    .select({
      repository: repositories.fullName,
      repositoryId: repositories.id,
      source: deployments.source,
      externalId: deployments.externalId,
    })
    .from(deployments)
    .innerJoin(repositories, eq(repositories.id, deployments.repositoryId))
    .where(eq(deployments.id, ref));
  if (!row) throw new HttpError(422, "unknown_reference", `${field}: there is no deployment ${ref}`);
  await assertReadableRepository(tx, caller, row.repositoryId);
  return { repository: row.repository, source: row.source, externalId: row.externalId };
}

async function placement(
  tx: Tx,
  deploymentId: number,
): Promise<{ repository: string; service: string | null }> {
  const [row] = await tx
    .select({ repository: repositories.fullName, service: services.name, isDefault: services.isDefault })
    .from(deployments)
    .innerJoin(repositories, eq(repositories.id, deployments.repositoryId))
    .innerJoin(services, eq(services.id, deployments.serviceId))
    .where(eq(deployments.id, deploymentId));
  if (!row) throw new HttpError(422, "unknown_reference", `there is no deployment ${deploymentId}`);
  return { repository: row.repository, service: row.isDefault ? null : row.service };
}

async function describe(tx: Tx, id: number) {
  const [row] = await tx
    .select({
      id: incidents.id,
      externalId: incidents.externalId,
      title: incidents.title,
      repository: repositories.fullName,
      severity: incidents.severity,
      openedAt: incidents.openedAt,
      resolvedAt: incidents.resolvedAt,
      causedByDeployment: incidents.causedByDeploymentId,
      causedBySha: incidents.causedBySha,
      restoredByDeployment: incidents.restoredByDeploymentId,
    })
    .from(incidents)
    .leftJoin(repositories, eq(repositories.id, incidents.repositoryId))
    .where(eq(incidents.id, id));
  return row;
}
