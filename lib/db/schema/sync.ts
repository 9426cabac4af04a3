import { jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { rowTimestamps, timestamptz } from "./columns";

/**
 * Ingest bookkeeping per source, scope (an org, a repository, a clone path) and resource (pulls, runs, …):
 * where the next incremental run starts and what the last one did. Committed page by page so that a killed
 * run resumes where it stopped.
 */
export const syncState = pgTable(
  "sync_state",
  {
    source: text().notNull(),
    scope: text().notNull(),
    resource: text().notNull(),
    cursor: text(),
    etag: text(),
    lastRunAt: timestamptz(),
    lastSuccessAt: timestamptz(),
    lastStatus: text().$type<"ok" | "error" | "running">(),
    lastError: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ...rowTimestamps,
  },
  (t) => [primaryKey({ name: "sync_state_pk", columns: [t.source, t.scope, t.resource] })],
);
