import { and, eq, notExists, sql } from "drizzle-orm";
import { commits, deployments } from "@/lib/db/schema";
import { upsertCommits } from "@/lib/ingest/store";
import { fromGqlCommit, type GqlCommit, mapCommit } from "../map";
import { HISTORY } from "../queries";
import { known } from "./commits";
import { commitPage, count, iso, type RepoSync } from "./context";

/**
 * A deployment of a SHA that is not on the default branch's history we hold (a release branch, a hotfix branch, a
 * tag) would ship "unknown" changes. Fetch that SHA's history until it joins commits we know (the compare between
 * the two deployed SHAs, batched as GraphQL history pages), at most a few pages per SHA.
 */
const MAX_SHAS = 25;
const MAX_PAGES = 5;

export async function syncDeployedCommits(ctx: RepoSync): Promise<number> {
  const rows = await ctx.db
    .selectDistinct({ sha: deployments.sha })
    .from(deployments)
    .where(
      and(
        eq(deployments.repositoryId, ctx.repo.id),
        eq(deployments.status, "success"),
        notExists(
          ctx.db
            .select({ one: sql`1` })
            .from(commits)
            .where(and(eq(commits.repositoryId, ctx.repo.id), eq(commits.sha, deployments.sha))),
        ),
      ),
    )
    .limit(MAX_SHAS);
  let total = 0;
  for (const { sha } of rows) {
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data }: { data: Result } = await ctx.client.as("deployed-commits").graphql<Result>(HISTORY, {
        owner: ctx.repo.owner,
        name: ctx.repo.name,
        expression: sha,
        first: 100,
        after,
        since: iso(ctx.since),
      });
      const history: History | undefined = data.repository?.object?.history;
      if (!history) break; // a SHA GitHub does not know (force-pushed away): the deployment stays unknown
      const found = history.nodes.map(fromGqlCommit);
      count(ctx, "deployed-commits", found.length);
      total += found.length;
      const have = await known(
        ctx,
        found.flatMap((c) => c.parents),
      );
      await commitPage(
        ctx,
        "deployed-commits",
        (tx) =>
          upsertCommits(
            tx,
            ctx.repo.id,
            found.map((c) => mapCommit(c, ctx.botPatterns)),
          ).then(() => {}),
        {},
      );
      // Joined known history: the rest is already here.
      if (!history.pageInfo.hasNextPage || found.some((c) => c.parents.some((p) => have.has(p)))) break;
      after = history.pageInfo.endCursor;
    }
  }
  return total;
}

interface History {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: GqlCommit[];
}
interface Result {
  repository: { object: { history?: History } | null } | null;
}
