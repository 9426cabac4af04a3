import type { Db } from "@/lib/db";
import { type IngestOptions, type IngestSummary, runIngest } from "./run";

/**
 * One sync at a time per process for the syncs that do not go through the job queue: a CLI run (directly or through
 * the jobs endpoint of the server holding PGlite) and a webhook follow-up in a process without a queue. Scheduled
 * syncs and "Sync now" are queued jobs (lib/queue, ADR 0016).
 */
export interface SyncActivity {
  running: boolean;
  trigger: "schedule" | "manual" | "cli" | "webhook";
  startedAt: string;
  finishedAt: string | null;
  log: string[];
  error: string | null;
  summary: IngestSummary | null;
}

const g = globalThis as unknown as { __tlSync?: SyncActivity };

export function currentSync(): SyncActivity | null {
  return g.__tlSync ?? null;
}

export class SyncBusyError extends Error {
  constructor(running: SyncActivity) {
    super(
      `A sync is already running (started ${running.startedAt} by ${running.trigger}); try again when it ends.`,
    );
    this.name = "SyncBusyError";
  }
}

export async function runSync(
  db: Db,
  trigger: SyncActivity["trigger"],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const running = g.__tlSync;
  if (running?.running) throw new SyncBusyError(running);
  const activity: SyncActivity = {
    running: true,
    trigger,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    log: [],
    error: null,
    summary: null,
  };
  g.__tlSync = activity;
  const log = (line: string) => {
    activity.log.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
    if (activity.log.length > 500) activity.log.splice(0, activity.log.length - 500);
    options.log?.(line);
  };
  try {
    activity.summary = await runIngest(db, { ...options, log });
    return activity.summary;
  } catch (error) {
    activity.error = error instanceof Error ? error.message : String(error);
    // For the Sources page only: the caller gets the error itself (a CLI prints it once).
    activity.log.push(`${new Date().toISOString().slice(11, 19)} Sync failed: ${activity.error}`);
    throw error;
  } finally {
    activity.running = false;
    activity.finishedAt = new Date().toISOString();
  }
}

/** Starts a sync without waiting for it (the Sources page follows its log). */
export function startSync(db: Db, trigger: SyncActivity["trigger"], options: IngestOptions = {}): void {
  runSync(db, trigger, options).catch(() => {
    // recorded in the activity and in sync state
  });
}
