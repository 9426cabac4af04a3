import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { rollupRowsDelete, rollupRowsInsert } from "./build";

/**
 * Maintained org-wide rollups (docs/adr/0017-read-scale.md § Rollups): per service, environment and local day in
 * the org zone, the counts and the exact samples of the deployment and lead-time figures, so that an org overview
 * over years reads a few rows per service and day instead of every deployment and change.
 *
 * Written in two places only: `refreshRollups`, at the end of every per-repository derive in its transaction (the
 * days of that repository from `fromTime` on), and `rebuildRollups` (everything: the backfill of a database that
 * predates them, and a change of the org time zone). Read by lib/metrics/queries.ts when `rollupsReadable`.
 */

/**
 * Off unless THROUGHLINE_ROLLUPS=1: at the demo's density (about one deployment and four changes per service and
 * day) reading the day rows is no faster than the covering-index row queries (docs/benchmarks.md), so by default
 * nothing is built, maintained or read, and every figure comes from the rows. On: the backfill builds them, every
 * derive maintains them, and the deployment and lead-time aggregates read them.
 */
let enabled = process.env.THROUGHLINE_ROLLUPS === "1";

/** Day rows serve any period; month rows the whole months of a period read by month (or without a series). */
const GRAINS = ["day", "month"] as const;

/** Switches rollups on or off in this process (tests, benchmarks). Rows already built stay maintained. */
export function setRollupReads(on: boolean): void {
  enabled = on;
}

/** The zone the rollups' days are in, or null when there are none to read (never built). */
export async function rollupZone(db: Db): Promise<string | null> {
  const [row] = await queryRows<{ time_zone: string }>(
    db,
    sql`select time_zone from rollup_state where id = 1`,
  );
  return row?.time_zone ?? null;
}

/** Whether figures in `zone` may come from the rollups: built, in that zone, and reading them is on. */
export async function rollupsReadable(db: Db, zone: string): Promise<boolean> {
  return enabled && (await rollupZone(db)) === zone;
}

/**
 * What the end of every per-repository derive (lib/metrics/derive) must bring up to date, in its transaction.
 * `fromTime` null means the whole repository; `unchanged` means the derive wrote nothing (no rollup row moves).
 *
 * The repository's data version, which cached dashboards key on (lib/metrics/cache.ts): a reader that sees the
 * derive's rows also sees the new version, so a new deployment is on the next view. And its rollup days from the
 * local day of `fromTime` on, deleted and written again from the rows (in the zone the rollups were built in: a
 * zone change rebuilds them all).
 */
export async function refreshRollups(
  tx: Db,
  repositoryId: number,
  fromTime: Date | null,
  options: { unchanged?: boolean } = {},
): Promise<void> {
  if (!options.unchanged) {
    // Waits for a rebuild in progress (it holds SHARE ROW EXCLUSIVE), so that the state read next is the one the
    // rebuild wrote, and a rebuild that starts later waits for this transaction and reads its rows.
    await tx.execute(sql`lock table metric_rollups in row exclusive mode`);
    const zone = await rollupZone(tx);
    if (zone !== null) {
      for (const grain of GRAINS) {
        await tx.execute(rollupRowsDelete(repositoryId, fromTime, zone, grain));
        await tx.execute(rollupRowsInsert(repositoryId, fromTime, zone, grain));
      }
    }
  }
  await tx.execute(
    sql`update repositories set data_version = nextval('data_version_seq') where id = ${repositoryId}`,
  );
}

/**
 * Every rollup row again, in the org's current zone, in one transaction; then the rollups are readable in that
 * zone. Readers use the exact queries until it commits. Returns the rows written.
 */
export async function rebuildRollups(db: Db): Promise<{ rows: number; zone: string; ms: number }> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table metric_rollups in share row exclusive mode`);
    const [settings] = await queryRows<{ time_zone: string }>(
      tx,
      sql`select time_zone from org_settings where id = 1`,
    );
    const zone = settings?.time_zone ?? "UTC";
    await tx.execute(sql`delete from metric_rollups`);
    for (const grain of GRAINS) await tx.execute(rollupRowsInsert(null, null, zone, grain));
    // Fresh statistics: a table rebuilt in one statement has none, and the planner then joins it badly.
    await tx.execute(sql`analyze metric_rollups`);
    await tx.execute(
      sql`insert into rollup_state (id, time_zone, built_at) values (1, ${zone}, now())
          on conflict (id) do update set time_zone = excluded.time_zone, built_at = excluded.built_at`,
    );
    const [count] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from metric_rollups`);
    return { rows: Number(count?.n ?? 0), zone, ms: Math.round(performance.now() - started) };
  });
}

/**
 * The backfill: rebuilds the rollups when they cannot be read in the org's zone (a database that predates them,
 * or a zone change that was not rebuilt). Returns null when they were up to date, or are switched off.
 */
export async function ensureRollups(db: Db): Promise<{ rows: number; zone: string; ms: number } | null> {
  if (!enabled) return null;
  const [settings] = await queryRows<{ time_zone: string }>(
    db,
    sql`select time_zone from org_settings where id = 1`,
  );
  if ((await rollupZone(db)) === (settings?.time_zone ?? "UTC")) return null;
  return rebuildRollups(db);
}
