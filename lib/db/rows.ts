import type { SQL } from "drizzle-orm";
import type { Db } from "./index";

/**
 * Runs raw SQL and returns its rows. `db.execute` answers `{ rows }` on PGlite and an array on postgres.js;
 * this is the only place that knows. Cast numbers in SQL (`::int`, `::float8`) and format dates as text:
 * drivers disagree on int8, numeric and date parsing.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
