import { and, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/lib/db";
import { deployments, incidents, repositories, services } from "@/lib/db/schema";
import type { Source } from "@/lib/domain/vocabulary";
import type { IncidentRecord } from "@/lib/ingest/records";
import { ensureRepositories } from "@/lib/ingest/source/repositories";
import { upsertIncidents } from "@/lib/ingest/store";

/**
 * What the incident sources (PagerDuty, Opsgenie) share beyond the store: the incidents still open (the next sync
 * checks whether they were resolved), and an incident read back as a record so that a webhook carrying one fact (a
 * note, a resolution) can be merged with what is stored.
 */

/** External ids of this source's stored incidents that are not resolved. */
export async function openIncidentIds(db: Db, source: Source): Promise<string[]> {
  const rows = await db
    .select({ id: incidents.externalId })
    .from(incidents)
    .where(and(eq(incidents.source, source), isNull(incidents.resolvedAt)))
    .orderBy(incidents.externalId);
  return rows.map((r) => r.id);
}

const caused = alias(deployments, "caused");
const causedRepo = alias(repositories, "caused_repo");
const restored = alias(deployments, "restored");
const restoredRepo = alias(repositories, "restored_repo");
const service = alias(services, "incident_service");

/**
 * A stored incident (with its service and the deployments it names, as references) as the record that would write
 * it again, or null. The one reader for every source: the push API's PATCH and re-POST merge over it too.
 */
export async function storedIncident(
  db: Db,
  source: Source,
  externalId: string,
): Promise<IncidentRecord | null> {
  const [r] = await db
    .select({
      i: incidents,
      repository: repositories.fullName,
      service: service.name,
      serviceIsDefault: service.isDefault,
      caused: { repository: causedRepo.fullName, source: caused.source, externalId: caused.externalId },
      restored: {
        repository: restoredRepo.fullName,
        source: restored.source,
        externalId: restored.externalId,
      },
    })
    .from(incidents)
    .leftJoin(repositories, eq(repositories.id, incidents.repositoryId))
    .leftJoin(service, eq(service.id, incidents.serviceId))
    .leftJoin(caused, eq(caused.id, incidents.causedByDeploymentId))
    .leftJoin(causedRepo, eq(causedRepo.id, caused.repositoryId))
    .leftJoin(restored, eq(restored.id, incidents.restoredByDeploymentId))
    .leftJoin(restoredRepo, eq(restoredRepo.id, restored.repositoryId))
    .where(and(eq(incidents.source, source), eq(incidents.externalId, externalId)));
  if (!r) return null;
  const ref = (d: { repository: string | null; source: string | null; externalId: string | null }) =>
    d.repository && d.source && d.externalId
      ? { repository: d.repository, source: d.source as Source, externalId: d.externalId }
      : null;
  return {
    source,
    externalId,
    title: r.i.title,
    url: r.i.url,
    repository: r.repository,
    service: r.service && !r.serviceIsDefault ? r.service : null,
    severity: r.i.severity,
    openedAt: r.i.openedAt,
    resolvedAt: r.i.resolvedAt,
    causedBy: ref(r.caused),
    causedBySha: r.i.causedBySha,
    restoredBy: ref(r.restored),
  };
}

/**
 * Writes incidents, keeping a cause already stored when the record names none: a cause found once (in a note, a
 * custom field, a webhook) is not forgotten when the incident is read again from a list that does not carry it.
 */
export async function upsertKeepingCauses(
  db: Db,
  source: Source,
  records: readonly IncidentRecord[],
): Promise<void> {
  if (!records.length) return;
  const ids = records.filter((r) => !r.causedBySha).map((r) => r.externalId);
  const stored = ids.length
    ? await db
        .select({ id: incidents.externalId, sha: incidents.causedBySha })
        .from(incidents)
        .where(and(eq(incidents.source, source), inArray(incidents.externalId, ids)))
    : [];
  const causes = new Map(stored.map((s) => [s.id, s.sha]));
  await ensureRepositories(
    db,
    source,
    records.flatMap((r) => (r.repository ? [r.repository] : [])),
  );
  await upsertIncidents(
    db,
    records.map((r) => (r.causedBySha ? r : { ...r, causedBySha: causes.get(r.externalId) ?? null })),
  );
}
