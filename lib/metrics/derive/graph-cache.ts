import { eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { commits } from "@/lib/db/schema";
import { CommitGraph } from "./graph";

/**
 * The commit graphs derive has loaded, per database and repository, keyed by the repository's graph version (a new
 * random value on every commit write, lib/metrics/derive/marks.ts): re-deriving the tail of a chain must not reload
 * a history of 100,000 commits it already holds. A stale entry can never be used (another process writing commits
 * changes the version in the database); the least recently used graphs go first once the cache holds more than
 * MAX_CACHED_COMMITS commits.
 */

const MAX_CACHED_COMMITS = 2_000_000;

interface Entry {
  version: string;
  withPaths: boolean;
  graph: CommitGraph;
}

const g = globalThis as unknown as { __tlGraphCache?: WeakMap<object, Map<number, Entry>> };
g.__tlGraphCache ??= new WeakMap();

export async function loadGraph(
  db: Db,
  key: object,
  repositoryId: number,
  version: string,
  withPaths: boolean,
): Promise<CommitGraph> {
  const caches = g.__tlGraphCache as WeakMap<object, Map<number, Entry>>;
  let cache = caches.get(key);
  if (!cache) {
    cache = new Map();
    caches.set(key, cache);
  }
  const hit = cache.get(repositoryId);
  if (hit && hit.version === version && (hit.withPaths || !withPaths)) {
    cache.delete(repositoryId); // most recently used last
    cache.set(repositoryId, hit);
    return hit.graph;
  }
  const rows = await db
    .select({
      id: commits.id,
      sha: commits.sha,
      parentShas: commits.parentShas,
      authoredAt: commits.authoredAt,
      isBot: commits.isBot,
      changedPaths: withPaths ? commits.changedPaths : sql<null>`null`,
    })
    .from(commits)
    .where(eq(commits.repositoryId, repositoryId));
  const graph = new CommitGraph(rows);
  cache.delete(repositoryId);
  cache.set(repositoryId, { version, withPaths, graph });
  let total = 0;
  for (const e of cache.values()) total += e.graph.size;
  for (const [id, e] of cache) {
    if (total <= MAX_CACHED_COMMITS || id === repositoryId) break;
    cache.delete(id);
    total -= e.graph.size;
  }
  return graph;
}

/** Forgets every cached graph of a database (tests that rewrite commits behind the store's back). */
export function clearGraphCache(key: object): void {
  g.__tlGraphCache?.delete(key);
}
