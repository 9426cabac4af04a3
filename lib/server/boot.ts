import { timingSafeEqual } from "node:crypto";
import { isLoopback, listenAddress, readAuthConfig } from "@/lib/auth/config";
import { ensureAdminPassword } from "@/lib/auth/password";
import { closeProcessDb, type Db, getDbHandle } from "@/lib/db";
import { advertiseJobs } from "@/lib/db/embedded-lock";
import { embeddedDataDir, readEnv } from "@/lib/env";

/**
 * Server start (called from instrumentation.ts, before the first request): open and migrate the database,
 * accept CLI jobs when it is the embedded one, start the job queue (ADR 0016), queue any derive a crash left behind,
 * and start loading the demo organisation into an empty embedded database — in the background: the server answers
 * meanwhile, with the progress (lib/server/starting.ts), and /api/health says "starting" until the demo is in.
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
  }
  // Decided before the server listens, loaded after: the proxy answers with the progress meanwhile.
  const demo =
    handle.kind === "pglite" && env.THROUGHLINE_DEMO === "auto"
      ? await import("./demo-on-start").then(async (m) => ({ m, mode: await m.demoToLoad(handle.db) }))
      : null;
  if (demo?.mode) demo.m.markDemoLoading();
  await announceSignIn(handle.db);
  // Backfill of the org-wide rollups (docs/adr/0017-read-scale.md § Rollups) for a database that predates them or
  // whose zone changed without a rebuild; in the background: figures come from the rows until it commits.
  const { ensureRollups } = await import("@/lib/metrics/rollups");
  void ensureRollups(handle.db)
    .then((r) => r && console.log(`[throughline] rollups built: ${r.rows} rows (${r.zone}) in ${r.ms} ms`))
    .catch((error) => console.error("[throughline] rollups not built (figures come from the rows):", error));
  const { startQueue, stopQueue, requestDerive } = await import("@/lib/queue");
  // The embedded database has one process: it runs every job. On PostgreSQL a web server only enqueues unless told.
  const work = handle.kind === "pglite" || env.THROUGHLINE_WORKER === "1";
  await startQueue(handle, { work });
  console.log(
    work
      ? "[throughline] jobs: this server runs queued jobs (syncs, derives, schedules)"
      : "[throughline] jobs: this server only enqueues; run `npm run worker` (or set THROUGHLINE_WORKER=1) to run them",
  );
  // Repositories a crash left marked are derived by the queue (here or by a worker).
  await requestDerive(0);
  if (demo?.mode) void demo.m.loadDemoInBackground(handle.db, demo.mode);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      // Hand running jobs back, then close PGlite cleanly (and release its lock) before Next exits.
      void stopQueue()
        .catch(() => {})
        .then(closeProcessDb)
        .finally(() => process.exit(0));
    });
  }
}

/**
 * Fails the start on contradictory sign-in settings (better than a server that lets the wrong people in), and on a
 * server reachable from a network without single sign-on, creates the admin password and prints it once.
 */
async function announceSignIn(db: Db): Promise<void> {
  const config = readAuthConfig();
  const listening = listenAddress();
  if (config.mode === "local" && listening !== undefined && !(listening && isLoopback(listening))) {
    // Next logs a failed instrumentation hook and serves anyway; an open admin on the network must not be served.
    console.error(
      `[throughline] No sign-in is configured and this server listens on ${listening ?? "every interface"}: it would let anyone who reaches it in as admin. Start it with -H 127.0.0.1 (npm start does), or configure sign-in (README § Access control). Stopping.`,
    );
    process.exit(1);
  }
  if (config.mode === "local") {
    console.log(
      "[throughline] sign-in: none needed, this server answers on this machine only (README § Access control)",
    );
    return;
  }
  if (config.mode === "sso") {
    const ways = [config.oidc ? "OpenID Connect" : null, config.github ? "GitHub" : null].filter(Boolean);
    console.log(`[throughline] sign-in: ${ways.join(" and ")}`);
    return;
  }
  const password = await ensureAdminPassword(db);
  console.log(
    password
      ? `[throughline] sign-in: this server is reachable from the network and has no single sign-on, so it signs in one admin by password.\n[throughline] The admin password (shown only this once): ${password}`
      : "[throughline] sign-in: admin password (set at the first start; npm run auth -- reset-password prints a new one)",
  );
}

/** Constant-time check of a jobs request's bearer token. Jobs are accepted only by a server holding PGlite. */
export function isJobsToken(header: string | null): boolean {
  const expected = g.__throughlineJobsToken;
  const given = header?.startsWith("Bearer ") ? header.slice(7) : "";
  if (!expected || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
