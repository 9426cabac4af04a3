import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import type { SourceClient } from "@/lib/ingest/source/client";
import { Skipped } from "@/lib/ingest/source/skipped";
import { runScopes, runStream, type SourceSyncSummary } from "@/lib/ingest/source/stream";
import { deriveRepositories } from "@/lib/metrics/derive";
import { newIncidents, openIncidents } from "./streams";

/** One PagerDuty sync: one scope (the account's incidents), two streams (ADR 0011), derive afterwards. */

export const INCIDENTS_SCOPE = "incidents";
const DAY = 86_400_000;

export interface IncidentSyncOptions {
  config: ThroughlineConfig;
  client: SourceClient;
  /** First-sync horizon (YYYY-MM-DD); default the section's since, else 365 days. */
  since?: string;
  dryRun?: boolean;
  log: (line: string) => void;
  now?: Date;
}

export async function syncPagerDuty(db: Db, o: IncidentSyncOptions): Promise<SourceSyncSummary> {
  const pd = o.config.pagerduty;
  if (!pd) throw new Error("throughline.config.yaml has no pagerduty section (README § PagerDuty)");
  const now = o.now ?? new Date();
  const since = new Date(
    o.since ?? pd.since ?? new Date(now.getTime() - 365 * DAY).toISOString().slice(0, 10),
  );
  const run = {
    db,
    source: "pagerduty",
    label: "PagerDuty",
    client: o.client,
    dryRun: o.dryRun ?? false,
    log: o.log,
  };
  const summary = await runScopes(run, [INCIDENTS_SCOPE], async (s) => {
    const skipped = new Skipped();
    const ctx = { db, client: o.client, config: pd, since, now, skipped: skipped.add };
    await runStream(s, newIncidents, ctx);
    await runStream(s, openIncidents, ctx);
    skipped.report(s.scope, o.log);
  });
  if (!run.dryRun) await deriveRepositories(db);
  return summary;
}
