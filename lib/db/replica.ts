import { readEnv } from "@/lib/env";
import { type Db, type DbHandle, getDb, openPostgres } from "./index";

/**
 * The database for read-only queries (dashboards, the metrics API): DATABASE_REPLICA_URL when set (with
 * DATABASE_URL), else the primary. A replica lags the primary by its replication delay: a deployment pushed a
 * moment ago can be missing there for that long (README § Running on more than one machine). Never write through
 * this handle; the replica refuses writes anyway.
 */
const g = globalThis as unknown as { __throughlineReplica?: Promise<DbHandle> };

export async function getReadDb(): Promise<Db> {
  const env = readEnv();
  if (!env.DATABASE_URL || !env.DATABASE_REPLICA_URL) return getDb();
  if (!g.__throughlineReplica) {
    const opening = openPostgres(env.DATABASE_REPLICA_URL);
    g.__throughlineReplica = opening;
    // A failed open must not be cached: the next request tries again.
    opening.catch(() => {
      if (g.__throughlineReplica === opening) g.__throughlineReplica = undefined;
    });
  }
  // The primary must be open (and migrated) first: the replica follows its schema.
  await getDb();
  return (await g.__throughlineReplica).db;
}

export async function closeReadDb(): Promise<void> {
  const opening = g.__throughlineReplica;
  g.__throughlineReplica = undefined;
  if (opening) await (await opening.catch(() => null))?.close();
}
