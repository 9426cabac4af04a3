import type { Db } from "@/lib/db";
import { queueStarted, requestDerive } from "@/lib/queue";
import { deriveRepositories } from "./index";

/**
 * Push sources (webhooks, the push API) write a little at a time, often in bursts: a pipeline posts a deployment,
 * GitHub sends five events for one merge. Each write marks its repository; this runs one derive of every marked
 * repository shortly after, instead of one per request. At most one runs at a time; writes that land during a run
 * get another. A crash loses nothing: the marks are in the database and the server derives them on start. With a
 * job queue in the process the derive is a queued job instead; without one (a CLI, a test) it runs here.
 */

const DELAY_MS = 1_000;

interface State {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  again: boolean;
}

const g = globalThis as unknown as { __tlDeriveSoon?: Map<Db, State> };
g.__tlDeriveSoon ??= new Map();

export function deriveSoon(db: Db, delayMs = DELAY_MS): void {
  // A server with a job queue derives through it (any worker, one per repository at a time, ADR 0016).
  if (!queueStarted()) {
    deriveInProcess(db, delayMs);
    return;
  }
  void requestDerive(delayMs / 1000).then(
    (queued) => {
      if (!queued) deriveInProcess(db, delayMs);
    },
    (error: Error) => {
      console.error(`[throughline] could not queue a derive (${error.message}): deriving here`);
      deriveInProcess(db, delayMs);
    },
  );
}

function deriveInProcess(db: Db, delayMs: number): void {
  const states = g.__tlDeriveSoon as Map<Db, State>;
  let state = states.get(db);
  if (!state) {
    state = { timer: null, running: null, again: false };
    states.set(db, state);
  }
  const s = state;
  if (s.running) {
    s.again = true;
    return;
  }
  if (s.timer) return;
  s.timer = setTimeout(() => {
    s.timer = null;
    s.running = deriveRepositories(db)
      .then(() => {})
      .catch((error: unknown) => console.error(`[throughline] derive failed: ${(error as Error).message}`))
      .finally(() => {
        s.running = null;
        if (s.again) {
          s.again = false;
          deriveInProcess(db, delayMs);
        }
      });
  }, delayMs);
  s.timer.unref?.();
}

/** Waits until no derive is pending or running for this database (tests, graceful shutdown). */
export async function settleDerive(db: Db): Promise<void> {
  for (;;) {
    const s = g.__tlDeriveSoon?.get(db);
    if (!s || (!s.timer && !s.running)) return;
    if (s.running) await s.running;
    else await new Promise((r) => setTimeout(r, 50));
  }
}
