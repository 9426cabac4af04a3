import { applyConfig } from "@/lib/config/apply";
import { loadConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { type SourceSyncSummary, summaryLine } from "./source/stream";
import { findSource, PULL_SOURCES } from "./sources";

/**
 * `npm run ingest` and the server's scheduled/"Sync now" syncs: load and apply the config, then sync each
 * configured pull source (lib/ingest/sources.ts), or the one asked for. Webhooks and the push API deliver on their
 * own.
 */
export interface IngestOptions {
  /** `all` (every configured source) or a source's name. */
  source?: string;
  configFile?: string;
  /** One scope (repository, project, job, service) of the chosen source. */
  repo?: string;
  since?: string;
  dryRun?: boolean;
  log?: (line: string) => void;
  /** For tests: client options (a fake's URL, fast retries). */
  client?: Record<string, unknown>;
}

export interface IngestSummary {
  sources: SourceSyncSummary[];
}

/** A run in which some repository (or other scope) failed: the others were synced, and the command must not report success. */
export class IngestIncompleteError extends Error {
  constructor(failed: string[], total: number) {
    const head =
      failed.length === total
        ? `${failed.length} of ${total} failed. Run it again after fixing the cause:`
        : `${failed.length} of ${total} failed; the others were synced. Run it again to retry them:`;
    super(`${head}\n  ${failed.join("\n  ")}`);
    this.name = "IngestIncompleteError";
  }
}

/** Throws when any scope of the run failed (`npm run ingest` then exits non-zero, also through the server). */
export function requireAllSynced(summary: IngestSummary): IngestSummary {
  const failed = failures(summary);
  if (failed.length > 0) {
    throw new IngestIncompleteError(
      failed,
      summary.sources.reduce((n, s) => n + s.scopes.length, 0),
    );
  }
  return summary;
}

export async function runIngest(db: Db, o: IngestOptions = {}): Promise<IngestSummary> {
  const log = o.log ?? console.log;
  const env = readEnv();
  const loaded = loadConfig(o.configFile ?? env.THROUGHLINE_CONFIG);
  if (!loaded) {
    throw new Error(
      "No throughline.config.yaml: copy throughline.config.example.yaml and say what to read (README § GitHub).",
    );
  }
  const wanted = o.source ?? "all";
  if (wanted !== "all" && !findSource(wanted)) {
    throw new Error(
      `unknown source '${wanted}': expected one of ${PULL_SOURCES.map((s) => s.name).join(", ")}`,
    );
  }
  const sources = PULL_SOURCES.filter((s) =>
    wanted === "all" ? s.configured(loaded.config) : s.name === wanted,
  );
  for (const s of sources) {
    if (!s.configured(loaded.config)) throw new Error(`${loaded.file} has no ${s.name} section`);
  }
  if (o.repo && sources.length !== 1)
    throw new Error("--repo needs a source: npm run ingest -- <source> --repo …");
  if (!o.dryRun) await applyConfig(db, loaded.config);
  const summary: IngestSummary = { sources: [] };
  for (const s of sources) {
    const result = await s.sync(db, {
      config: loaded.config,
      scope: o.repo,
      since: o.since,
      dryRun: o.dryRun,
      log,
      client: o.client,
    });
    log(summaryLine(result));
    summary.sources.push(result);
  }
  return summary;
}

/** The scopes that failed, across sources ("github acme/api: …"): a CLI exits non-zero when there are any. */
export function failures(summary: IngestSummary): string[] {
  return summary.sources.flatMap((s) =>
    s.scopes.filter((r) => !r.ok).map((r) => `${s.source} ${r.scope}: ${r.error}`),
  );
}
