import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { commits, repositories, services } from "@/lib/db/schema";
import { writeState } from "@/lib/ingest/sync-state";
import { markForDerive } from "@/lib/metrics/derive/marks";

/** Who owns what, and how a monorepo splits into services. Changing paths re-derives the repository. */

export async function setRepositoryTeam(db: Db, repositoryId: number, teamId: number | null): Promise<void> {
  await db.update(repositories).set({ teamId }).where(eq(repositories.id, repositoryId));
}

export const ServiceInput = z.object({
  repositoryId: z.coerce.number().int().positive(),
  name: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Give the service a name")
    .max(60)
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "Lower-case letters, digits and . _ - separators"),
  pathPrefixes: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(300)
        .refine((p) => !p.startsWith("/"), "Paths are relative to the repository root (no leading /)"),
    )
    .min(1, "List at least one path prefix, e.g. services/api/"),
  teamId: z.coerce.number().int().positive().nullable(),
});
export type ServiceInput = z.input<typeof ServiceInput>;

export class ServiceError extends Error {
  constructor(
    readonly field: "name" | "pathPrefixes" | "service",
    message: string,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/**
 * Commit paths are stored as the service prefixes each commit touches (lib/ingest/github/sync/paths.ts): when the
 * prefixes change they are unknown again (kept in every service) until the next sync recomputes them.
 */
async function invalidatePaths(db: Db, repositoryId: number): Promise<void> {
  await db.update(commits).set({ changedPaths: null }).where(eq(commits.repositoryId, repositoryId));
  const [repo] = await db
    .select({ fullName: repositories.fullName })
    .from(repositories)
    .where(eq(repositories.id, repositoryId));
  if (repo) await writeState(db, "github", repo.fullName, "paths", { details: { stale: true } });
}

export async function saveService(db: Db, input: ServiceInput, id?: number): Promise<void> {
  const s = ServiceInput.parse(input);
  await db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: services.id })
      .from(services)
      .where(and(eq(services.repositoryId, s.repositoryId), eq(services.name, s.name)));
    if (clash && clash.id !== id)
      throw new ServiceError("name", `This repository already has a service named '${s.name}'`);
    if (id === undefined) {
      await tx.insert(services).values({ ...s, isDefault: false });
    } else {
      const [existing] = await tx.select().from(services).where(eq(services.id, id));
      if (!existing) throw new ServiceError("service", "That service no longer exists");
      if (existing.isDefault)
        throw new ServiceError("service", "The default service covers the whole repository and has no paths");
      await tx.update(services).set(s).where(eq(services.id, id));
    }
    await invalidatePaths(tx, s.repositoryId);
    await markForDerive(tx, [s.repositoryId], { full: true, graph: true });
  });
}

/** Deleting a service deletes its deployments: they belong to nothing else. The default service cannot go. */
export async function deleteService(db: Db, id: number): Promise<void> {
  const [row] = await db.select().from(services).where(eq(services.id, id));
  if (!row) return;
  if (row.isDefault) throw new ServiceError("service", "The default service cannot be deleted");
  await db.transaction(async (tx) => {
    await tx.delete(services).where(eq(services.id, id));
    await invalidatePaths(tx, row.repositoryId);
    await markForDerive(tx, [row.repositoryId], { full: true, graph: true });
  });
}

export async function setServiceTeam(db: Db, serviceId: number, teamId: number | null): Promise<void> {
  await db.update(services).set({ teamId }).where(eq(services.id, serviceId));
}
