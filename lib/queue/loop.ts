import type PgBoss from "pg-boss";

/**
 * One queue's fetch loop in a working process. Not pg-boss's `work()`: that one fails a job whose handler outlives
 * `expireInSeconds` while the handler keeps running (another worker would then run it at the same time), and waits
 * a full polling interval between jobs. Here the lease is kept alive by the heartbeat (runJob), a worker that found
 * a job asks again at once, and an enqueue from this process wakes the loop.
 */
const IDLE_MS = 1_000;

export interface Loop {
  wake(): void;
  /** Stops fetching; resolves when the job in hand (if any) is done, or after `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

export function startLoop(
  boss: PgBoss,
  queue: string,
  handle: (job: PgBoss.Job<unknown>) => Promise<unknown>,
  onError: (error: Error) => void,
): Loop {
  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, IDLE_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = null;
    });
  const running = (async () => {
    while (!stopping) {
      let job: PgBoss.Job<unknown> | undefined;
      try {
        [job] = await boss.fetch(queue, { batchSize: 1 });
      } catch (error) {
        onError(error as Error);
      }
      if (!job) {
        await sleep();
        continue;
      }
      try {
        const output = await handle(job);
        await boss.complete(queue, job.id, output as object);
      } catch (error) {
        await boss.fail(queue, job.id, error as object).catch(onError);
      }
    }
  })();
  return {
    wake: () => wake?.(),
    async stop(timeoutMs) {
      stopping = true;
      wake?.();
      await Promise.race([running, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    },
  };
}
