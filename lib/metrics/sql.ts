import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import type { WeekStart } from "@/lib/domain/vocabulary";
import type { Granularity, Period } from "./period";

/** SQL fragments shared by the metric queries. Every instant is bucketed in the org's zone, in SQL. */

/** `col in (…)`; `false` for an empty list (an empty slice matches nothing, it is not "everything"). */
export function inList<T extends string | number>(col: AnyColumn | SQL, values: readonly T[]): SQL {
  if (values.length === 0) return sql`false`;
  return sql`${col} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** The instant local midnight of `date` starts, in `zone` (DST-aware: PostgreSQL resolves the offset). */
export function localMidnight(date: string, zone: string): SQL {
  return sql`(${date}::date::timestamp at time zone ${zone}::text)`;
}

/** `col` falls on a local day of the period (from and to both inclusive). */
export function withinPeriod(col: AnyColumn | SQL, p: Period, zone: string): SQL {
  return sql`${col} >= ${localMidnight(p.from, zone)} and ${col} < (((${p.to}::date + 1)::timestamp) at time zone ${zone}::text)`;
}

/**
 * The local date (YYYY-MM-DD text) of the bucket that contains `col`. Mirrors bucketStart in period.ts; the
 * week start is the org's ISO weekday.
 */
export function bucketSql(
  col: AnyColumn | SQL,
  granularity: Granularity,
  zone: string,
  weekStart: WeekStart,
): SQL {
  const local = sql`(${col} at time zone ${zone}::text)`;
  if (granularity === "day") return sql`to_char(${local}, 'YYYY-MM-DD')`;
  if (granularity === "month") return sql`to_char(date_trunc('month', ${local}), 'YYYY-MM-DD')`;
  return sql`to_char(${local}::date - ((extract(isodow from ${local})::int - ${weekStart}::int + 7) % 7), 'YYYY-MM-DD')`;
}

/**
 * Seconds between two timestamps, never negative (clock skew between systems), and NULL when either is NULL.
 * (Not `greatest(0, …)` alone: PostgreSQL's greatest ignores NULLs and would turn "no review" into 0 s.)
 */
export function secondsBetween(from: AnyColumn | SQL, to: AnyColumn | SQL): SQL<number | null> {
  return sql<number | null>`(case when ${from} is null or ${to} is null then null
    else greatest(0, extract(epoch from (${to} - ${from})))::float8 end)`;
}
