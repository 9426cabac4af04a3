import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { githubAuthFromEnv } from "./github/auth";
import { GitHubClient } from "./github/client";
import { type GitHubSyncSummary, syncGitHub } from "./github/index";
import { gitlabClient } from "./gitlab/api";
import { syncGitLab } from "./gitlab/index";
import { jenkinsClient } from "./jenkins/api";
import { syncJenkins } from "./jenkins/index";
import { opsgenieClient } from "./opsgenie/api";
import { syncOpsgenie } from "./opsgenie/index";
import { pagerDutyClient } from "./pagerduty/api";
import { syncPagerDuty } from "./pagerduty/index";
import type { SourceSyncSummary } from "./source/stream";

/**
 * The sources Throughline pulls from on a schedule, "Sync now" and `npm run ingest [-- <name>]`. Each one is
 * configured by its section of throughline.config.yaml and by credentials in the environment (never in the file,
 * the database or a log line). Push sources (webhooks, the push API) deliver on their own; local clones are read by
 * `npm run ingest -- git`.
 */

export interface SourceSyncOptions {
  config: ThroughlineConfig;
  /** One scope only (a repository, a project, a job, a service); it must be configured. */
  scope?: string;
  /** How far back a scope's first sync reads (YYYY-MM-DD). */
  since?: string;
  dryRun?: boolean;
  log: (line: string) => void;
  /** For tests: client options (a fake's URL, fast retries). */
  client?: Record<string, unknown>;
}

export interface SourceDefinition {
  /** `npm run ingest -- <name>`, and sync_state.source. */
  name: string;
  label: string;
  configured(config: ThroughlineConfig): boolean;
  /** Minutes between scheduled syncs (0: only on demand). */
  intervalMinutes(config: ThroughlineConfig): number;
  /** Environment variables with its credentials: a CLI forwards them to the server for one run. */
  credentialEnv: readonly string[];
  /** Null when the credentials are set, else what to set. */
  missingCredentials(env: NodeJS.ProcessEnv): string | null;
  sync(db: Db, o: SourceSyncOptions): Promise<SourceSyncSummary>;
}

const github: SourceDefinition = {
  name: "github",
  label: "GitHub",
  configured: (config) => config.github !== undefined,
  intervalMinutes: (config) => config.github?.syncIntervalMinutes ?? 0,
  credentialEnv: [
    "GITHUB_TOKEN",
    "GITHUB_APP_ID",
    "GITHUB_APP_PRIVATE_KEY",
    "GITHUB_APP_PRIVATE_KEY_FILE",
    "GITHUB_APP_INSTALLATION_ID",
    "GITHUB_API_URL",
  ],
  missingCredentials: (env) =>
    env.GITHUB_TOKEN?.trim() || env.GITHUB_APP_ID?.trim()
      ? null
      : "GITHUB_TOKEN (or a GitHub App: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)",
  async sync(db, o) {
    const env = readEnv();
    const client = new GitHubClient({
      auth: githubAuthFromEnv(env),
      baseUrl: env.GITHUB_API_URL,
      log: o.log,
      ...o.client,
    });
    const s = await syncGitHub(db, {
      config: o.config,
      client,
      repo: o.scope,
      since: o.since,
      dryRun: o.dryRun,
      log: o.log,
    });
    return githubSummary(s);
  },
};

/** A GitHub sync's summary in the shape every source reports. */
export function githubSummary(s: GitHubSyncSummary): SourceSyncSummary {
  return {
    source: "github",
    label: "GitHub",
    scopes: s.repositories.map((r) => ({
      scope: r.repository,
      ok: r.ok,
      ...(r.error ? { error: r.error } : {}),
      counts: r.counts,
      requests: r.requests,
      ms: r.ms,
    })),
    requests: s.requests,
    notModified: s.notModified,
    rateLimit: s.rateLimit,
    ms: s.ms,
    stopped: null,
  };
}

/** The incident sources read one scope (the account): `--repo` names nothing there. */
function noScope(name: string, scope: string | undefined): void {
  if (scope) throw new Error(`--repo does not apply to ${name}: it syncs the account's incidents as one`);
}

