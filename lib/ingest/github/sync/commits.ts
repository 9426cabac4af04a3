import { and, eq, inArray } from "drizzle-orm";
import { commits } from "@/lib/db/schema";
import { upsertCommits } from "@/lib/ingest/store";
import { fromGqlCommit, type GqlCommit, mapCommit } from "../map";
import { HISTORY } from "../queries";
import { commitPage, count, iso, type RepoSync, state } from "./context";

/**
 * The default branch's commit graph (what derive walks). The first run reads the history back to the horizon;
 * later runs walk from the branch head until every fetched commit's parents are known, so merged feature branches
 * with old commits come in too. The walk is pinned to the head it started from and its position is committed with
 * each page: a killed run resumes the same walk.
 */

interface Walk {
  head: string;
  after: string | null;
  backfill: boolean;
  /** Incremental walks: parents seen but not yet fetched or known. */
  missing: string[];
}

export async function syncCommits(ctx: RepoSync): Promise<{ sha: string; committedAt: string }[]> {
  const st = await state(ctx, "commits");
  let walk = (st.details.walk as Walk | undefined) ?? null;
  if (!walk) {
    const head = ctx.repo.head;
    if (!head) return [];
    if (await known(ctx, [head]).then((k) => k.has(head))) return []; // nothing new on the branch
    walk = { head, after: null, backfill: st.cursor === null, missing: [] };
  }
  const fetched = new Map<string, string>(); // sha → committedAt
  const missing = new Set(walk.missing);
  for (;;) {
    const current: Walk = walk;
    const { data }: { data: HistoryResult } = await ctx.client.as("commits").graphql<HistoryResult>(HISTORY, {
      owner: ctx.repo.owner,
      name: ctx.repo.name,
      expression: current.head,
      first: 100,
      after: current.after,
      since: iso(ctx.since),
    });
    const history = data.repository?.object?.history;
    if (!history) break;
    const page = history.nodes.map(fromGqlCommit);
    count(ctx, "commits", page.length);
    for (const c of page) {
      fetched.set(c.sha, c.committedAt);
      missing.delete(c.sha);
    }
    if (!current.backfill) {
      const parents = [...new Set(page.flatMap((c) => c.parents))].filter((p) => !fetched.has(p));
      const have = await known(ctx, parents);
      for (const p of parents) if (!have.has(p)) missing.add(p);
    }
    const done = !history.pageInfo.hasNextPage || (!current.backfill && missing.size === 0);
    walk = { ...current, after: history.pageInfo.endCursor, missing: [...missing] };
    await commitPage(
      ctx,
      "commits",
      (tx) =>
        upsertCommits(
          tx,
          ctx.repo.id,
          page.map((c) => mapCommit(c, ctx.botPatterns)),
        ).then(() => {}),
      done ? { cursor: current.head, details: {} } : { details: { walk } },
    );
    if (done) break;
  }
  return [...fetched].map(([sha, committedAt]) => ({ sha, committedAt }));
}

/** Which of these SHAs the database already holds for the repository. */
export async function known(ctx: RepoSync, shas: readonly string[]): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const rows = await ctx.db
    .select({ sha: commits.sha })
    .from(commits)
    .where(and(eq(commits.repositoryId, ctx.repo.id), inArray(commits.sha, [...new Set(shas)])));
  return new Set(rows.map((r) => r.sha));
}

interface HistoryResult {
  repository: {
    object: {
      history?: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlCommit[] };
    } | null;
  } | null;
}
