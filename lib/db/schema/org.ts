import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, smallint, text } from "drizzle-orm/pg-core";
import { ENVIRONMENT_TIERS, type EnvironmentTier, sqlList, type WeekStart } from "@/lib/domain/vocabulary";
import { rowTimestamps } from "./columns";

/** Organisation-wide settings: a single row (id = 1). */
export const orgSettings = pgTable(
  "org_settings",
  {
    id: smallint().primaryKey().default(1),
    name: text().notNull().default("My organisation"),
    /** IANA zone used for every day/week/month bucket and for the `from`/`to` dates of any query. */
    timeZone: text().notNull().default("UTC"),
    /** ISO weekday a week starts on (1 = Monday, 7 = Sunday). */
    weekStart: smallint().$type<WeekStart>().notNull().default(1),
    /** An incident with no explicit cause is linked to the last production deployment of its service within this window. */
    incidentLinkWindowHours: integer().notNull().default(24),
    /** A redeploy of an earlier SHA is a rollback (a failure of what it undid) only within this window. */
    rollbackWindowHours: integer().notNull().default(168),
    /** A revert fails the reverted change only when it ships within this window of that change going live. */
    revertWindowHours: integer().notNull().default(168),
    /** `none` → never loaded; `loaded`; `removed` → the user removed it, so `npm start` will not load it again. */
    demoState: text().$type<"none" | "loaded" | "removed">().notNull().default("none"),
    ...rowTimestamps,
  },
  (t) => [
    check("org_settings_singleton_ck", sql`${t.id} = 1`),
    check("org_settings_week_start_ck", sql`${t.weekStart} between 1 and 7`),
    check("org_settings_link_window_ck", sql`${t.incidentLinkWindowHours} between 0 and 720`),
    check("org_settings_rollback_window_ck", sql`${t.rollbackWindowHours} between 0 and 8760`),
    check("org_settings_revert_window_ck", sql`${t.revertWindowHours} between 0 and 8760`),
  ],
);

/**
 * Environments seen in deployments, each with a tier. The default dashboards pool every environment of the
 * production tier; the tier is inferred from the name when first seen and can be changed in settings.
 */
export const environments = pgTable(
  "environments",
  {
    name: text().primaryKey(),
    tier: text().$type<EnvironmentTier>().notNull(),
    /** true once a person (or the config file) set the tier, so inference never overwrites it. */
    tierConfirmed: boolean().notNull().default(false),
    ...rowTimestamps,
  },
  (t) => [check("environments_tier_ck", sql`${t.tier} in (${sql.raw(sqlList(ENVIRONMENT_TIERS))})`)],
);
