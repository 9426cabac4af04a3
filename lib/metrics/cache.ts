import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";

/**
 * Computed dashboards, cached per process (docs/adr/0017-read-scale.md). Dashboards are read far more often than
 * data changes: an entry is keyed by what the figures depend on (the resolved slice, the periods, the zone and week
 * start, the granularity) and the data version, which every derive moves (lib/metrics/rollups) and every org
 * settings write moves (the row's xmin). A reader that sees new derived rows sees the new version first, so a new
 * deployment shows on the next view. Concurrent viewers of one figure share one computation (the entry is the
 * promise). Bounded: least recently used entries go first; entries also expire, for writes that change a figure
 * without a derive (a team renamed on the overview).
 *
 * Callers must not mutate what they get: it is shared.
 */

const MAX_ENTRIES = 200;
const TTL_MS = 5 * 60_000;

interface Entry {
  value: Promise<unknown>;
  at: number;
}

const entries = new Map<string, Entry>();
const dbIds = new WeakMap<object, number>();
let nextDbId = 1;
let enabled = process.env.THROUGHLINE_DASHBOARD_CACHE !== "0";

/** Tests of code that writes derived rows by hand switch it off (vitest.config.ts); its own tests switch it on. */
export function setDashboardCache(on: boolean): void {
  enabled = on;
  entries.clear();
}

export const dashboardCacheSize = (): number => entries.size;

/** The data version: the newest derive, how many repositories there are, and the org settings row's version. */
export async function dataVersion(db: Db): Promise<string> {
  const [row] = await queryRows<{ v: string }>(
    db,
    sql`select coalesce(max(data_version), 0)::text || '.' || count(*)::text || '.' ||
               coalesce((select xmin::text from org_settings limit 1), '') as v
        from repositories`,
  );
  return row?.v ?? "";
}

/** `compute()`'s result for `key` at the current data version, computed once per version per process. */
export async function cachedRead<T>(
  db: Db,
  kind: string,
  key: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  if (!enabled) return compute();
  let id = dbIds.get(db);
  if (id === undefined) {
    id = nextDbId++;
    dbIds.set(db, id);
  }
  const full = `${id}|${kind}|${await dataVersion(db)}|${JSON.stringify(key)}`;
  const now = Date.now();
  const hit = entries.get(full);
  if (hit && now - hit.at < TTL_MS) {
    entries.delete(full); // re-insert: a Map iterates in insertion order, so the first key is the least recent
    entries.set(full, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  entries.set(full, { value, at: now });
  // A failed computation is not remembered: the next viewer tries again.
  value.catch(() => {
    if (entries.get(full)?.value === value) entries.delete(full);
  });
  while (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value as string;
    entries.delete(oldest);
  }
  return value;
}
