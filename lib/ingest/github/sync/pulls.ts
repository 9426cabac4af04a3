import { upsertPullRequests } from "@/lib/ingest/store";
import { fromGqlPullRequest, type GhPullRequest, type GqlPullRequest, mapPullRequest } from "../map";
import { PR_COMMITS, PULL_REQUESTS } from "../queries";
import { commitPage, count, iso, type RepoSync, state } from "./context";
import { markMergePaths } from "./paths";

/**
 * Pull requests, most recently updated first, down to the watermark of the last completed walk (or the horizon).
 * The watermark only advances when a walk completes; a walk in progress commits its cursor with each page, so a
 * killed run resumes it, and anything updated meanwhile is above the old watermark and comes next time.
 */

interface Walk {
  after: string | null;
  /** The newest updatedAt seen in this walk: the next watermark. */
  top: string | null;
  floor: string;
}

const PAGE = 50;

export async function syncPullRequests(ctx: RepoSync): Promise<number> {
  const st = await state(ctx, "pulls");
  const watermark = st.cursor;
  let walk = (st.details.walk as Walk | undefined) ?? null;
  if (!walk) {
    const newest = ctx.probe?.newestPullRequestAt ?? null;
    if (ctx.probe && newest === null) return 0; // no pull requests at all
    if (watermark && newest && newest <= watermark) return 0; // nothing updated since the last walk
    walk = { after: null, top: null, floor: watermark ?? iso(ctx.since) };
  }
  const withFiles = ctx.repo.pathServices.length > 0;
  let total = 0;
  for (;;) {
    const current: Walk = walk;
    const { data }: { data: PullsResult } = await ctx.client.as("pulls").graphql<PullsResult>(PULL_REQUESTS, {
      owner: ctx.repo.owner,
      name: ctx.repo.name,
      first: PAGE,
      after: current.after,
      withFiles,
    });
    const connection = data.repository?.pullRequests;
    if (!connection) break;
    const nodes = connection.nodes.filter((n) => n.updatedAt >= current.floor);
    const reachedFloor = nodes.length < connection.nodes.length;
    const top = current.top ?? connection.nodes[0]?.updatedAt ?? null;
    const done = reachedFloor || !connection.pageInfo.hasNextPage;
    walk = { ...current, after: connection.pageInfo.endCursor, top };
    count(ctx, "pulls", nodes.length);
    total += nodes.length;
    const prs: GhPullRequest[] = [];
    for (const n of nodes) prs.push(fromGqlPullRequest(await withAllCommits(ctx, n)));
    await commitPage(
      ctx,
      "pulls",
      async (tx) => {
        await upsertPullRequests(
          tx,
          ctx.repo.id,
          prs.map((pr) => mapPullRequest(pr, ctx.botPatterns)),
        );
        if (withFiles) {
          await markMergePaths(
            tx,
            ctx,
            nodes.flatMap((n) =>
              n.mergeCommit && n.files
                ? [{ sha: n.mergeCommit.oid.toLowerCase(), paths: n.files.nodes.map((f) => f.path) }]
                : [],
            ),
          );
        }
      },
      done ? { cursor: top ?? watermark, details: {} } : { details: { walk } },
    );
    if (done) break;
  }
  return total;
}

/**
 * A PR with more than the 100 commits its page lists: the rest of its commits' author times (its first commit is
 * the earliest of them). Rare, and at most two requests (GitHub lists 250 commits per PR).
 */
async function withAllCommits(ctx: RepoSync, pr: GqlPullRequest): Promise<GqlPullRequest> {
  let page: PageInfo | undefined = pr.commits.pageInfo;
  if (!page?.hasNextPage) return pr;
  const nodes = [...pr.commits.nodes];
  while (page?.hasNextPage) {
    const result: { data: CommitsResult } = await ctx.client.as("pulls").graphql<CommitsResult>(PR_COMMITS, {
      owner: ctx.repo.owner,
      name: ctx.repo.name,
      number: pr.number,
      after: page.endCursor,
    });
    const more: CommitsPage | undefined = result.data.repository?.pullRequest?.commits;
    if (!more) break;
    nodes.push(...more.nodes);
    page = more.pageInfo;
  }
  return { ...pr, commits: { ...pr.commits, nodes } };
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface CommitsPage {
  pageInfo: PageInfo;
  nodes: { commit: { authoredDate: string } }[];
}

interface CommitsResult {
  repository: { pullRequest: { commits: CommitsPage } | null } | null;
}

interface PullsResult {
  repository: {
    pullRequests: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlPullRequest[] };
  } | null;
}
