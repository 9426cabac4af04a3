import type { Db } from "@/lib/db";
import { hasSchedules, runDueDeliveries } from "./runner";

/**
 * Runs due report deliveries once a minute in this process. Several servers (or workers) on one database may all
 * tick: runDueDeliveries makes each due time one delivery and each delivery one sender (lib/delivery/runner.ts).
 */
const g = globalThis as unknown as { __tlDeliveryTicker?: NodeJS.Timeout };

export function startDeliveryTicker(db: Db, log: (line: string) => void = console.log): void {
  if (g.__tlDeliveryTicker) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      if (await hasSchedules(db)) await runDueDeliveries(db, { log });
    } catch (error) {
      log(`[reports] scheduled delivery check failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  g.__tlDeliveryTicker = setInterval(tick, 60_000);
  g.__tlDeliveryTicker.unref();
  setTimeout(tick, 15_000).unref();
}
