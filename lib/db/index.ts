import path from "node:path";
import { type ExtractTablesWithRelations, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { type Env, embeddedDataDir, readEnv, redactUrl } from "@/lib/env";
import { acquireLock, releaseLock } from "./embedded-lock";
import { queryRows } from "./rows";
import * as schema from "./schema";

export { schema };
export type Schema = typeof schema;
type Relations = ExtractTablesWithRelations<Schema>;
/** Every query function takes this first: a PGlite or postgres.js database, or a transaction of either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, Relations>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, Relations>;

export interface DbHandle {
  db: Db;
  kind: "pglite" | "postgres";
  /** For messages: the data directory or the redacted URL. */
  location: string;
  /** Applies pending migrations; says how many it applied and how many the database now has. */
  migrate(): Promise<MigrationResult>;
  close(): Promise<void>;
  /**
   * Raw SQL on this very connection, for the job queue (pg-boss) on PGlite: one process, one in-memory session,
   * so the queue must share it (lib/queue/boss.ts). On PostgreSQL the queue opens its own pool from the URL.
   */
  executeSql?: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
}

export interface MigrationResult {
  applied: number;
  total: number;
}

/** Migrations recorded in drizzle's journal table (0 on a brand-new database, which has no such table yet). */
async function migrationCount(db: Db): Promise<number> {
  const [exists] = await queryRows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return 0;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(row?.n ?? 0);
}

async function counted(db: Db, run: () => Promise<void>): Promise<MigrationResult> {
  const before = await migrationCount(db);
  await run();
  const total = await migrationCount(db);
  return { applied: total - before, total };
}

const MIGRATIONS = path.join(process.cwd(), "drizzle");
const MIGRATION_LOCK_KEY = 727_274_501; // pg_advisory_lock key: one migrator at a time per database

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    location: redactUrl(url),
    async migrate() {
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      // Two app instances starting together must not both apply a migration: hold an advisory lock on a
      // connection of our own while the migrator runs on the pool.
      const lock = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        const result = await counted(db, () => migrate(db as never, { migrationsFolder: MIGRATIONS }));
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        return result;
      } finally {
        await lock.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Opens PGlite: in memory when `dataDir` is null (tests), else in `<dataDir>/pglite` after taking the
 * directory's lock (throws EmbeddedDatabaseBusyError naming the holder).
 */
export async function openPglite(
  dataDir: string | null,
  lockCommand = process.argv.slice(1).join(" "),
): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (dataDir) acquireLock(dataDir, lockCommand);
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(dataDir ? path.join(dataDir, "pglite") : undefined);
  } catch (error) {
    if (dataDir) releaseLock(dataDir);
    throw new Error(`Could not open the embedded database in ${dataDir ?? "memory"}`, { cause: error });
  }
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    location: dataDir ?? "memory",
    async migrate() {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      return counted(db, () => migrate(db as never, { migrationsFolder: MIGRATIONS }));
    },
    async executeSql(text, values) {
      // pg-boss sends multi-statement plans (BEGIN; …; COMMIT) without parameters: those need exec().
      if (values?.length) return client.query(text, values as never[]);
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
    async close() {
      await client.close();
      if (dataDir) releaseLock(dataDir);
    },
  };
}

/** PostgreSQL when DATABASE_URL is set, else the embedded database. */
export function openConfigured(env: Env = readEnv(), lockCommand?: string): Promise<DbHandle> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(embeddedDataDir(env), lockCommand);
}

// ---- the server's process-wide handle ----

const g = globalThis as unknown as { __throughlineDb?: Promise<DbHandle> };

/**
 * The process-wide database, opened and migrated once. Kept on globalThis because Next loads server code in
 * several module graphs (instrumentation, route handlers, pages) that must share one PGlite instance.
 */
export function getDbHandle(): Promise<DbHandle> {
  if (!g.__throughlineDb) {
    const opening = (async () => {
      const handle = await openConfigured(readEnv(), "throughline server");
      await handle.migrate();
      return handle;
    })();
    g.__throughlineDb = opening;
    // A failed open must not be cached: the next request tries again.
    opening.catch(() => {
      if (g.__throughlineDb === opening) g.__throughlineDb = undefined;
    });
  }
  return g.__throughlineDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export async function closeProcessDb(): Promise<void> {
  const opening = g.__throughlineDb;
  g.__throughlineDb = undefined;
  if (opening) await (await opening.catch(() => null))?.close();
}
