import type { Db } from "@/lib/db";

/** What a running job knows besides its data. */
export interface JobRun {
  id: string;
  /** Lines for the job's record (the last ones are kept with its result, and shown on the Sources page). */
  log: (line: string) => void;
  /** Puts another job on the queue (a derive fans out per repository). */
  enqueue: (queue: string, data: Record<string, unknown>, options?: EnqueueOptions) => Promise<string | null>;
}

export interface EnqueueOptions {
  /** Seconds to wait before the job may start (debounce a burst of events into one job). */
  delaySeconds?: number;
  /** Return the id of a job already waiting with the same data instead of adding another. */
  dedupe?: boolean;
  /** Add nothing (return the other job's id) while any job of this queue waits or runs: a scheduled sync. */
  skipIfBusy?: boolean;
}

/**
 * A kind of queued work. `policy` is pg-boss's: `singleton` = one running at a time per key (more may wait);
 * `stately` = at most one waiting and one running per key (so a burst collapses into one). `key` picks the key.
 */
export interface JobKind<D extends Record<string, unknown> = Record<string, unknown>> {
  queue: string;
  policy: "standard" | "singleton" | "stately";
  key?: (data: D) => string;
  retryLimit: number;
  run(db: Db, data: D, run: JobRun): Promise<unknown>;
}

export function defineKind<D extends Record<string, unknown>>(kind: JobKind<D>): JobKind<D> {
  return kind;
}
