import { currentQueue } from "./index";
import { syncQueue } from "./kinds";

/**
 * "Sync now": puts a sync of `source` on the queue (a sync of it already waiting is reused) and returns the job's
 * id. Any web server can take the click; whichever worker is free runs it.
 */
export async function enqueueSync(
  source: string,
  trigger: "manual" | "webhook",
  repo?: string,
  delaySeconds?: number,
) {
  const q = await currentQueue();
  if (!q) throw new Error("this process has no job queue (the server did not finish starting)");
  return q.enqueue(syncQueue(source), { trigger, ...(repo ? { repo } : {}) }, { dedupe: true, delaySeconds });
}
