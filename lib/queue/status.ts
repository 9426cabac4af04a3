import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { BOSS_SCHEMA } from "./boss";
import { syncQueue } from "./kinds";

/** A sync job as the Sources page shows it: read from the queue's table, so every web server shows the same. */
export interface SyncJobView {
  id: string;
  source: string;
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  trigger: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  worker: string | null;
  log: string[];
  error: string | null;
  attempts: number;
}

const asLines = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** The newest sync job of each source (by the sources' queue names), newest first. */
export async function latestSyncJobs(db: Db, sources: string[]): Promise<SyncJobView[]> {
  if (!sources.length) return [];
  const names = sources.map(syncQueue);
  const exists = await queryRows<{ t: string | null }>(db, sql`select to_regclass('pgboss.job')::text as t`);
  if (!exists[0]?.t) return [];
  const rows = await queryRows<{
    id: string;
    name: string;
    state: SyncJobView["state"];
    data: Record<string, unknown> | null;
    output: Record<string, unknown> | null;
    created: string;
    started: string | null;
    completed: string | null;
    retry_count: number;
  }>(
    db,
    sql`select distinct on (name) id::text, name, state::text as state, data, output,
          to_char(created_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created,
          to_char(started_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as started,
          to_char(completed_on at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as completed,
          retry_count::int as retry_count
        from ${sql.identifier(BOSS_SCHEMA)}.job
        where name in (${sql.join(
          names.map((n) => sql`${n}`),
          sql`, `,
        )})
        order by name, created_on desc`,
  );
  return rows
    .map((r) => ({
      id: r.id,
      source: r.name.replace(/^sync-/, ""),
      state: r.state,
      trigger: typeof r.data?.trigger === "string" ? r.data.trigger : null,
      createdAt: r.created,
      startedAt: r.started,
      finishedAt: r.completed,
      worker: typeof r.output?.worker === "string" ? r.output.worker : null,
      log: asLines(r.output?.log),
      error: r.state === "failed" && typeof r.output?.message === "string" ? r.output.message : null,
      attempts: r.retry_count + (r.started ? 1 : 0),
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export const isPending = (j: SyncJobView) =>
  j.state === "created" || j.state === "retry" || j.state === "active";
