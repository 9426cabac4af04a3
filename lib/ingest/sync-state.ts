import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { syncState } from "@/lib/db/schema";

/**
 * Where each source's incremental sync stands, per scope (a repository) and resource. Written in the same
 * transaction as the page of data it describes, so that a killed run resumes exactly where it stopped.
 */

export interface ResourceState {
  cursor: string | null;
  etag: string | null;
  details: Record<string, unknown>;
  lastSuccessAt: Date | null;
}

export async function readState(
  db: Db,
  source: string,
  scope: string,
  resource: string,
): Promise<ResourceState> {
  const [row] = await db
    .select()
    .from(syncState)
    .where(and(eq(syncState.source, source), eq(syncState.scope, scope), eq(syncState.resource, resource)));
  return {
    cursor: row?.cursor ?? null,
    etag: row?.etag ?? null,
    details: row?.details ?? {},
    lastSuccessAt: row?.lastSuccessAt ?? null,
  };
}

export async function writeState(
  db: Db,
  source: string,
  scope: string,
  resource: string,
  patch: Partial<Pick<ResourceState, "cursor" | "etag" | "details">> & {
    status?: "ok" | "error" | "running";
    error?: string | null;
  },
): Promise<void> {
  const now = new Date();
  const values = {
    source,
    scope,
    resource,
    ...(patch.cursor !== undefined ? { cursor: patch.cursor } : {}),
    ...(patch.etag !== undefined ? { etag: patch.etag } : {}),
    ...(patch.details !== undefined ? { details: patch.details } : {}),
    lastRunAt: now,
    ...(patch.status ? { lastStatus: patch.status } : {}),
    ...(patch.status === "ok" ? { lastSuccessAt: now, lastError: null } : {}),
    ...(patch.error !== undefined ? { lastError: patch.error } : {}),
  };
  const { source: _s, scope: _sc, resource: _r, ...update } = values;
  await db
    .insert(syncState)
    .values(values)
    .onConflictDoUpdate({
      target: [syncState.source, syncState.scope, syncState.resource],
      set: { ...update, updatedAt: sql`now()` },
    });
}
