import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { Source } from "@/lib/domain/vocabulary";
import { rowTimestamps } from "./columns";

export const teams = pgTable(
  "teams",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    source: text().$type<Source>().notNull().default("ui"),
    ...rowTimestamps,
  },
  (t) => [
    uniqueIndex("teams_slug_uq").on(t.slug),
    check("teams_slug_ck", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

/**
 * Who is on a team. Used for team context (size, survey response rates, "who can ship this repo"), never to
 * attribute metrics to a person: Throughline has no per-person figures by design.
 */
export const teamMembers = pgTable(
  "team_members",
  {
    teamId: integer()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    /** A login or e-mail address, lower-cased. */
    handle: text().notNull(),
    displayName: text().notNull().default(""),
    ...rowTimestamps,
  },
  (t) => [primaryKey({ name: "team_members_pk", columns: [t.teamId, t.handle] })],
);
