import os from "node:os";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db, DbHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { readEnv } from "@/lib/env";
import { BOSS_SCHEMA, startBoss } from "./boss";
import { DERIVE_QUEUE, findKind, KINDS, SURVEY_MAIL_QUEUE } from "./kinds";
import { type Loop, startLoop } from "./loop";
import { startScheduler } from "./schedule";
import type { EnqueueOptions, JobKind } from "./types";

/**
 * The job queue of this process (ADR 0016). Every process that opens the database can enqueue; a process started
 * with `work` also runs jobs, keeps the schedule and expires the jobs of dead workers. Web servers on PostgreSQL
 * only enqueue unless THROUGHLINE_WORKER=1; `npm run worker` works; on the embedded database the one process does
 * everything.
 */
export interface JobQueue {
  db: Db;
  working: boolean;
  /** host:pid of this process, recorded on the jobs it runs. */
  worker: string;
  enqueue(queue: string, data?: Record<string, unknown>, options?: EnqueueOptions): Promise<string | null>;
  stop(): Promise<void>;
}

const g = globalThis as unknown as { __tlQueue?: Promise<JobQueue> };

/** The process's queue once started (null in a process that never started one, e.g. a CLI or a unit test). */
export async function currentQueue(): Promise<JobQueue | null> {
  return g.__tlQueue ? g.__tlQueue.catch(() => null) : null;
}

/** Whether this process started a queue (synchronous: callers choose between the queue and in-process work). */
export function queueStarted(): boolean {
  return g.__tlQueue !== undefined;
}

export interface QueueOptions {
  work: boolean;
  log?: (line: string) => void;
  /** PostgreSQL: the URL the queue's own pool opens (default DATABASE_URL). */
  url?: string;
}

export function startQueue(handle: DbHandle, options: QueueOptions) {
  g.__tlQueue ??= openQueue(handle, options).catch((error) => {
    g.__tlQueue = undefined;
    throw error;
  });
  return g.__tlQueue;
}

export async function stopQueue(): Promise<void> {
  const q = await currentQueue();
  g.__tlQueue = undefined;
  await q?.stop();
}

async function openQueue(handle: DbHandle, o: QueueOptions): Promise<JobQueue> {
  const env = readEnv();
  const leaseSeconds = env.THROUGHLINE_JOB_LEASE_SECONDS;
  const boss = await startBoss(handle, { url: o.url ?? env.DATABASE_URL, supervise: o.work, leaseSeconds });
  for (const kind of KINDS) {
    await boss.createQueue(kind.queue, {
      name: kind.queue,
      policy: kind.policy,
      retryLimit: kind.retryLimit,
      retryDelay: Math.max(2, Math.floor(leaseSeconds / 4)),
      expireInSeconds: leaseSeconds,
    });
  }
  const worker = `${os.hostname()}:${process.pid}`;
  const db = handle.db;
  const loops = new Map<string, Loop>();
  const enqueue = async (queue: string, data: Record<string, unknown> = {}, options: EnqueueOptions = {}) => {
    const id = await send(boss, db, queue, data, options);
    if (!options.delaySeconds) loops.get(queue)?.wake();
    return id;
  };
  const stopScheduler = o.work ? startScheduler(db, enqueue, o.log) : () => {};
  if (o.work) {
    const onError = (error: Error) => console.error(`[jobs] ${error.message}`);
    for (const kind of KINDS) {
      const run = (job: PgBoss.Job<unknown>) => runJob(db, kind, job, { worker, leaseSeconds, enqueue });
      loops.set(kind.queue, startLoop(boss, kind.queue, run, onError));
    }
  }
  return {
    db,
    working: o.work,
    worker,
    enqueue,
    async stop() {
      stopScheduler();
      // Jobs still running after the wait stop beating: another worker takes them over after their lease.
      await Promise.all([...loops.values()].map((l) => l.stop(10_000)));
      await boss.stop({ graceful: false, wait: true });
    },
  };
}

async function send(
  boss: PgBoss,
  db: Db,
  queue: string,
  data: Record<string, unknown>,
  options: EnqueueOptions,
): Promise<string | null> {
  const kind = findKind(queue);
  if (!kind) throw new Error(`unknown job queue ${queue}`);
  if (options.skipIfBusy) {
    const [busy] = await queryRows<{ id: string }>(
      db,
      sql`select id::text from ${sql.identifier(BOSS_SCHEMA)}.job
          where name = ${queue} and state in ('created', 'retry', 'active') limit 1`,
    );
    if (busy) return busy.id;
  }
  if (options.dedupe) {
    const [waiting] = await queryRows<{ id: string }>(
      db,
      sql`select id::text from ${sql.identifier(BOSS_SCHEMA)}.job
          where name = ${queue} and state in ('created', 'retry') and data = ${JSON.stringify(data)}::jsonb
          limit 1`,
    );
    if (waiting) return waiting.id;
  }
  return boss.send(queue, data, {
    ...(kind.key ? { singletonKey: kind.key(data) } : {}),
    ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
  });
}

/**
 * Runs one job with a heartbeat: pg-boss 10 has none, so while the handler runs we move the job's `started_on`
 * forward every quarter lease (its expiry is started_on + lease). A SIGKILLed worker stops beating and its job is
 * retried by another after at most one lease; a live one never loses its job however long it runs.
 */
async function runJob(
  db: Db,
  kind: JobKind,
  job: PgBoss.Job<unknown>,
  o: { worker: string; leaseSeconds: number; enqueue: JobQueue["enqueue"] },
): Promise<unknown> {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  const beat = () =>
    db.execute(
      sql`update ${sql.identifier(BOSS_SCHEMA)}.job
          set started_on = now(), output = ${JSON.stringify({ worker: o.worker, log: lines.slice(-50) })}::jsonb
          where id = ${job.id}::uuid and state = 'active'`,
    );
  await beat();
  const timer = setInterval(
    () => {
      beat().catch((error: Error) => console.error(`[jobs] heartbeat of ${job.id}: ${error.message}`));
    },
    (o.leaseSeconds * 1000) / 4,
  );
  timer.unref();
  try {
    const result = await kind.run(db, job.data as Record<string, unknown>, {
      id: job.id,
      log,
      enqueue: o.enqueue,
    });
    return { worker: o.worker, result, log: lines.slice(-50) };
  } catch (error) {
    // pg-boss stores the error (with these fields) as the job's output; the Sources page shows it.
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      worker: o.worker,
      log: lines.slice(-50),
    });
  } finally {
    clearInterval(timer);
  }
}

/**
 * Asks for a derive of every repository marked needs_derive. With a queue in this process the request is a job
 * (bursts collapse: at most one waits); without one (a CLI, a test) the caller derives in-process.
 */
export async function requestDerive(delaySeconds = 1): Promise<boolean> {
  const q = await currentQueue();
  if (!q) return false;
  await q.enqueue(DERIVE_QUEUE, {}, { delaySeconds });
  return true;
}

/** Asks for the survey mails to go now. False without a queue in this process: the caller sends in-process. */
export async function requestSurveyMail(): Promise<boolean> {
  const q = await currentQueue();
  if (!q) return false;
  await q.enqueue(SURVEY_MAIL_QUEUE, {}, { dedupe: true });
  return true;
}
