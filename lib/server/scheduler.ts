import { loadConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { currentSync, startSync } from "@/lib/ingest/activity";

/**
 * Syncs on a schedule while the server runs (github.syncIntervalMinutes; 0 turns it off), when a config and GitHub
 * credentials exist. The first sync starts a minute after boot so that start-up stays quick.
 */
const g = globalThis as unknown as { __tlScheduler?: NodeJS.Timeout };

export function startScheduler(db: Db, log: (line: string) => void = console.log): void {
  if (g.__tlScheduler) return;
  const env = readEnv();
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(env.THROUGHLINE_CONFIG);
  } catch (error) {
    log(`[throughline] ${(error as Error).message}`);
    return;
  }
  const minutes = loaded?.config.github?.syncIntervalMinutes ?? 0;
  if (!loaded?.config.github || minutes === 0) return;
  if (!env.GITHUB_TOKEN && !env.GITHUB_APP_ID) {
    log(
      "[throughline] GitHub is configured but no credentials are set (GITHUB_TOKEN): scheduled sync is off",
    );
    return;
  }
  const tick = () => {
    if (currentSync()?.running) return;
    startSync(db, "schedule", { log: (line) => log(`[sync] ${line}`) });
  };
  g.__tlScheduler = setInterval(tick, minutes * 60_000);
  g.__tlScheduler.unref();
  setTimeout(tick, 60_000).unref();
  log(`[throughline] GitHub sync every ${minutes} minutes (${loaded.file})`);
}
