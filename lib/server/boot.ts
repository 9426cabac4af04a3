import { timingSafeEqual } from "node:crypto";
import { closeProcessDb, getDbHandle } from "@/lib/db";
import { advertiseJobs } from "@/lib/db/embedded-lock";
import { embeddedDataDir, readEnv } from "@/lib/env";
import { deriveRepositories } from "@/lib/metrics/derive";

/**
 * Server start (called from instrumentation.ts, before the first request): open and migrate the database,
 * accept CLI jobs when it is the embedded one, load the demo organisation into an empty embedded database,
 * and finish any derive a crash left behind.
 */

const g = globalThis as unknown as { __throughlineJobsToken?: string; __throughlineBooted?: Promise<void> };

export function boot(): Promise<void> {
  g.__throughlineBooted ??= start().catch((error) => {
    g.__throughlineBooted = undefined;
    throw error;
  });
  return g.__throughlineBooted;
}

async function start(): Promise<void> {
  const env = readEnv();
  const handle = await getDbHandle();
  console.log(`[throughline] database: ${handle.kind} (${handle.location})`);
  if (handle.kind === "pglite") {
    const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
    const port = Number(process.env.PORT) || env.PORT;
    g.__throughlineJobsToken = advertiseJobs(
      embeddedDataDir(env),
      `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    );
    if (env.THROUGHLINE_DEMO === "auto") {
      const { loadDemoIfEmpty } = await import("./demo-on-start");
      await loadDemoIfEmpty(handle.db);
    }
  }
  const derived = await deriveRepositories(handle.db);
  if (derived.length) console.log(`[throughline] derived ${derived.length} repositories left pending`);
  const { startScheduler } = await import("./scheduler");
  startScheduler(handle.db);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      // Close PGlite cleanly (and release its lock) before Next exits.
      void closeProcessDb().finally(() => process.exit(0));
    });
  }
}

/** Constant-time check of a jobs request's bearer token. Jobs are accepted only by a server holding PGlite. */
export function isJobsToken(header: string | null): boolean {
  const expected = g.__throughlineJobsToken;
  const given = header?.startsWith("Bearer ") ? header.slice(7) : "";
  if (!expected || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
