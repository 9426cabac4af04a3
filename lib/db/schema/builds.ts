import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { Source } from "@/lib/domain/vocabulary";
import { timestamptz } from "./columns";
import { repositories } from "./repositories";

/**
 * CI runs (GitHub Actions workflow runs, Jenkins builds, …): automation signals beside the DORA metrics, and the
 * rows a pipeline view reads (queue and run times, re-runs).
 */
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
    /**
     * When it was asked for (entered the queue); null when the source does not say. Queue time is
     * started − queued, run time finished − started: every source reports instants, never its own durations.
     */
    queuedAt: timestamptz(),
    startedAt: timestamptz(),
    finishedAt: timestamptz(),
    /** 1 for a first run; 2 or more for a re-run of the same build (GitHub's run_attempt, a Jenkins replay). */
    attempt: integer().notNull().default(1),
    /**
     * A job of a run (GitLab: a pipeline's job) names its run's externalId here; null for a run. Run-level figures
     * (success rate, red time, a change's CI) read runs only; "slowest" lists jobs where a source stores them.
     */
    parentExternalId: text(),
    /** The CI stage of a job (GitLab: build, test, deploy, …); null for runs and sources without stages. */
    stage: text(),
    url: text(),
  },
  (t) => [
    uniqueIndex("ci_builds_source_external_uq").on(t.repositoryId, t.source, t.externalId),
    index("ci_builds_repository_sha_idx").on(t.repositoryId, t.sha),
    index("ci_builds_repository_started_idx").on(t.repositoryId, t.startedAt),
  ],
);
