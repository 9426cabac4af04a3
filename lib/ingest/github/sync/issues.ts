import { matchesAny } from "@/lib/domain/glob";
import { upsertIncidents } from "@/lib/ingest/store";
import { fromGqlIssue, type GqlIssue, mapIssue } from "../map";
import { ISSUES } from "../queries";
import { commitPage, count, iso, type RepoSync, state } from "./context";

/**
 * Incidents: issues with one of the configured labels, oldest change first from the last sync's newest change
 * (GitHub's `since` filter), so the cursor simply advances with each committed page.
 */
export async function syncIssues(ctx: RepoSync): Promise<number> {
  const { labels, repositories, serviceLabels } = ctx.config.incidents;
  if (labels.length === 0 || !matchesAny(ctx.repo.fullName, repositories)) return 0;
  const st = await state(ctx, "issues");
  const probed = ctx.probe?.newestIssueAt;
  if (ctx.probe && probed === null) return 0; // the repository has no issues at all
  if (st.cursor && probed && probed <= st.cursor) return 0;
  let after = (st.details.after as string | undefined) ?? null;
  const since = (st.details.since as string | undefined) ?? st.cursor ?? iso(ctx.since);
  let newest = st.cursor;
  let total = 0;
  for (;;) {
    const { data }: { data: IssuesResult } = await ctx.client.as("issues").graphql<IssuesResult>(ISSUES, {
      owner: ctx.repo.owner,
      name: ctx.repo.name,
      labels,
      since,
      after,
    });
    const connection = data.repository?.issues;
    if (!connection) break;
    const issues = connection.nodes.map(fromGqlIssue);
    for (const n of connection.nodes) if (!newest || n.updatedAt > newest) newest = n.updatedAt;
    const done = !connection.pageInfo.hasNextPage;
    after = connection.pageInfo.endCursor;
    count(ctx, "issues", issues.length);
    total += issues.length;
    await commitPage(
      ctx,
      "issues",
      (tx) =>
        upsertIncidents(
          tx,
          issues.map((i) => mapIssue(ctx.repo.fullName, i, { serviceLabels })),
        ).then(() => {}),
      // The probe saw every issue (labelled or not) up to `probed`: nothing before it is left to read.
      done
        ? {
            cursor:
              [newest, probed]
                .filter((x): x is string => !!x)
                .sort()
                .at(-1) ?? null,
            details: {},
          }
        : { details: { after, since } },
    );
    if (done) break;
  }
  return total;
}

interface IssuesResult {
  repository: {
    issues: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: (GqlIssue & { updatedAt: string })[];
    };
  } | null;
}
