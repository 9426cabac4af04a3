import type { Db } from "@/lib/db";
import { INCIDENTS_SCOPE, type IncidentSyncOptions } from "@/lib/ingest/pagerduty/index";
import { Skipped } from "@/lib/ingest/source/skipped";
import { runScopes, runStream, type SourceSyncSummary } from "@/lib/ingest/source/stream";
import { deriveRepositories } from "@/lib/metrics/derive";
import { newItems, openItems } from "./streams";

/** One Opsgenie sync: one scope (the account's incidents, or alerts), two streams (ADR 0011), derive afterwards. */

const DAY = 86_400_000;

export async function syncOpsgenie(db: Db, o: IncidentSyncOptions): Promise<SourceSyncSummary> {
  const og = o.config.opsgenie;
  if (!og) throw new Error("throughline.config.yaml has no opsgenie section (README § Opsgenie)");
  const now = o.now ?? new Date();
  const since = new Date(
    o.since ?? og.since ?? new Date(now.getTime() - 365 * DAY).toISOString().slice(0, 10),
  );
  const run = {
    db,
    source: "opsgenie",
    label: "Opsgenie",
    client: o.client,
    dryRun: o.dryRun ?? false,
    log: o.log,
  };
  const scope = og.read === "alerts" ? "alerts" : INCIDENTS_SCOPE;
  const summary = await runScopes(run, [scope], async (s) => {
    const skipped = new Skipped();
    const ctx = { db, client: o.client, config: og, kind: og.read, since, skipped: skipped.add };
    await runStream(s, newItems, ctx);
    await runStream(s, openItems, ctx);
    skipped.report(s.scope, o.log);
  });
  if (!run.dryRun) await deriveRepositories(db);
  return summary;
}
