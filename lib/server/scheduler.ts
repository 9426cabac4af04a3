import { loadConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { currentSync, startSync } from "@/lib/ingest/activity";
import { PULL_SOURCES } from "@/lib/ingest/sources";

/**
 * Syncs each configured source on its schedule while the server runs (`<source>.syncIntervalMinutes`; 0 turns it
 * off), when its credentials are set. The first syncs start a minute after boot so that start-up stays quick.
 */
const g = globalThis as unknown as { __tlScheduler?: NodeJS.Timeout[] };

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
  if (!loaded) return;
  const config = loaded.config;
  g.__tlScheduler = [];
  for (const source of PULL_SOURCES) {
    const minutes = source.configured(config) ? source.intervalMinutes(config) : 0;
    if (minutes === 0) continue;
    const missing = source.missingCredentials(process.env);
    if (missing) {
      log(`[throughline] ${source.label} is configured but ${missing} is not set: scheduled sync is off`);
      continue;
    }
    const tick = () => {
      if (currentSync()?.running) return;
      startSync(db, "schedule", { source: source.name, log: (line) => log(`[sync] ${line}`) });
    };
    const timer = setInterval(tick, minutes * 60_000);
    timer.unref();
    setTimeout(tick, 60_000).unref();
    g.__tlScheduler.push(timer);
    log(`[throughline] ${source.label} sync every ${minutes} minutes (${loaded.file})`);
  }
}
