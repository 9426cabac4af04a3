import type { Tx } from "@/lib/db";
import { rulesFor } from "@/lib/ingest/github/rules";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { nextLink } from "@/lib/ingest/source/paginate";
import type { Stream } from "@/lib/ingest/source/stream";
import {
  setEnvironmentTiers,
  upsertCommits,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequests,
} from "@/lib/ingest/store";
import { type GlCommit, type GlDeployment, type GlIssue, graphql, PER_PAGE, projectId } from "./api";
import { after, iso, knownShas, type ProjectSync } from "./context";
import {
  type DeploymentFacts,
  isIncident,
  mapGlCommit,
  mapGlDeployment,
  mapGlIssue,
  mapMergeRequest,
} from "./map";
import { pipelinesStream } from "./pipeline-stream";
import {
  type GqlMergeRequest,
  MERGE_REQUESTS,
  type MergeRequestsResult,
  MR_COMMITS,
  type MrCommitsResult,
} from "./queries";
import { releasesStream, tagsStream } from "./rule-streams";

/**
 * A GitLab project's streams on the shared runner (ADR 0011): each reads from its stored state, and each page is
 * committed with the state that resumes after it. Streams with nothing new (the probe says so) cost nothing.
 */

const p = (ctx: ProjectSync) => `projects/${projectId(ctx.project.path)}`;

/** The next page of a REST listing: GitLab's `Link: rel="next"` (offset and keyset pagination alike). */
const next = (headers: Headers) => nextLink(headers.get("link"));

interface CommitWalk {
  head: string;
  url: string | null;
  backfill: boolean;
  missing: string[];
}

/**
 * The default branch's commits with their parents, newest first from the head the probe saw (pinned: a push during
 * the walk does not shift its pages). The first sync reads back to the horizon; later ones until every parent of
 * what they read is known, so merged branches' older commits come in too.
 */
export const commitsStream: Stream<ProjectSync> = {
  resource: "commits",
  async *pages(ctx, state) {
    let walk = (state.details.walk as CommitWalk | undefined) ?? null;
    if (!walk) {
      const head = ctx.probe.head;
      if (!head || head === state.cursor) return;
      if ((await knownShas(ctx, [head])).has(head)) return;
      walk = { head, url: null, backfill: state.cursor === null, missing: [] };
    }
    const missing = new Set(walk.missing);
    for (;;) {
      const current: CommitWalk = walk;
      const r = await ctx.client
        .as("commits")
        .get<GlCommit[]>(current.url ?? `${p(ctx)}/repository/commits`, {
          query: current.url
            ? {}
            : {
                ref_name: current.head,
                per_page: PER_PAGE,
                ...(current.backfill ? { since: iso(ctx.since) } : {}),
              },
        });
      const listed = r.data ?? [];
      for (const c of listed) missing.delete(c.id.toLowerCase());
      // An incremental walk's first page also lists commits stored before: only the new ones are written.
      const have = current.backfill
        ? new Set<string>()
        : await knownShas(
            ctx,
            listed.map((c) => c.id.toLowerCase()),
          );
      const page = listed.filter((c) => !have.has(c.id.toLowerCase()));
      if (!current.backfill) {
        const seen = new Set(page.map((c) => c.id.toLowerCase()));
        const parents = [...new Set(page.flatMap((c) => c.parent_ids.map((x) => x.toLowerCase())))].filter(
          (x) => !seen.has(x),
        );
        const have = await knownShas(ctx, parents);
        for (const x of parents) if (!have.has(x)) missing.add(x);
      }
      const url = next(r.headers);
      const done = !url || (!current.backfill && missing.size === 0);
      walk = { ...current, url, missing: [...missing] };
      const records = page.map((c) => mapGlCommit(c, ctx.config.bots));
      yield {
        items: page.length,
        write: (tx: Tx) => upsertCommits(tx, ctx.project.id, records).then(() => {}),
        state: done ? { cursor: current.head, details: {} } : { details: { walk } },
      };
      if (done) return;
    }
  },
};

/**
 * A merge request's commits beyond the first page (GraphQL, 100 a request from where the page left off): only for
 * the rare merge request with more than 100 commits, whose first commit is otherwise unknown.
 */
async function allCommits(ctx: ProjectSync, mr: GqlMergeRequest): Promise<void> {
  const commits = mr.commits;
  let page = commits?.pageInfo;
  while (commits && page?.hasNextPage && page.endCursor) {
    const data = await graphql<MrCommitsResult>(ctx.client.as("merge-request-commits"), MR_COMMITS, {
      path: ctx.project.path,
      iid: mr.iid,
      after: page.endCursor,
    });
    const more = data.project?.mergeRequest?.commits;
    if (!more) return;
    commits.nodes.push(...more.nodes);
    page = more.pageInfo;
  }
}

/**
 * Merge requests changed since the watermark, oldest change first (GraphQL, 50 a request with their commits and
 * notes): the watermark advances with every page.
 */
