import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { reportDeliveries, reportSchedules, teams } from "@/lib/db/schema";
import { getOrgSettings } from "@/lib/settings/org";
import { nextDue, PRESETS, type ScheduleSpec } from "./schedule";
import { seal } from "./secret-box";

/** Schedules and their deliveries: what Settings → Reports lists and changes. Only admins reach these. */

export class ScheduleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ScheduleError";
  }
}

export interface ScheduleRow {
  id: number;
  name: string;
  team: { slug: string; name: string } | null;
  period: string;
  channel: "email" | "slack" | "teams";
  formats: string[];
  recipients: string[];
  webhookHost: string | null;
  cron: string;
  /** "Weekly, Monday 08:00" for a preset, else the expression. */
  rhythm: string;
  paused: boolean;
  nextDueAt: Date | null;
  createdBy: string;
  /** Managed by the config file: edited there, not deleted here. */
  fromConfig: boolean;
  last: { status: string; at: Date; error: string | null } | null;
}

export async function createSchedule(db: Db, spec: ScheduleSpec, createdBy: string, now = new Date()) {
  const settings = await getOrgSettings(db);
  let teamId: number | null = null;
  if (spec.team) {
    const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, spec.team));
    if (!t) throw new ScheduleError("team", `no team '${spec.team}': choose one of the listed teams`);
    teamId = t.id;
  }
  const [row] = await db
    .insert(reportSchedules)
    .values({
      name: spec.name,
      teamId,
      period: spec.period,
      channel: spec.channel,
      formats: spec.formats.join(","),
      recipients: spec.recipients,
      webhookUrlSealed: spec.webhookUrl ? seal(spec.webhookUrl) : null,
      webhookHost: spec.webhookUrl ? new URL(spec.webhookUrl).host : null,
      cron: spec.cron,
      nextDueAt: nextDue(spec.cron, settings.timeZone, now),
      createdBy,
    })
    .returning({ id: reportSchedules.id, name: reportSchedules.name, nextDueAt: reportSchedules.nextDueAt });
  return row;
}

export async function listSchedules(db: Db): Promise<ScheduleRow[]> {
  const rows = await db
    .select({
      s: reportSchedules,
      teamSlug: teams.slug,
      teamName: teams.name,
      lastStatus: sql<string | null>`last.status`,
      lastAt: sql<Date | null>`last.updated_at`,
      lastError: sql<string | null>`last.last_error`,
    })
    .from(reportSchedules)
    .leftJoin(teams, eq(teams.id, reportSchedules.teamId))
    .leftJoin(
      sql`lateral (select d.status, d.updated_at, d.last_error from report_deliveries d
                   where d.schedule_id = ${reportSchedules.id} order by d.created_at desc, d.id desc limit 1) last`,
      sql`true`,
    )
    .orderBy(reportSchedules.name, reportSchedules.id);
  const presets = Object.values(PRESETS);
  return rows.map(({ s, teamSlug, teamName, lastStatus, lastAt, lastError }) => ({
    id: s.id,
    name: s.name,
    team: teamSlug && teamName ? { slug: teamSlug, name: teamName } : null,
    period: s.period,
    channel: s.channel,
    formats: s.formats ? s.formats.split(",") : [],
    recipients: s.recipients,
    webhookHost: s.webhookHost,
    cron: s.cron,
    rhythm: presets.find((p) => p.cron === s.cron)?.label ?? `cron ${s.cron}`,
    paused: s.paused,
    nextDueAt: s.nextDueAt,
    createdBy: s.createdBy,
    fromConfig: s.source === "config",
    last: lastStatus && lastAt ? { status: lastStatus, at: new Date(lastAt), error: lastError } : null,
  }));
}

async function scheduleOrThrow(db: Db, id: number) {
  const [row] = await db.select().from(reportSchedules).where(eq(reportSchedules.id, id));
  if (!row) throw new ScheduleError("id", `no schedule ${id}: it may have been deleted`);
  return row;
}

/** Pausing clears the next due time; resuming sets it from now, so a paused schedule never sends a backlog. */
export async function setPaused(db: Db, id: number, paused: boolean, now = new Date()) {
  const row = await scheduleOrThrow(db, id);
  const { timeZone } = await getOrgSettings(db);
  await db
    .update(reportSchedules)
    .set({ paused, nextDueAt: paused ? null : nextDue(row.cron, timeZone, now) })
    .where(eq(reportSchedules.id, id));
  return row;
}

export async function deleteSchedule(db: Db, id: number) {
  const row = await scheduleOrThrow(db, id);
  if (row.source === "config")
    throw new ScheduleError(
      "id",
      `“${row.name}” comes from the config file: remove it there (or pause it here)`,
    );
  await db.delete(reportSchedules).where(eq(reportSchedules.id, id));
  return row;
}

/** "Send now": a delivery due at the click, sent by the next tick or at once by the caller. */
export async function requestSendNow(db: Db, id: number, now = new Date()): Promise<number> {
  const row = await scheduleOrThrow(db, id);
  const [d] = await db
    .insert(reportDeliveries)
    .values({ scheduleId: row.id, dueAt: now, trigger: "manual", nextAttemptAt: now })
    .onConflictDoNothing()
    .returning({ id: reportDeliveries.id });
  if (!d)
    throw new ScheduleError("id", "a send of this schedule was asked for this very moment: wait for it");
  return d.id;
}

export interface DeliveryRow {
  id: number;
  schedule: string;
  dueAt: Date;
  trigger: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  summary: string | null;
  sentAt: Date | null;
}

export async function recentDeliveries(db: Db, limit = 20, scheduleId?: number): Promise<DeliveryRow[]> {
  return db
    .select({
      id: reportDeliveries.id,
      schedule: reportSchedules.name,
      dueAt: reportDeliveries.dueAt,
      trigger: reportDeliveries.trigger,
      status: reportDeliveries.status,
      attempts: reportDeliveries.attempts,
      nextAttemptAt: reportDeliveries.nextAttemptAt,
      lastError: reportDeliveries.lastError,
      summary: reportDeliveries.summary,
      sentAt: reportDeliveries.sentAt,
    })
    .from(reportDeliveries)
    .innerJoin(reportSchedules, eq(reportSchedules.id, reportDeliveries.scheduleId))
    .where(scheduleId === undefined ? undefined : and(eq(reportDeliveries.scheduleId, scheduleId)))
    .orderBy(desc(reportDeliveries.createdAt), desc(reportDeliveries.id))
    .limit(limit);
}
