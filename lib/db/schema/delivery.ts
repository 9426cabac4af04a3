import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";
import { rowTimestamps, timestamptz } from "./columns";
import { teams } from "./teams";

/**
 * Reports that arrive (docs/adr/0022-report-delivery.md): a schedule sends a report of the org or a team, by e-mail
 * or to a chat channel, on a cron expression in the org's time zone. Each due time becomes one delivery row, unique
 * per (schedule, due time), which is what makes a due time send once however many servers tick.
 */

export const reportSchedules = pgTable(
  "report_schedules",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    /** null: the whole organisation. */
    teamId: integer().references(() => teams.id, { onDelete: "cascade" }),
    /** A report period relative to the send time: last-week, last-month, last-quarter, 30d… */
    period: text().notNull(),
    /** email: the report as PDF and/or CSV attachments; slack or teams: a digest to an incoming webhook. */
    channel: text().$type<"email" | "slack" | "teams">().notNull(),
    /** E-mail: "pdf", "csv" or "pdf,csv". */
    formats: text().notNull().default("pdf"),
    /** E-mail recipients, one per element. */
    recipients: text().array().notNull().default(sql`'{}'::text[]`),
    /** Chat: the incoming-webhook URL, encrypted (AES-256-GCM, lib/delivery/secret-box.ts); never shown again. */
    webhookUrlSealed: text(),
    /** Chat, from the config file: the environment variable that holds the URL (it never reaches the database). */
    webhookUrlEnv: text(),
    /** Chat: the URL's host, to recognise it in lists (hooks.slack.com). */
    webhookHost: text(),
    /** Five-field cron expression, in the org's time zone. */
    cron: text().notNull(),
    paused: boolean().notNull().default(false),
    /** The next due time not yet turned into a delivery; null while paused. */
    nextDueAt: timestamptz(),
    createdBy: text().notNull(),
    /** ui: made in Settings; config: from the config file's reports.schedules, matched by name. */
    source: text().$type<"ui" | "config">().notNull().default("ui"),
    ...rowTimestamps,
  },
  (t) => [
    index("report_schedules_due_idx").on(t.nextDueAt),
    uniqueIndex("report_schedules_config_name_uq").on(t.name).where(sql`${t.source} = 'config'`),
    check("report_schedules_channel_ck", sql`${t.channel} in ('email', 'slack', 'teams')`),
  ],
);

export const reportDeliveries = pgTable(
  "report_deliveries",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    scheduleId: integer()
      .notNull()
      .references(() => reportSchedules.id, { onDelete: "cascade" }),
    /** The due time it answers; a "Send now" gets the time of the click. */
    dueAt: timestamptz().notNull(),
    trigger: text().$type<"schedule" | "manual">().notNull().default("schedule"),
    /** pending → sending → sent, or back to pending with a later nextAttemptAt, or failed after the last attempt. */
    status: text().$type<"pending" | "sending" | "sent" | "failed">().notNull().default("pending"),
    attempts: smallint().notNull().default(0),
    nextAttemptAt: timestamptz().notNull().defaultNow(),
    /** While sending: when another process may take it over (the sender died). */
    leaseUntil: timestamptz(),
    /** Why the last attempt failed, secrets removed. */
    lastError: text(),
    /** What was sent: "3 recipients, throughline-payments-2026-11.pdf". */
    summary: text(),
    sentAt: timestamptz(),
    ...rowTimestamps,
  },
  (t) => [
    uniqueIndex("report_deliveries_schedule_due_uq").on(t.scheduleId, t.dueAt),
    index("report_deliveries_ready_idx").on(t.status, t.nextAttemptAt),
    index("report_deliveries_schedule_created_idx").on(t.scheduleId, t.createdAt),
  ],
);

/**
 * Addresses that asked for no more report e-mails (List-Unsubscribe, RFC 8058, or the footer link): the runner skips
 * them on every e-mail schedule. Lower-case. An admin can re-add one in Settings → Reports (the row is deleted).
 */
export const reportUnsubscribes = pgTable("report_unsubscribes", {
  email: text().primaryKey(),
  createdAt: timestamptz().notNull().defaultNow(),
});