export const mergeRequestsStream: Stream<ProjectSync> = {
  resource: "merge-requests",
  async *pages(ctx, state) {
    let cursor = (state.details.after as string | undefined) ?? null;
    const floor = (state.details.floor as string | undefined) ?? state.cursor ?? iso(ctx.since);
    if (!cursor && !after(ctx.probe.newestMergeRequestAt, state.cursor ?? iso(ctx.since))) return;
    let newest = state.cursor;
    for (;;) {
      const data = await graphql<MergeRequestsResult>(ctx.client.as("merge-requests"), MERGE_REQUESTS, {
        path: ctx.project.path,
        updatedAfter: floor,
        after: cursor,
      });
      const conn = data.project?.mergeRequests;
      if (!conn) return;
      // updatedAfter is inclusive: the merge request at the watermark itself was stored by the last sync.
      const changed = conn.nodes.filter((n) => !state.cursor || after(n.updatedAt, state.cursor));
      for (const n of changed) if (after(n.updatedAt, newest)) newest = n.updatedAt;
      for (const n of changed) await allCommits(ctx, n);
      const records = changed.map((n) => mapMergeRequest(n, ctx.config.bots));
      const done = !conn.pageInfo.hasNextPage;
      cursor = conn.pageInfo.endCursor;
      yield {
        items: records.length,
        write: (tx: Tx) => upsertPullRequests(tx, ctx.project.id, records).then(() => {}),
        state: done ? { cursor: newest, details: {} } : { details: { after: cursor, floor } },
      };
      if (done) return;
    }
  },
};

export function glDeploymentFacts(d: GlDeployment): DeploymentFacts {
  return {
    id: d.id,
    environment: d.environment.name,
    tier: d.environment.tier ?? null,
    sha: d.sha.toLowerCase(),
    ref: d.ref,
    status: d.status,
    createdAt: d.created_at,
    startedAt: d.deployable?.started_at ?? null,
    finishedAt: d.deployable?.finished_at ?? d.updated_at,
    url: d.deployable?.web_url ?? null,
    byJob: d.deployable !== null,
  };
}

/** Deployment records through the environment rules, with GitLab's tiers; written in the caller's transaction. */
export async function writeGlDeployments(
  tx: Tx,
  ctx: Pick<ProjectSync, "config"> & { project: { path: string } },
  list: readonly DeploymentFacts[],
): Promise<DeploymentRecord[]> {
  const mapped = list.flatMap((d) => mapGlDeployment(ctx.config, ctx.project.path, d) ?? []);
  await upsertDeployments(
    tx,
    mapped.map((m) => m.record),
  );
  const tiers = mapped.flatMap((m) => (m.tier ? [{ name: m.record.environment, tier: m.tier }] : []));
  if (tiers.length) await setEnvironmentTiers(tx, tiers);
  return mapped.map((m) => m.record);
}

/**
 * GitLab's Deployments API, changed since the watermark, oldest change first: the watermark advances with every
 * page, and a deployment still running is read again when it changes. A quiet project costs one request.
 */
export const deploymentsStream: Stream<ProjectSync> = {
  resource: "deployments",
  async *pages(ctx, state) {
    let url = (state.details.next as string | undefined) ?? null;
    let newest = state.cursor;
    const floor = state.cursor ?? iso(ctx.since);
    for (;;) {
      const r = await ctx.client.as("deployments").get<GlDeployment[]>(url ?? `${p(ctx)}/deployments`, {
        query: url ? {} : { updated_after: floor, order_by: "updated_at", sort: "asc", per_page: PER_PAGE },
      });
      const page = (r.data ?? []).filter((d) => after(d.updated_at, state.cursor) || !state.cursor);
      for (const d of page) if (after(d.updated_at, newest)) newest = d.updated_at;
      url = next(r.headers);
      const facts = page.map(glDeploymentFacts);
      if (page.length === 0 && !url && !state.details.next) return; // nothing changed: nothing to commit
      yield {
        items: page.length,
        write: (tx: Tx) => writeGlDeployments(tx, ctx, facts).then(() => {}),
        state: url ? { cursor: newest, details: { next: url } } : { cursor: newest, details: {} },
      };
      if (!url) return;
    }
  },
};

/** Incidents: issues of type incident, or with a configured incident label, changed since the watermark. */
export const issuesStream: Stream<ProjectSync> = {
  resource: "issues",
  async *pages(ctx, state) {
    let url = (state.details.next as string | undefined) ?? null;
    const floor = state.cursor ?? iso(ctx.since);
    if (!url && !after(ctx.probe.newestIssueAt, floor)) return;
    let newest = state.cursor;
    const { labels, serviceLabels } = ctx.config.incidents;
    for (;;) {
      const r = await ctx.client.as("issues").get<GlIssue[]>(url ?? `${p(ctx)}/issues`, {
        query: url
          ? {}
          : { updated_after: floor, order_by: "updated_at", sort: "asc", scope: "all", per_page: PER_PAGE },
      });
      const page = r.data ?? [];
      for (const i of page) if (after(i.updated_at, newest)) newest = i.updated_at;
      const records = page
        .filter((i) => isIncident(i, labels))
        .map((i) => mapGlIssue(ctx.project.path, i, serviceLabels));
      url = next(r.headers);
      yield {
        items: records.length,
        write: (tx: Tx) => upsertIncidents(tx, records).then(() => {}),
        state: url ? { cursor: newest, details: { next: url } } : { cursor: newest, details: {} },
      };
      if (!url) return;
    }
  },
};

/** The streams a project reads, in order (commits before what derive links to them). */
export function projectStreams(ctx: ProjectSync): Stream<ProjectSync>[] {
  const rules = rulesFor(ctx.config, ctx.project.path);
  const streams = [commitsStream, mergeRequestsStream, pipelinesStream, deploymentsStream];
  return [...streams, ...ruleStreams(rules), issuesStream];
}

function ruleStreams(rules: ReturnType<typeof rulesFor>): Stream<ProjectSync>[] {
  return [
    ...(rules.some((r) => r.release) ? [releasesStream] : []),
    ...(rules.some((r) => r.tag || r.tagRegex) ? [tagsStream] : []),
  ];
}
