import { and, eq, gte } from "drizzle-orm";
import type { Tx } from "@/lib/db";
import { commits } from "@/lib/db/schema";
import { setCommitPaths } from "@/lib/ingest/store";
import { writeState } from "@/lib/ingest/sync-state";
import { PATH_HISTORY } from "../queries";
import { count, iso, type RepoSync, SOURCE, state } from "./context";

/**
 * For repositories split into path-mapped services: which service prefixes each new commit touches, from one
 * path-filtered history per prefix (GitHub computes it; we never fetch a commit's file list one request at a
 * time). A commit's changed paths are stored as the prefixes it touches, which is exactly what derive needs;
 * changing a service's prefixes clears them (lib/catalog/ownership.ts) so that the next sync recomputes them.
 */
export async function syncPaths(
  ctx: RepoSync,
  fetched: readonly { sha: string; committedAt: string }[],
): Promise<void> {
  if (ctx.repo.pathServices.length === 0 || !ctx.repo.head) return;
  // Prefixes changed since the last sync (or never computed): recompute for every commit in the window.
  const st = await state(ctx, "paths");
  const stale = st.details.stale === true || st.cursor === null;
  const newCommits = stale ? await commitsSince(ctx) : fetched;
  if (newCommits.length === 0) return;
  const oldest = newCommits.reduce(
    (min, c) => (c.committedAt < min ? c.committedAt : min),
    newCommits[0]?.committedAt as string,
  );
  const since = oldest < iso(ctx.since) ? iso(ctx.since) : oldest;
  const prefixes = [...new Set(ctx.repo.pathServices.flatMap((s) => s.prefixes))];
  const touched = new Map<string, string[]>();
  for (const prefix of prefixes) {
    let after: string | null = null;
    for (;;) {
      const { data }: { data: PathResult } = await ctx.client.as("paths").graphql<PathResult>(PATH_HISTORY, {
        owner: ctx.repo.owner,
        name: ctx.repo.name,
        expression: ctx.repo.head,
        path: prefix,
        after,
        since,
      });
      const history: PathHistory | undefined = data.repository?.object?.history;
      if (!history) break;
      for (const n of history.nodes) {
        const sha = n.oid.toLowerCase();
        touched.set(sha, [...(touched.get(sha) ?? []), prefix]);
      }
      count(ctx, "paths", history.nodes.length);
      if (!history.pageInfo.hasNextPage) break;
      after = history.pageInfo.endCursor;
    }
  }
  if (ctx.dryRun) return;
  // Every new commit now has known paths: the prefixes it touched, or none.
  await ctx.db.transaction(async (tx) => {
    await setCommitPaths(
      tx,
      ctx.repo.id,
      newCommits.map((c) => ({ sha: c.sha, paths: touched.get(c.sha) ?? [] })),
      "union",
    );
    await writeState(tx, SOURCE, ctx.repo.fullName, "paths", {
      cursor: ctx.repo.head,
      details: {},
      status: "ok",
    });
  });
}

async function commitsSince(ctx: RepoSync) {
  const rows = await ctx.db
    .select({ sha: commits.sha, committedAt: commits.committedAt })
    .from(commits)
    .where(and(eq(commits.repositoryId, ctx.repo.id), gte(commits.committedAt, ctx.since)));
  return rows.map((r) => ({ sha: r.sha, committedAt: r.committedAt.toISOString() }));
}

/** A merge (or squash) commit touches what its pull request touched. */
export async function markMergePaths(
  tx: Tx,
  ctx: RepoSync,
  merges: readonly { sha: string; paths: readonly string[] }[],
): Promise<void> {
  const prefixes = ctx.repo.pathServices.flatMap((s) => s.prefixes);
  await setCommitPaths(
    tx,
    ctx.repo.id,
    merges.map((m) => ({ sha: m.sha, paths: prefixes.filter((p) => m.paths.some((f) => f.startsWith(p))) })),
    "union",
  );
}

interface PathHistory {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { oid: string }[];
}

interface PathResult {
  repository: { object: { history?: PathHistory } | null } | null;
}