/** The variables of `vars` that are unset, or null when all are set. */
function missing(env: NodeJS.ProcessEnv, vars: readonly string[]): string | null {
  const unset = vars.filter((v) => !env[v]?.trim());
  return unset.length ? unset.join(", ") : null;
}

const gitlab: SourceDefinition = {
  name: "gitlab",
  label: "GitLab",
  configured: (config) => config.gitlab !== undefined,
  intervalMinutes: (config) => config.gitlab?.syncIntervalMinutes ?? 0,
  credentialEnv: ["GITLAB_URL", "GITLAB_TOKEN"],
  missingCredentials: (env) => missing(env, ["GITLAB_TOKEN"]),
  sync: (db, o) =>
    syncGitLab(db, {
      config: o.config,
      client: gitlabClient(process.env, { log: o.log, ...o.client }),
      project: o.scope,
      since: o.since,
      dryRun: o.dryRun,
      log: o.log,
    }),
};

const jenkins: SourceDefinition = {
  name: "jenkins",
  label: "Jenkins",
  configured: (config) => config.jenkins !== undefined,
  intervalMinutes: (config) => config.jenkins?.syncIntervalMinutes ?? 0,
  credentialEnv: ["JENKINS_URL", "JENKINS_USER", "JENKINS_TOKEN"],
  missingCredentials: (env) => missing(env, ["JENKINS_URL", "JENKINS_USER", "JENKINS_TOKEN"]),
  sync: (db, o) =>
    syncJenkins(db, {
      config: o.config,
      client: jenkinsClient(process.env, { log: o.log, ...o.client }),
      job: o.scope,
      since: o.since,
      dryRun: o.dryRun,
      log: o.log,
    }),
};

const pagerduty: SourceDefinition = {
  name: "pagerduty",
  label: "PagerDuty",
  configured: (config) => config.pagerduty !== undefined,
  intervalMinutes: (config) => config.pagerduty?.syncIntervalMinutes ?? 0,
  credentialEnv: ["PAGERDUTY_TOKEN"],
  missingCredentials: (env) => missing(env, ["PAGERDUTY_TOKEN"]),
  sync: (db, o) => {
    noScope("pagerduty", o.scope);
    return syncPagerDuty(db, {
      config: o.config,
      client: pagerDutyClient(o.config.pagerduty as NonNullable<typeof o.config.pagerduty>, process.env, {
        log: o.log,
        ...o.client,
      }),
      since: o.since,
      dryRun: o.dryRun,
      log: o.log,
    });
  },
};

const opsgenie: SourceDefinition = {
  name: "opsgenie",
  label: "Opsgenie",
  configured: (config) => config.opsgenie !== undefined,
  intervalMinutes: (config) => config.opsgenie?.syncIntervalMinutes ?? 0,
  credentialEnv: ["OPSGENIE_API_KEY"],
  missingCredentials: (env) => missing(env, ["OPSGENIE_API_KEY"]),
  sync: (db, o) => {
    noScope("opsgenie", o.scope);
    return syncOpsgenie(db, {
      config: o.config,
      client: opsgenieClient(o.config.opsgenie as NonNullable<typeof o.config.opsgenie>, process.env, {
        log: o.log,
        ...o.client,
      }),
      since: o.since,
      dryRun: o.dryRun,
      log: o.log,
    });
  },
};

/**
 * Every pull source, in the order a full sync runs them: code hosts and CI first, incident tools last (incidents
 * link to the deployments already stored).
 */
export const PULL_SOURCES: readonly SourceDefinition[] = [github, gitlab, jenkins, pagerduty, opsgenie];

export function findSource(name: string): SourceDefinition | undefined {
  return PULL_SOURCES.find((s) => s.name === name);
}

/** Every credential variable of every source (what a CLI forwards to the server for one run). */
export function credentialVariables(): string[] {
  return [...new Set(PULL_SOURCES.flatMap((s) => s.credentialEnv))];
}
