import { and, eq, sql } from "drizzle-orm";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { sameRepository } from "@/lib/db/repository-name";
import { repositories, services } from "@/lib/db/schema";
import { matchesAny } from "@/lib/domain/glob";
import { upsertRepositories } from "@/lib/ingest/store";
import { writeState } from "@/lib/ingest/sync-state";
import { deriveRepository } from "@/lib/metrics/derive";
import { type GitHubClient, RateLimitExhaustedError, type RateLimitState } from "./client";
import { ORG_REPOSITORIES, probeQuery } from "./queries";
import { syncCommits } from "./sync/commits";
import { type Probe, type RepoSync, SOURCE } from "./sync/context";
import { syncDeployedCommits } from "./sync/deployed-commits";
import { syncDeployments } from "./sync/deployments";
import { syncIssues } from "./sync/issues";
import { syncPaths } from "./sync/paths";
import { syncPullRequests } from "./sync/pulls";
import { syncReleases } from "./sync/releases";
import { syncRuns } from "./sync/runs";

/**
 * One GitHub sync: resolve the configured repositories (whole organisations included), probe them in batches
 * for what changed, then per repository sync each resource and derive. One repository failing is recorded and
 * shown; the others go on.
 */

export interface GitHubSyncOptions {
  config: ThroughlineConfig;
  client: GitHubClient;
  /** Only this repository (it must be configured). */
  repo?: string;
  /** Backfill horizon for repositories never synced (YYYY-MM-DD); default github.since, else 365 days. */
  since?: string;
  dryRun?: boolean;
  log?: (line: string) => void;
  now?: Date;
  /** A progress line this often while a repository syncs (default 5 s). */
  progressEveryMs?: number;
}

export interface RepoResult {
  repository: string;
  ok: boolean;
  error?: string;
  counts: Record<string, number>;
  requests: number;
  ms: number;
}

export interface GitHubSyncSummary {
  repositories: RepoResult[];
  requests: number;
  notModified: number;
  rateLimit: RateLimitState;
  ms: number;
}

interface Target {
  fullName: string;
  owner: string;
  name: string;
}

const PROBE_BATCH = 10;

export async function syncGitHub(db: Db, o: GitHubSyncOptions): Promise<GitHubSyncSummary> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const gh = o.config.github;
  if (!gh)
    throw new Error("Nothing to sync: throughline.config.yaml has no github section (see README § GitHub).");
  const now = o.now ?? new Date();
  const since = new Date(
    o.since ?? gh.since ?? new Date(now.getTime() - 365 * 86_400_000).toISOString().slice(0, 10),
  );

  const targets = await resolveTargets(o.client, o.config, o.repo, log);
  log(
    `GitHub: ${targets.length} ${targets.length === 1 ? "repository" : "repositories"}${o.dryRun ? " (dry run: nothing is written)" : ""}`,
  );
  const results: RepoResult[] = [];
  for (let i = 0; i < targets.length; i += PROBE_BATCH) {
    const batch = targets.slice(i, i + PROBE_BATCH);
    const probes = await probe(o.client, batch);
    for (const [j, target] of batch.entries()) {
      const result = await syncRepository(db, o, target, probes.get(target.fullName) ?? null, since, log);
      results.push(result);
      const left = o.client.rateLimit.remaining;
      const counts = Object.entries(result.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
      log(
        `[${i + j + 1}/${targets.length}] ${target.fullName}: ${result.ok ? counts || "no changes" : `FAILED: ${result.error}`} · ${result.requests} requests${left !== null ? ` · rate limit ${left} left` : ""}`,
      );
    }
  }
  return {
    repositories: results,
    requests: o.client.requests,
    notModified: o.client.notModified,
    rateLimit: o.client.rateLimit,
    ms: Math.round(performance.now() - started),
  };
}

