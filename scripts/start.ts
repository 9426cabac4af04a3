import { spawn } from "node:child_process";
import { liveHolder } from "@/lib/db/embedded-lock";
import { type Env, embeddedDataDir, readEnv } from "@/lib/env";
import { buildInBackground, isBuildFresh, NEXT_BIN } from "./lib/build";
import { openStartingPage } from "./lib/starting-page";

/**
 * `npm start`: build if the sources changed since the last build, then serve on HOST:PORT (127.0.0.1:3000 by
 * default). The server migrates the database and, when the embedded one is empty, loads the demo organisation; on a
 * first start this process loads it while the app builds.
 */

/**
 * While the first build runs, this process loads the demo into an empty embedded database, so that `next start`
 * finds it there: the two overlap instead of adding up (on 2 cores the build spends much of its time in one
 * compiler worker). A failure here is not fatal: the server loads the demo itself (lib/server/boot.ts).
 */
async function loadDemoDuringBuild(env: Env, progress: (text: string | null) => void): Promise<void> {
  if (env.DATABASE_URL || env.THROUGHLINE_DEMO !== "auto") return;
  const { openPglite } = await import("@/lib/db");
  const handle = await openPglite(embeddedDataDir(env), "npm start (loading the demo while the app builds)");
  try {
    await handle.migrate();
    const { demoToLoad } = await import("@/lib/server/demo-on-start");
    const mode = await demoToLoad(handle.db);
    if (!mode) return;
    const { seedDemo } = await import("@/lib/demo/seed");
    console.log("  Loading the demo organisation meanwhile (remove it in Settings).");
    const result = await seedDemo(handle.db, {
      replace: mode === "reload",
      onProgress: (done, total) => progress(`loading the demo: ${done} of ${total} repositories`),
    });
    console.log(
      `  Demo loaded: ${result.teams} teams, ${result.repositories} repositories, ${result.deployments} deployments in ${(result.ms / 1000).toFixed(1)} s.`,
    );
  } catch (error) {
    console.error(`  Loading the demo failed (${(error as Error).message}); the server tries again.`);
  } finally {
    progress(null);
    await handle.close();
  }
}

/** Builds when the sources changed, while a starting page answers on the app's address (scripts/lib/starting-page.ts). */
async function buildIfNeeded(env: Env, shown: string): Promise<void> {
  if (isBuildFresh()) return;
  const page = await openStartingPage(env.HOST, env.PORT);
  if (page) console.log(`\n  Building the app; ${shown} shows the progress meanwhile.\n`);
  let building = true;
  let demo: string | null = null;
  const show = () =>
    page?.phase(
      building
        ? `Building the app${demo ? `; ${demo}` : ""}`
        : `${demo ? `${demo[0]?.toUpperCase()}${demo.slice(1)}` : "Starting the server"}`,
    );
  const [status] = await Promise.all([
    buildInBackground().then((code) => {
      building = false;
      show();
      return code;
    }),
    loadDemoDuringBuild(env, (text) => {
      demo = text;
      show();
    }),
  ]);
  page?.phase("Starting the server");
  await page?.close();
  if (status !== 0) {
    console.error("\n✗ The build failed; see above.");
    process.exit(1);
  }
}

/** Until /api/health answers 200 (503 "starting" while a first start loads the demo), or the server exits. */
async function waitUntilReady(url: string, child: ReturnType<typeof spawn>): Promise<boolean> {
  while (child.exitCode === null) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function start() {
  let env: ReturnType<typeof readEnv>;
  try {
    env = readEnv();
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  }
  if (!env.DATABASE_URL) {
    const holder = liveHolder(embeddedDataDir(env));
    if (holder) {
      console.error(
        `✗ The embedded database in ${embeddedDataDir(env)} is already in use by pid ${holder.pid} (${holder.command})` +
          (holder.jobsUrl ? `, serving ${holder.jobsUrl}.` : ".") +
          " Stop it first, or run this one with another THROUGHLINE_DATA_DIR or a DATABASE_URL.",
      );
      process.exit(1);
    }
  }
  const shownHost =
    env.HOST === "127.0.0.1" || env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const url = `http://${shownHost}:${env.PORT}`;
  await buildIfNeeded(env, url);
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(env.PORT), "-H", env.HOST], {
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.PORT), HOST: env.HOST, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  if (
    await waitUntilReady(
      `http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST}:${env.PORT}`,
      child,
    )
  ) {
    const where = env.DATABASE_URL
      ? "PostgreSQL (DATABASE_URL)"
      : `the embedded database in ${embeddedDataDir(env)}`;
    console.log(`\n  Throughline is ready on ${url}  (data: ${where}; Ctrl+C to stop)\n`);
  }
}

void start();
