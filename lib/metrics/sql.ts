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

/** An instant as exact UTC text (microseconds): a keyset cursor that reads back with `::timestamptz`. */
export function exactInstant(col: AnyColumn | SQL): SQL {
  return sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
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
 * Seconds from `from` to `to`; NULL when either is NULL, and NULL when `to` comes first: a span that ends before it
 * starts (clocks of two systems, events recorded out of order) has no true length, so it is left out of its median
 * rather than counted as 0 (DevLake and Four Keys drop them too; docs/metrics.md § Change lead time).
 * (Not `greatest(0, …)`: PostgreSQL's greatest ignores NULLs and would turn "no review" into 0 s.)
 */
export function secondsBetween(from: AnyColumn | SQL, to: AnyColumn | SQL): SQL<number | null> {
  return sql<number | null>`(case when ${from} is null or ${to} is null or ${to} < ${from} then null
    else extract(epoch from (${to} - ${from}))::float8 end)`;
}

/**
 * The changes lead time counts (with the first-delivery flag of the slice): no bots, no merge commits, nothing
 * excluded by hand, and none that started after it went live (an author clock ahead: no true lead time).
 */
export function countsInLeadTime(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`not ${a}.is_bot and not ${a}.is_merge and not ${a}.is_excluded and ${a}.lead_seconds >= 0`;
}

/**
 * The stages of the lead-time breakdown for pull request `p` delivered by change `c`. A PR starts at the earliest
 * of its first commit, its change's start (what lead time uses) and its merge, so that its total is never shorter
 * than its deploy stage; a stage that ends before it starts is NULL (see secondsBetween).
 */
export function prStages(p: string, c: string) {
  const pr = (col: string) => sql.raw(`${p}.${col}`);
  const ch = (col: string) => sql.raw(`${c}.${col}`);
  const ready = sql`coalesce(${pr("ready_at")}, ${pr("created_at")})`;
  const start = sql`least(${pr("first_commit_at")}, ${ch("started_at")}, ${pr("merged_at")})`;
  return {
    coding: secondsBetween(pr("first_commit_at"), ready),
    pickup: secondsBetween(ready, pr("first_review_at")),
    review: secondsBetween(pr("first_review_at"), pr("merged_at")),
    deploy: secondsBetween(pr("merged_at"), ch("deployed_at")),
    total: secondsBetween(start, ch("deployed_at")),
  };
}
