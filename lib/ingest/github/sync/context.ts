import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db, Tx } from "@/lib/db";
import { type ResourceState, readState, writeState } from "@/lib/ingest/sync-state";
import type { GitHubClient } from "../client";

/** Everything a resource sync needs about one repository and the run. */
export interface RepoSync {
  db: Db;
  client: GitHubClient;
  config: ThroughlineConfig;
  repo: {
    id: number;
    fullName: string;
    owner: string;
    name: string;
    defaultBranch: string;
    /** Head of the default branch now (from the probe). */
    head: string | null;
    /** Path-mapped services (monorepos): their prefixes decide which commits each one ships. */
    pathServices: { name: string; prefixes: string[] }[];
  };
  /** The backfill horizon: nothing older is fetched on the first sync. */
  since: Date;
  now: Date;
  dryRun: boolean;
  botPatterns: string[];
  probe: Probe | null;
  log: (line: string) => void;
  /** Items fetched per resource in this run. */
  counts: Record<string, number>;
}

/** The newest of everything, per repository, from one batched probe query. */
export interface Probe {
  head: string | null;
  newestPullRequestAt: string | null;
  newestDeployment: { id: string; createdAt: string } | null;
  newestIssueAt: string | null;
  newestRelease: { tagName: string; createdAt: string } | null;
}

export const SOURCE = "github";

export function state(ctx: RepoSync, resource: string): Promise<ResourceState> {
  return readState(ctx.db, SOURCE, ctx.repo.fullName, resource);
}

/**
 * Writes one page and the state that says it was written, atomically: a killed run either has both or neither,
 * and resumes from the state. A dry run writes nothing.
 */
export async function commitPage(
  ctx: RepoSync,
  resource: string,
  write: (tx: Tx) => Promise<void>,
  next: Parameters<typeof writeState>[4],
): Promise<void> {
  if (ctx.dryRun) return;
  await ctx.db.transaction(async (tx) => {
    await write(tx);
    await writeState(tx, SOURCE, ctx.repo.fullName, resource, next);
  });
}

export function count(ctx: RepoSync, resource: string, n: number): void {
  ctx.counts[resource] = (ctx.counts[resource] ?? 0) + n;
}

export const iso = (d: Date) => d.toISOString();
