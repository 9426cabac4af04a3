import { and, inArray, like, lte, notInArray, sql } from "drizzle-orm";
import { loadConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { jobSchedules } from "@/lib/db/schema";
import { readEnv } from "@/lib/env";
import { PULL_SOURCES } from "@/lib/ingest/sources";
import { REPORT_QUEUE, SURVEY_MAIL_QUEUE, syncQueue } from "./kinds";
import type { EnqueueOptions } from "./types";

/**
 * Recurring jobs from job_schedules. Every working process checks every TICK; the UPDATE that moves a due row's
 * next_run_at forward is the claim (a second process's UPDATE re-reads the row after the first commits and finds
 * it no longer due), so each run fires once however many processes check.
 */

const TICK_MS = 15_000;

type Enqueue = (queue: string, data: Record<string, unknown>, options?: EnqueueOptions) => Promise<unknown>;

export interface ScheduleInput {
  key: string;
  queue: string;
  data?: Record<string, unknown>;
  everyMinutes: number;
  /** The first run (default: one interval from now, at most an hour). */
  firstRunAt?: Date;
}

/** Adds or changes a schedule; a changed interval takes effect from now, an unchanged one keeps its next run. */
export async function upsertSchedule(db: Db, s: ScheduleInput): Promise<void> {
  const first = s.firstRunAt ?? new Date(Date.now() + Math.min(s.everyMinutes, 60) * 60_000);
  await db
    .insert(jobSchedules)
    .values({
      key: s.key,
      queue: s.queue,
      data: s.data ?? {},
      everyMinutes: s.everyMinutes,
      nextRunAt: first,
    })
    .onConflictDoUpdate({
      target: jobSchedules.key,
      set: {
        queue: s.queue,
        data: s.data ?? {},
        everyMinutes: s.everyMinutes,
        nextRunAt: sql`case when ${jobSchedules.everyMinutes} = excluded.every_minutes
          then ${jobSchedules.nextRunAt} else least(${jobSchedules.nextRunAt}, excluded.next_run_at) end`,
      },
    });
}

export async function removeSchedules(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.delete(jobSchedules).where(inArray(jobSchedules.key, keys));
}

/** Claims every due schedule and enqueues its job. */
export async function fireDue(db: Db, enqueue: Enqueue, now = new Date()): Promise<string[]> {
  const due = await db
    .update(jobSchedules)
    .set({
      lastRunAt: now,
      nextRunAt: sql`${now.toISOString()}::timestamptz + make_interval(mins => ${jobSchedules.everyMinutes})`,
    })
    .where(lte(jobSchedules.nextRunAt, now))
    .returning({ key: jobSchedules.key, queue: jobSchedules.queue, data: jobSchedules.data });
  for (const d of due) await enqueue(d.queue, { ...d.data, trigger: "schedule" }, { skipIfBusy: true });
  return due.map((d) => d.key);
}

/**
 * The sources' sync schedules from the config file and this process's credentials (a source without them here is
 * left as it is: another worker may have them). Sources removed from the config, or set to 0, lose their row.
 */
export async function syncSourceSchedules(db: Db, log: (line: string) => void): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(readEnv().THROUGHLINE_CONFIG);
  } catch (error) {
    log(`[throughline] ${(error as Error).message}`);
    return;
  }
  const keep: string[] = [];
  for (const source of PULL_SOURCES) {
    const minutes = loaded && source.configured(loaded.config) ? source.intervalMinutes(loaded.config) : 0;
    const key = `sync:${source.name}`;
    if (minutes === 0) continue;
    keep.push(key);
    const missing = source.missingCredentials(process.env);
    if (missing) {
      log(
        `[throughline] ${source.label} is configured but ${missing} is not set here: this process will not sync it`,
      );
      continue;
    }
    await upsertSchedule(db, {
      key,
      queue: syncQueue(source.name),
      everyMinutes: minutes,
      firstRunAt: soon(),
    });
    log(`[throughline] ${source.label} sync every ${minutes} minutes (${loaded?.file})`);
  }
  await db
    .delete(jobSchedules)
    .where(
      keep.length
        ? and(like(jobSchedules.key, "sync:%"), notInArray(jobSchedules.key, keep))
        : like(jobSchedules.key, "sync:%"),
    );
}

/** A new schedule's first run: a minute after start, so that start-up stays quick. */
const soon = () => new Date(Date.now() + 60_000);

export function startScheduler(
  db: Db,
  enqueue: Enqueue,
  log: (line: string) => void = console.log,
): () => void {
  let stopped = false;
  const tick = () =>
    fireDue(db, enqueue).catch((error: Error) => log(`[jobs] schedule check failed: ${error.message}`));
  void syncSourceSchedules(db, log).catch((error: Error) => log(`[jobs] schedules: ${error.message}`));
  // Report deliveries are checked every minute (each due time is sent once: lib/delivery/runner.ts).
  void upsertSchedule(db, { key: "reports:deliver", queue: REPORT_QUEUE, everyMinutes: 1 }).catch(
    (error: Error) => log(`[jobs] report schedule: ${error.message}`),
  );
  // Survey mails waiting for a retry, and rounds that closed by date (their addresses are forgotten).
  void upsertSchedule(db, { key: "survey:mail", queue: SURVEY_MAIL_QUEUE, everyMinutes: 1 }).catch(
    (error: Error) => log(`[jobs] survey mail schedule: ${error.message}`),
  );
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, TICK_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
