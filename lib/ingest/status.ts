import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { syncState } from "@/lib/db/schema";

/**
 * The last sync of each scope (a repository, project, job or service) of a source, for the Sources page. GitHub
 * records its repositories as resource `repository`, the sources on the shared runner as `scope`.
 */
export interface RepoSyncStatus {
  repository: string;
  status: "ok" | "error" | "running" | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  error: string | null;
  counts: Record<string, number>;
  requests: number | null;
}

export async function repositorySyncStatus(db: Db, source = "github"): Promise<RepoSyncStatus[]> {
  const rows = await db
    .select()
    .from(syncState)
    .where(and(eq(syncState.source, source), inArray(syncState.resource, ["repository", "scope"])))
    .orderBy(asc(syncState.scope));
  return rows.map((r) => ({
    repository: r.scope,
    status: r.lastStatus ?? null,
    lastRunAt: r.lastRunAt,
    lastSuccessAt: r.lastSuccessAt,
    error: r.lastError,
    counts: (r.details.counts as Record<string, number> | undefined) ?? {},
    requests: typeof r.details.requests === "number" ? r.details.requests : null,
  }));
}
