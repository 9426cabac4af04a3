import { applyConfig } from "@/lib/config/apply";
import { loadConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { githubAuthFromEnv } from "./github/auth";
import { GitHubClient } from "./github/client";
import { type GitHubSyncSummary, syncGitHub } from "./github/index";

/**
 * `npm run ingest` and the server's scheduled/"Sync now" syncs: load and apply the config, then sync each
 * configured source. Pull sources only: webhooks and the push API deliver on their own.
 */
export interface IngestOptions {
  source?: "all" | "github";
  configFile?: string;
  repo?: string;
  since?: string;
  dryRun?: boolean;
  log?: (line: string) => void;
  /** For tests: client options (a fake GitHub's URL, fast retries). */
  client?: Partial<ConstructorParameters<typeof GitHubClient>[0]>;
}

export interface IngestSummary {
  github?: GitHubSyncSummary;
}

/** A run in which some repository failed: the others were synced, and the command must not report success. */
export class IngestIncompleteError extends Error {
  constructor(failed: number, total: number) {
    super(
      `${failed} of ${total} ${total === 1 ? "repository" : "repositories"} failed (see above); the others were synced. Run it again to retry them.`,
    );
    this.name = "IngestIncompleteError";
  }
}

/** Throws when any repository of the run failed (`npm run ingest` then exits non-zero). */
export function requireAllSynced(summary: IngestSummary): IngestSummary {
  const repos = summary.github?.repositories ?? [];
  const failed = repos.filter((r) => !r.ok).length;
  if (failed > 0) throw new IngestIncompleteError(failed, repos.length);
  return summary;
}

export async function runIngest(db: Db, o: IngestOptions = {}): Promise<IngestSummary> {
  const log = o.log ?? console.log;
  const env = readEnv();
  const loaded = loadConfig(o.configFile ?? env.THROUGHLINE_CONFIG);
  if (!loaded) {
    throw new Error(
      "No throughline.config.yaml: copy throughline.config.example.yaml and say which repositories to read (README § GitHub).",
    );
  }
  if (!o.dryRun) await applyConfig(db, loaded.config);
  const summary: IngestSummary = {};
  if ((o.source ?? "all") !== "all" && o.source !== "github") return summary;
  if (!loaded.config.github) {
    if (o.source === "github") throw new Error(`${loaded.file} has no github section`);
    return summary;
  }
  const client = new GitHubClient({
    auth: githubAuthFromEnv(env),
    baseUrl: env.GITHUB_API_URL,
    log,
    ...o.client,
  });
  summary.github = await syncGitHub(db, {
    config: loaded.config,
    client,
    repo: o.repo,
    since: o.since,
    dryRun: o.dryRun,
    log,
  });
  const s = summary.github;
  const failed = s.repositories.filter((r) => !r.ok);
  log(
    `GitHub sync done in ${(s.ms / 1000).toFixed(1)} s: ${s.repositories.length - failed.length} of ${s.repositories.length} repositories, ` +
      `${s.requests} requests (${s.notModified} not modified)${s.rateLimit.remaining !== null ? `, rate limit ${s.rateLimit.remaining} left` : ""}` +
      (failed.length ? `; failed: ${failed.map((f) => `${f.repository} (${f.error})`).join("; ")}` : ""),
  );
  return summary;
}
