import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { repositories } from "./repositories";

/**
 * Commits on the default branch (and any commit a deployment shipped), with their parents: the commit graph
 * that lib/metrics/derive walks to work out what each deployment shipped.
 */
export const commits = pgTable(
  "commits",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    repositoryId: integer()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    sha: text().notNull(),
    parentShas: text().array().notNull(),
    /** Author time survives rebases and cherry-picks; lead time starts here. */
    authoredAt: timestamptz().notNull(),
    committedAt: timestamptz().notNull(),
    authorName: text().notNull().default(""),
    authorEmail: text().notNull().default(""),
    authorLogin: text(),
    isBot: boolean().notNull().default(false),
    /** First line of the message, capped, for the drill-down. */
    title: text().notNull().default(""),
    /** Changed paths, needed only where a repository is split into path-mapped services; null = not known. */
    changedPaths: text().array(),
  },
  (t) => [
    uniqueIndex("commits_repository_sha_uq").on(t.repositoryId, t.sha),
    // Serves "commits of a repo in a period" (ingest cursors, data-quality counts).
    index("commits_repository_authored_idx").on(t.repositoryId, t.authoredAt),
  ],
);
