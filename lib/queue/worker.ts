import { openPostgres } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { requestDerive, startQueue, stopQueue } from "./index";

/**
 * `npm run worker`: runs queued jobs against DATABASE_URL until SIGTERM/SIGINT, then hands its running jobs back
 * (they are retried by another worker). Any number may run, on any machine. Resolves when it has stopped.
 */
export async function runWorker(log: (line: string) => void = console.log): Promise<void> {
  const env = readEnv();
  if (!env.DATABASE_URL) {
    throw new Error(
      "npm run worker needs DATABASE_URL: on the embedded database the server (npm start) runs every job itself.",
    );
  }
  const handle = await openPostgres(env.DATABASE_URL, { max: 4 });
  try {
    await handle.migrate();
    const queue = await startQueue(handle, { work: true, log });
    log(
      `[worker] ${queue.worker} runs jobs from ${handle.location} (lease ${env.THROUGHLINE_JOB_LEASE_SECONDS} s)`,
    );
    await requestDerive(0);
    await new Promise<void>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
    });
    log("[worker] stopping: running jobs get up to 10 s to finish, then go back to the queue");
    await stopQueue();
  } finally {
    await handle.close();
  }
}
