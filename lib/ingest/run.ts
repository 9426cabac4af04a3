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
