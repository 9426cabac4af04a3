import PgBoss from "pg-boss";
import type { DbHandle } from "@/lib/db";

/** The schema pg-boss keeps its tables in (job, queue, schedule, version), next to ours. */
export const BOSS_SCHEMA = "pgboss";

export interface BossOptions {
  /** PostgreSQL only: the URL the queue opens its own small pool to (pg-boss uses node-postgres). */
  url?: string;
  /** Runs maintenance: expires jobs whose lease ran out (dead workers) so that they are retried. */
  supervise: boolean;
  leaseSeconds: number;
}

/**
 * pg-boss 10 (the last line that runs on Node 20, ADR 0016). On PGlite it runs on the process's own database
 * through `executeSql`; on PostgreSQL through a pool of its own (3 connections). Its cron scheduler stays off: our
 * schedules are intervals in job_schedules (lib/queue/schedule.ts).
 */
export async function startBoss(handle: DbHandle, o: BossOptions): Promise<PgBoss> {
  const connection =
    handle.kind === "pglite"
      ? { db: { executeSql: requireRaw(handle) } }
      : { connectionString: o.url, max: 3, application_name: "throughline-queue" };
  const boss = new PgBoss({
    ...connection,
    schema: BOSS_SCHEMA,
    supervise: o.supervise,
    schedule: false,
    // Expiry is checked by maintenance: run it often enough that a dead worker's job waits about one lease.
    maintenanceIntervalSeconds: Math.max(2, Math.floor(o.leaseSeconds / 2)),
    monitorStateIntervalSeconds: 60,
  });
  boss.on("error", (error: Error) => console.error(`[jobs] ${error.message}`));
  await boss.start();
  return boss;
}

function requireRaw(handle: DbHandle) {
  const raw = handle.executeSql;
  if (!raw) throw new Error("this database handle offers no raw SQL for the job queue");
  return (text: string, values?: unknown[]) => raw(text, values) as Promise<{ rows: never[] }>;
}
