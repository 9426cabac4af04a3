import Bottleneck from "bottleneck";
import { sql } from "drizzle-orm";
import { applyConfig } from "@/lib/config/apply";
import { parseConfig } from "@/lib/config/load";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { type ClientOptions, GitHubClient } from "@/lib/ingest/github/client";
import { type GitHubSyncSummary, syncGitHub } from "@/lib/ingest/github/index";
import type { FakeGitHub } from "@/test/fakes/github";

/** A client for the fake GitHub: no pacing between GraphQL queries, waits scaled to milliseconds. */
export function fakeClient(fake: FakeGitHub, extra: Partial<ClientOptions> = {}): GitHubClient {
  return new GitHubClient({
    auth: { kind: "token", token: "test-token" },
    baseUrl: fake.url,
    retryBaseMs: 5,
    timeoutMs: 5_000,
    throttle: { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }) },
    ...extra,
  });
}

export function config(yaml: string): ThroughlineConfig {
  return parseConfig(yaml);
}

export async function sync(
  db: Db,
  fake: FakeGitHub,
  cfg: ThroughlineConfig,
  options: {
    client?: Partial<ClientOptions>;
    dryRun?: boolean;
    log?: (l: string) => void;
    repo?: string;
    /** When the sync happens (the CI-history window is relative to it). */
    now?: Date;
    progressEveryMs?: number;
  } = {},
): Promise<GitHubSyncSummary & { client: GitHubClient }> {
  if (!options.dryRun) await applyConfig(db, cfg);
  const client = fakeClient(fake, options.client);
  const summary = await syncGitHub(db, {
    config: cfg,
    client,
    dryRun: options.dryRun,
    repo: options.repo,
    now: options.now,
    progressEveryMs: options.progressEveryMs,
    log: options.log ?? (() => {}),
  });
  return { ...summary, client };
}

/**
 * The domain rows, ordered by natural keys and without surrogate ids or bookkeeping times: two databases with the
 * same snapshot hold the same data, whatever order it arrived in.
 */
type Row = Record<string, unknown>;
export interface Snapshot {
  repositories: Row[];
  commits: Row[];
  pullRequests: Row[];
  deployments: Row[];
  changes: Row[];
  builds: Row[];
  incidents: Row[];
}

export async function snapshot(db: Db): Promise<Snapshot> {
  const q = (text: string) => queryRows<Row>(db, sql.raw(text));
  return {
    repositories: await q("select full_name, default_branch, archived from repositories order by full_name"),
    commits: await q(
      `select r.full_name, c.sha, c.parent_shas, c.authored_at::text, c.committed_at::text, c.author_login, c.is_bot, c.title, c.changed_paths
       from commits c join repositories r on r.id = c.repository_id order by r.full_name, c.sha`,
    ),
    pullRequests: await q(
      `select r.full_name, p.number, p.state, p.merge_sha, p.merge_method, p.first_commit_at::text, p.ready_at::text,
              p.first_review_at::text, p.approved_at::text, p.merged_at::text, p.is_bot, p.is_revert, p.reverts_number,
              p.is_hotfix, p.labels, p.reviewer_logins
       from pull_requests p join repositories r on r.id = p.repository_id order by r.full_name, p.number`,
    ),
    deployments: await q(
      `select r.full_name, s.name as service, d.environment, d.sha, d.status, d.finished_at::text, d.source, d.external_id,
              d.trigger, d.kind, d.attribution, d.change_count, d.is_counted, d.is_failed, d.failure_reasons::text,
              d.recovery_seconds, d.is_rework,
              (select p.external_id from deployments p where p.id = d.prev_deployment_id) as prev
       from deployments d join repositories r on r.id = d.repository_id join services s on s.id = d.service_id
       order by r.full_name, d.source, d.external_id`,
    ),
    changes: await q(
      `select d.external_id, c.sha, ch.lead_seconds, ch.first_in_environment, ch.first_in_tier, ch.is_bot, ch.is_merge
       from deployment_changes ch join deployments d on d.id = ch.deployment_id join commits c on c.id = ch.commit_id
       order by d.external_id, c.sha`,
    ),
    builds: await q(
      `select r.full_name, b.external_id, b.workflow, b.status, b.conclusion, b.sha from ci_builds b
       join repositories r on r.id = b.repository_id order by r.full_name, b.external_id`,
    ),
    incidents: await q(
      `select i.external_id, i.opened_at::text, i.resolved_at::text, i.severity, i.caused_by_sha, i.link_method,
              (select d.external_id from deployments d where d.id = i.linked_deployment_id) as linked
       from incidents i order by i.external_id`,
    ),
  };
}
