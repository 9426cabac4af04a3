import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

/**
 * Work that recurs (a source's sync, later scheduled reports), kept in the database so that it fires once however
 * many processes run: the process that moves `nextRunAt` forward (one UPDATE … WHERE next_run_at <= now()) enqueues
 * the job; the others see the row already moved. The job queue itself (pg-boss) keeps its tables in schema pgboss.
 */
export const jobSchedules = pgTable(
  "job_schedules",
  {
    /** Who owns the row: `sync:<source>`, `report:<id>`. */
    key: text().primaryKey(),
    /** The queue the job goes to (lib/queue/kinds.ts). */
    queue: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    everyMinutes: integer().notNull(),
    nextRunAt: timestamptz().notNull(),
    lastRunAt: timestamptz(),
  },
  (t) => [
    index("job_schedules_next_run_idx").on(t.nextRunAt),
    check("job_schedules_every_ck", sql`${t.everyMinutes} > 0`),
  ],
);
