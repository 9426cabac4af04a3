import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import { type Db, type DbHandle, openPglite, openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { postgresUrl, requireAll } from "@/test/setup/environment";

export type Backend = "pglite" | "postgres";

/** One migrated database per worker and backend, shared by the worker's test files (vitest `isolate: false`). */
const g = globalThis as unknown as { __tlTestDbs?: Map<Backend, Promise<DbHandle>> };
g.__tlTestDbs ??= new Map();

async function create(backend: Backend): Promise<DbHandle> {
  if (backend === "pglite") {
    const handle = await openPglite(null);
    await handle.migrate();
    return handle;
  }
  const serverUrl = postgresUrl() as string;
  const name = `tl_test_${process.env.THROUGHLINE_TEST_RUN ?? "adhoc"}_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), { max: 4 });
  await handle.migrate();
  return handle;
}

export function testDatabase(backend: Backend): Promise<DbHandle> {
  let handle = g.__tlTestDbs?.get(backend);
  if (!handle) {
    handle = create(backend);
    g.__tlTestDbs?.set(backend, handle);
  }
  return handle;
}

let tableList: string | null = null;

/** Empties every table (keeps the migrations journal) and restores the default org settings. */
export async function resetDatabase(db: Db): Promise<void> {
  if (!tableList) {
    const rows = await queryRows<{ name: string }>(
      db,
      sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename`,
    );
    tableList = rows.map((r) => r.name).join(", ");
  }
  await db.execute(sql.raw(`truncate ${tableList} restart identity cascade`));
  await db.execute(sql`insert into org_settings (id) values (1)`);
}

export const backends: Backend[] = postgresUrl() ? ["pglite", "postgres"] : ["pglite"];
if (!postgresUrl() && requireAll())
  throw new Error("THROUGHLINE_REQUIRE_ALL_TESTS=1 but TEST_DATABASE_URL is not set");

/**
 * Runs the same suite on every available backend: PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
 * Each test starts from empty tables.
 */
export function describeDb(title: string, body: (ctx: { db: () => Db; backend: Backend }) => void): void {
  for (const backend of backends) {
    describe(`${title} [${backend}]`, () => {
      let db: Db | null = null;
      beforeAll(async () => {
        db = (await testDatabase(backend)).db;
      });
      beforeEach(async () => {
        await resetDatabase(db as Db);
      });
      afterAll(() => {
        db = null;
      });
      body({
        db: () => {
          if (!db) throw new Error("database not ready");
          return db;
        },
        backend,
      });
    });
  }
  if (!postgresUrl()) {
    describe.skip(`${title} [postgres]`, () => {
      it("runs on PostgreSQL when TEST_DATABASE_URL is set", () => {});
    });
  }
}