async function resolveTargets(
  client: GitHubClient,
  config: ThroughlineConfig,
  only: string | undefined,
  log: (l: string) => void,
) {
  const gh = config.github as NonNullable<ThroughlineConfig["github"]>;
  const names = new Map<string, boolean>(); // full name → listed explicitly
  for (const r of gh.repositories) names.set(r, true);
  for (const org of gh.orgs) {
    let after: string | null = null;
    for (;;) {
      const { data }: { data: OrgResult } = await client
        .as("repositories")
        .graphql<OrgResult>(ORG_REPOSITORIES, { org, after });
      const page: OrgPage | undefined = data.organization?.repositories;
      if (!page) {
        log(`GitHub organisation '${org}' not found or not visible to this token`);
        break;
      }
      for (const r of page.nodes)
        if (!r.isArchived && !names.has(r.nameWithOwner)) names.set(r.nameWithOwner, false);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
  }
  let list = [...names.keys()].filter((n) => !gh.exclude.some((x) => matchesAny(n, [x])));
  if (only) {
    if (!list.includes(only)) throw new Error(`${only} is not among the configured GitHub repositories`);
    list = [only];
  }
  return list.sort().map((fullName): Target => {
    const [owner, name] = fullName.split("/") as [string, string];
    return { fullName, owner, name };
  });
}

interface ProbeNode {
  nameWithOwner: string;
  url: string;
  isArchived: boolean;
  defaultBranchRef: { name: string; target: { oid: string } | null } | null;
  pullRequests: { nodes: { updatedAt: string }[] };
  deployments: { nodes: { id: string; createdAt: string }[] };
  issues: { nodes: { updatedAt: string }[] };
  releases: { nodes: { tagName: string; createdAt: string }[] };
}

type ProbeResult = Map<
  string,
  (Probe & { defaultBranch: string; url: string; archived: boolean }) | { error: string }
>;

/** One query for up to ten repositories: what is newest in each (see probeQuery). */
async function probe(client: GitHubClient, batch: Target[]): Promise<ProbeResult> {
  const vars: Record<string, string> = {};
  batch.forEach((t, i) => {
    vars[`o${i}`] = t.owner;
    vars[`n${i}`] = t.name;
  });
  const { data, errors } = await client
    .as("probe")
    .graphql<Record<string, ProbeNode | null>>(probeQuery(batch.length), vars);
  const out: ProbeResult = new Map();
  batch.forEach((t, i) => {
    const node = data[`r${i}`];
    if (!node) {
      const why =
        errors.find((e) => e.path?.[0] === `r${i}`)?.message ?? "not found or not visible to this token";
      out.set(t.fullName, { error: why });
      return;
    }
    out.set(t.fullName, {
      defaultBranch: node.defaultBranchRef?.name ?? "main",
      url: node.url,
      archived: node.isArchived,
      head: node.defaultBranchRef?.target?.oid.toLowerCase() ?? null,
      newestPullRequestAt: node.pullRequests.nodes[0]?.updatedAt ?? null,
      newestDeployment: node.deployments.nodes[0] ?? null,
      newestIssueAt: node.issues.nodes[0]?.updatedAt ?? null,
      newestRelease: node.releases.nodes[0] ?? null,
    });
  });
  return out;
}

async function syncRepository(
  db: Db,
  o: GitHubSyncOptions,
  target: Target,
  found: ReturnType<ProbeResult["get"]> | null,
  since: Date,
  log: (l: string) => void,
): Promise<RepoResult> {
  const started = performance.now();
  const requestsBefore = o.client.requests;
  const counts: Record<string, number> = {};
  // A first sync of a large repository takes minutes: say what is happening every few seconds.
  const ticker = setInterval(() => {
    const left = o.client.rateLimit.remaining;
    const items = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
    log(
      `  ${target.fullName}: ${o.client.requests - requestsBefore} requests so far` +
        `${items ? ` · ${items}` : ""}${left !== null ? ` · rate limit ${left} left` : ""} · ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }, o.progressEveryMs ?? 5_000);
  ticker.unref?.();
  const done = (ok: boolean, error?: string): RepoResult => ({
    repository: target.fullName,
    ok,
    ...(error ? { error } : {}),
    counts,
    requests: o.client.requests - requestsBefore,
    ms: Math.round(performance.now() - started),
  });
  try {
    if (!found || "error" in found) throw new Error(found?.error ?? "not found");
    let id: number;
    if (o.dryRun) {
      const [row] = await db
        .select({ id: repositories.id })
        .from(repositories)
        .where(sameRepository(repositories.fullName, target.fullName));
      id = row?.id ?? -1;
    } else {
      const ids = await upsertRepositories(db, [
        {
          fullName: target.fullName,
          provider: "github",
          url: found.url,
          defaultBranch: found.defaultBranch,
          archived: found.archived,
          source: "github",
        },
      ]);
      id = ids.get(target.fullName) as number;
      await writeState(db, SOURCE, target.fullName, "repository", { status: "running" });
    }
    const pathServices = (
      await db
        .select({ name: services.name, prefixes: services.pathPrefixes })
        .from(services)
        .where(and(eq(services.repositoryId, id), sql`not ${services.isDefault}`))
    ).filter((s) => s.prefixes.length > 0);
    const ctx: RepoSync = {
      db,
      client: o.client,
      config: o.config,
      repo: {
        id,
        fullName: target.fullName,
        owner: target.owner,
        name: target.name,
        defaultBranch: found.defaultBranch,
        head: found.head,
        pathServices,
      },
      since,
      now: o.now ?? new Date(),
      dryRun: o.dryRun === true,
      botPatterns: o.config.bots,
      probe: found,
      log,
      counts,
    };
    const newCommits = await syncCommits(ctx);
    await syncPaths(ctx, newCommits);
    await syncPullRequests(ctx);
    await syncDeployments(ctx);
    await syncRuns(ctx);
    await syncReleases(ctx);
    await syncIssues(ctx);
    if (!o.dryRun) {
      await syncDeployedCommits(ctx);
      await deriveRepository(db, id);
      await writeState(db, SOURCE, target.fullName, "repository", {
        status: "ok",
        details: { counts, requests: o.client.requests - requestsBefore },
      });
    }
    return done(true);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!o.dryRun) {
      await writeState(db, SOURCE, target.fullName, "repository", { status: "error", error: message }).catch(
        () => {},
      );
    }
    if (error instanceof RateLimitExhaustedError) throw error;
    return done(false, message);
  } finally {
    clearInterval(ticker);
  }
}

interface OrgPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { nameWithOwner: string; isArchived: boolean }[];
}

interface OrgResult {
  organization: { repositories: OrgPage } | null;
}
