import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
} from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { repositories, services } from "./repositories";

/**
 * Org-wide reads without sorting every row (docs/adr/0017-read-scale.md § Rollups): per service, environment and
 * local day in the org's time zone, the counts of the counted deployments and the exact samples the percentiles
 * need (int arrays, unsorted: seconds are whole, so nothing is rounded). Derived only by lib/metrics/rollups, from
 * `deployments` and `deployment_changes`, in the derive's transaction; never written by a source.
 */
export const metricRollups = pgTable(
  "metric_rollups",
  {
    serviceId: integer()
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    environment: text().notNull(),
    /** `day`, or `month`: the whole local month starting on `day` (fewer rows for periods of years). */
    grain: text().$type<"day" | "month">().notNull(),
    /** Local day (rollup_state.time_zone) the deployment went live on, or the change was first delivered on. */
    day: date({ mode: "string" }).notNull(),
    repositoryId: integer()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    deployments: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    rework: integer().notNull().default(0),
    recovered: integer().notNull().default(0),
    unrecovered: integer().notNull().default(0),
    /** recovery_seconds of the failed deployments that recovered. */
    recoverySeconds: integer().array().notNull().default(sql`'{}'::int[]`),
    /** lead_seconds of the changes lead time counts that are a first delivery to the environment or to the tier… */
    leadSeconds: integer().array().notNull().default(sql`'{}'::int[]`),
    /** …and, element by element, which of the two flags each has (a slice reads one of them). */
    leadFirstInEnvironment: boolean().array().notNull().default(sql`'{}'::boolean[]`),
    leadFirstInTier: boolean().array().notNull().default(sql`'{}'::boolean[]`),
  },
  (t) => [
    primaryKey({ name: "metric_rollups_pk", columns: [t.serviceId, t.environment, t.grain, t.day] }),
    // A derive replaces its repository's days from a point in time on.
    index("metric_rollups_repository_day_idx").on(t.repositoryId, t.grain, t.day),
    // The org overview reads every service's range of days.
    index("metric_rollups_day_idx").on(t.grain, t.day),
    check("metric_rollups_grain_ck", sql`${t.grain} in ('day', 'month')`),
  ],
);

/**
 * Whether the rollups can be read: one row, written by a full rebuild, naming the zone their days are in. No row
 * (a database that predates them, before its backfill) or another zone than the org's (the zone just changed):
 * the figures come from the rows, exactly as before.
 */
export const rollupState = pgTable("rollup_state", {
  id: smallint().primaryKey().default(1),
  timeZone: text().notNull(),
  builtAt: timestamptz().notNull().defaultNow(),
});
