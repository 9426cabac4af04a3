import { openConfigured } from "@/lib/db";
import { EmbeddedDatabaseBusyError, liveHolder } from "@/lib/db/embedded-lock";
import { embeddedDataDir, readEnv } from "@/lib/env";
import { runJobOnServer } from "./client";
import { findJob } from "./registry";
import type { FileSink } from "./types";

/**
 * Runs a job from a CLI: on PostgreSQL directly; on the embedded database directly when no other process holds
 * it, else through the running Throughline server (two processes must never open one PGlite directory).
 */
export async function runJob(
  name: string,
  args: unknown,
  log: (line: string) => void = console.log,
  write?: FileSink,
): Promise<unknown> {
  const job = findJob(name);
  if (!job) throw new Error(`unknown job ${name}`);
  const parsed = job.args.parse(args);
  const env = readEnv();
  if (!env.DATABASE_URL) {
    const holder = liveHolder(embeddedDataDir(env));
    if (holder && holder.pid !== process.pid) {
      if (!holder.jobsUrl) throw new EmbeddedDatabaseBusyError(embeddedDataDir(env), holder);
      log(`The Throughline server (pid ${holder.pid}) holds the embedded database: sending '${name}' to it.`);
      return runJobOnServer(holder, name, parsed, log, write);
    }
  }
  const handle = await openConfigured(env, `npm run ${name}`);
  try {
    const migration = await handle.migrate();
    return await job.run(handle.db, parsed, log, { migration, ...(write ? { write } : {}) });
  } finally {
    await handle.close();
  }
}
