import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgSequence,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Provider, Source } from "@/lib/domain/vocabulary";
import { rowTimestamps, timestamptz } from "./columns";
import { teams } from "./teams";

/**
 * A code repository, whatever it is hosted on. `fullName` is `owner/name` and the natural key, compared without
 * regard to case (lib/db/repository-name.ts); it keeps the casing it was first seen with, for display.
 */
export const repositories = pgTable(
  "repositories",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    fullName: text().notNull(),
    provider: text().$type<Provider>().notNull().default("other"),
    url: text(),
    defaultBranch: text().notNull().default("main"),
    /** The owning team; a service of the repository may name another owner. */
    teamId: integer().references(() => teams.id, { onDelete: "set null" }),
    archived: boolean().notNull().default(false),
    source: text().$type<Source>().notNull(),
    /**
     * Set by every write that can change derived data (through lib/metrics/derive/marks.ts); cleared by
     * lib/metrics/derive. The two columns after it say where the change was (ADR 0018).
     */
    needsDerive: boolean().notNull().default(true),
    /**
     * With needsDerive: re-derive the chains from this time on; null = everything (a legacy mark, a rule or config
     * change); 'infinity' = no chain changed (incidents, outcome corrections: links and outcomes only).
     */
    deriveFrom: timestamptz(),
    /** With needsDerive: commits added or changed (the roots of each batch): their descendants' deployments re-derive. */
    deriveShas: text().array().notNull().default(sql`'{}'::text[]`),
    /**
     * A new random value on every write to the commit graph: keys the derive's per-process graph cache (random, not
     * a counter, so that a recreated repository can never match a cached graph of the same id).
     */
    graphVersion: text().notNull().default(sql`gen_random_uuid()::text`),
    derivedAt: timestamptz(),
    /**
     * Set from data_version_seq at the end of every derive of this repository (lib/metrics/rollups): cached
     * dashboards key on the largest (lib/metrics/cache.ts). A row per repository, not one counter for the org: the
     * derive already holds this row, so concurrent derives of different repositories do not queue on a counter.
     */
    dataVersion: bigint({ mode: "number" }).notNull().default(0),
    ...rowTimestamps,
  },
  (t) => [
    // Names are case-insensitive on GitHub and GitLab: one repository however it is written (issue 14 §5). The only
    // unique index on the name, so that it is the ON CONFLICT arbiter of every upsert: a second unique index would
    // not be an arbiter, and two concurrent first inserts of one name would fail on it instead of merging.
    uniqueIndex("repositories_full_name_lower_uq").on(sql`lower(${t.fullName})`),
    index("repositories_team_idx").on(t.teamId),
    // owner/name, or a GitLab project's group/subgroup/project.
    check("repositories_full_name_ck", sql`${t.fullName} ~ '^[^/\\s]+(/[^/\\s]+)+$'`),
  ],
);

/**
 * A deployable unit. Every repository has one default service (no path prefixes: the whole repository); a
 * monorepo adds one service per deployable, mapped by path prefixes, so each gets its own deployment chain
 * and only the commits that touch its paths.
 */
export const services = pgTable(
  "services",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    repositoryId: integer()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    /** Lower-case slug, unique within the repository. */
    name: text().notNull(),
    isDefault: boolean().notNull().default(false),
    /** e.g. `{services/api/, libs/api-client/}`; empty for the default service (everything). */
    pathPrefixes: text().array().notNull().default(sql`'{}'::text[]`),
    /** Owner override; null → the repository's team. */
    teamId: integer().references(() => teams.id, { onDelete: "set null" }),
    ...rowTimestamps,
  },
  (t) => [
    uniqueIndex("services_repository_name_uq").on(t.repositoryId, t.name),
    uniqueIndex("services_one_default_uq").on(t.repositoryId).where(sql`${t.isDefault}`),
    index("services_team_idx").on(t.teamId),
    check("services_name_ck", sql`${t.name} ~ '^[a-z0-9]+([._-][a-z0-9]+)*$'`),
  ],
);

/** Hands out data versions (repositories.data_version): increasing, never reused, not rolled back. */
export const dataVersionSeq = pgSequence("data_version_seq");
