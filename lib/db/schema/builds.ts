import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { Source } from "@/lib/domain/vocabulary";
import { timestamptz } from "./columns";
import { repositories } from "./repositories";

/** CI runs (GitHub Actions workflow runs, Jenkins builds, …): automation signals beside the DORA metrics. */
export const ciBuilds = pgTable(
  "ci_builds",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    repositoryId: integer()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    source: text().$type<Source>().notNull(),
    externalId: text().notNull(),
    workflow: text().notNull(),
    branch: text(),
    sha: text().notNull(),
    event: text(),
    /** queued | in_progress | completed */
    status: text().notNull(),
    /** success | failure | cancelled | skipped | timed_out | … (null until completed) */
    conclusion: text(),
    startedAt: timestamptz(),
    finishedAt: timestamptz(),
    url: text(),
  },
  (t) => [
    uniqueIndex("ci_builds_source_external_uq").on(t.repositoryId, t.source, t.externalId),
    index("ci_builds_repository_sha_idx").on(t.repositoryId, t.sha),
    index("ci_builds_repository_started_idx").on(t.repositoryId, t.startedAt),
  ],
);
