import { buildSchema, type GraphQLSchema, graphql } from "graphql";
import type { FakeJob, FakeMergeRequest, FakePipeline, FakeProject, GitLabModel } from "./model";

/**
 * `POST /api/graphql` for the part of GitLab's schema a sync reads, with GitLab's type, field, argument and enum
 * names (doc/api/graphql/reference): `project(fullPath:)` (null when missing or invisible, as GitLab answers),
 * cursor connections with `pageInfo`, `mergeRequests(updatedAfter:, sort:)`, `pipelines(updatedAfter:)` (newest
 * first), `issues(sort:)`, `releases(sort:)`, merge requests' `commits`, `notes` and `diffStatsSummary`,
 * `mergeRequest(iid:)`, and pipelines' `jobs` (`CiJob`: `stage`, `queuedDuration`, `duration`, `webPath`).
 */

const SDL = `
scalar Time
type Query { project(fullPath: ID!): Project }
enum MergeRequestSort { UPDATED_ASC UPDATED_DESC CREATED_ASC CREATED_DESC }
enum IssueSort { UPDATED_ASC UPDATED_DESC CREATED_ASC CREATED_DESC }
enum ReleaseSort { RELEASED_AT_ASC RELEASED_AT_DESC CREATED_ASC CREATED_DESC }
enum PipelineStatusEnum { CREATED WAITING_FOR_RESOURCE PREPARING PENDING RUNNING FAILED SUCCESS CANCELED SKIPPED MANUAL SCHEDULED }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Project {
  id: ID!
  fullPath: ID!
  webUrl: String
  archived: Boolean
  repository: Repository
  mergeRequests(sort: MergeRequestSort, first: Int, after: String, updatedAfter: Time, updatedBefore: Time): MergeRequestConnection
  issues(sort: IssueSort, first: Int, after: String, updatedAfter: Time): IssueConnection
  releases(sort: ReleaseSort, first: Int, after: String): ReleaseConnection
  pipelines(first: Int, after: String, updatedAfter: Time, updatedBefore: Time, ref: String): PipelineConnection
  mergeRequest(iid: String!): MergeRequest
}
type Repository { rootRef: String tree(ref: String): Tree }
type Tree { lastCommit: Commit }
type Commit { sha: String! authoredDate: Time title: String }
type CommitConnection { count: Int! pageInfo: PageInfo! nodes: [Commit] }
type UserCore { username: String! name: String! bot: Boolean! }
type Label { title: String! }
type LabelConnection { nodes: [Label] }
type Note { createdAt: Time! system: Boolean! body: String! author: UserCore }
type NoteConnection { pageInfo: PageInfo! nodes: [Note] }
type DiffStatsSummary { additions: Int! deletions: Int! changes: Int! fileCount: Int! }
type MergeRequest {
  iid: String! title: String! description: String webUrl: String state: String! draft: Boolean!
  createdAt: Time! updatedAt: Time! mergedAt: Time closedAt: Time
  sourceBranch: String! targetBranch: String! diffHeadSha: String mergeCommitSha: String squashCommitSha: String
  squash: Boolean! commitCount: Int diffStatsSummary: DiffStatsSummary author: UserCore labels: LabelConnection
  commits(first: Int, after: String): CommitConnection
  notes(first: Int, after: String): NoteConnection!
}
type MergeRequestConnection { count: Int! pageInfo: PageInfo! nodes: [MergeRequest] }
type Issue { iid: String! title: String! updatedAt: Time! }
type IssueConnection { count: Int! pageInfo: PageInfo! nodes: [Issue] }
type Release { tagName: String releasedAt: Time }
type ReleaseConnection { pageInfo: PageInfo! nodes: [Release] }
scalar Duration
scalar JobID
enum CiJobStatus { CREATED WAITING_FOR_RESOURCE PREPARING WAITING_FOR_CALLBACK PENDING RUNNING FAILED SUCCESS CANCELED CANCELING SKIPPED MANUAL SCHEDULED }
type CiStage { id: ID! name: String }
type CiJob {
  id: JobID name: String status: CiJobStatus stage: CiStage
  createdAt: Time! queuedAt: Time startedAt: Time finishedAt: Time
  queuedDuration: Duration duration: Int webPath: String retried: Boolean allowFailure: Boolean!
}
type CiJobConnection { count: Int! pageInfo: PageInfo! nodes: [CiJob] }
type Pipeline {
  id: ID! iid: String! sha: String ref: String source: String status: PipelineStatusEnum!
  createdAt: Time! updatedAt: Time! startedAt: Time finishedAt: Time path: String
  jobs(first: Int, after: String, retried: Boolean): CiJobConnection
}
type PipelineConnection { count: Int! pageInfo: PageInfo! nodes: [Pipeline] }
`;

let schema: GraphQLSchema | undefined;

/** GitLab's cursors are opaque base64 JSON; ours encode the offset. */
function connection<T, N>(
  items: T[],
  args: { first?: number | null; after?: string | null },
  node: (t: T) => N,
) {
  const start = args.after ? Number(JSON.parse(Buffer.from(args.after, "base64").toString()).offset) : 0;
  const first = Math.min(args.first ?? 100, 100);
  const slice = items.slice(start, start + first);
  const cursor = (i: number) => Buffer.from(JSON.stringify({ offset: i })).toString("base64");
  return {
    count: items.length,
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursor(start) : null,
      endCursor: slice.length ? cursor(start + slice.length) : null,
    },
    nodes: slice.map(node),
  };
}

const t = (s: string) => Date.parse(s);
const desc =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    t(key(b)) - t(key(a));
const asc =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    t(key(a)) - t(key(b));

function mergeRequest(base: string, p: FakeProject, m: FakeMergeRequest) {
  return {
    ...m,
    iid: String(m.iid),
    description: m.description ?? null,
    webUrl: `${base}/${p.path}/-/merge_requests/${m.iid}`,
    draft: m.draft ?? false,
    mergedAt: m.mergedAt ?? null,
    closedAt: m.closedAt ?? null,
    targetBranch: m.targetBranch ?? p.defaultBranch,
    mergeCommitSha: m.mergeCommitSha ?? null,
    squashCommitSha: m.squashCommitSha ?? null,
    squash: m.squash ?? false,
    commitCount: m.commits.length,
    diffStatsSummary: { ...(m.diff ?? { additions: 10, deletions: 2, fileCount: 1 }), changes: 12 },
    author: { name: m.author.username, bot: false, ...m.author },
    labels: { nodes: (m.labels ?? []).map((title) => ({ title })) },
    commits: (args: { first?: number; after?: string }) =>
      connection(m.commits, args, (c) => ({ sha: c.sha, authoredDate: c.authoredDate, title: "" })),
    notes: (args: { first?: number; after?: string }) =>
      connection(m.notes ?? [], args, (n) => ({
        ...n,
        author: { name: n.author.username, bot: false, ...n.author },
      })),
  };
}

export function fakeJobs(p: FakeProject, pipelineId: number) {
  return p.jobs.filter((j) => j.pipelineId === pipelineId).sort((a, b) => a.id - b.id);
}

/** GitLab's queued_duration: seconds pending; our fake jobs say it, else 0 once started. */
export const queuedDuration = (j: FakeJob) => j.queued_duration ?? (j.started_at ? 0 : null);
export const jobDuration = (j: FakeJob) =>
  j.started_at && j.finished_at ? Math.round((t(j.finished_at) - t(j.started_at)) / 1000) : null;

function job(p: FakeProject, j: FakeJob) {
  return {
    id: `gid://gitlab/Ci::Build/${j.id}`,
    name: j.name,
    status: j.status.toUpperCase(),
    stage: { id: `gid://gitlab/Ci::Stage/${j.pipelineId}-${j.stage ?? "test"}`, name: j.stage ?? "test" },
    createdAt: j.created_at,
    queuedAt: null,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    queuedDuration: queuedDuration(j),
    duration: jobDuration(j),
    webPath: `/${p.path}/-/jobs/${j.id}`,
    retried: false,
    allowFailure: false,
  };
}

function pipeline(p: FakeProject, x: FakePipeline) {
  return {
    ...x,
    jobs: (args: { first?: number; after?: string }) => connection(fakeJobs(p, x.id), args, (j) => job(p, j)),
    id: `gid://gitlab/Ci::Pipeline/${x.id}`,
    iid: String(x.iid),
    status: x.status.toUpperCase(),
    source: x.source,
    startedAt: x.startedAt ?? null,
    finishedAt: x.finishedAt ?? null,
    path: `/${p.path}/-/pipelines/${x.id}`,
  };
}

function project(base: string, p: FakeProject) {
  const after = (since: string | null | undefined, at: string, inclusive: boolean) =>
    !since || (inclusive ? t(at) >= t(since) : t(at) > t(since));
  return {
    id: `gid://gitlab/Project/${p.id}`,
    fullPath: p.path,
    webUrl: `${base}/${p.path}`,
    archived: p.archived ?? false,
    repository: {
      rootRef: p.defaultBranch,
      tree: () => ({
        lastCommit: p.commits[0] ? { sha: p.commits[0].id, authoredDate: p.commits[0].authored_date } : null,
      }),
    },
    mergeRequests: (a: { sort?: string; first?: number; after?: string; updatedAfter?: string }) => {
      const list = p.mergeRequests
        .filter((m) => after(a.updatedAfter, m.updatedAt, true))
        .sort(
          a.sort === "UPDATED_ASC"
            ? asc((m) => m.updatedAt)
            : a.sort === "UPDATED_DESC"
              ? desc((m) => m.updatedAt)
              : desc((m) => m.createdAt),
        );
      return connection(list, a, (m) => mergeRequest(base, p, m));
    },
    issues: (a: { sort?: string; first?: number; after?: string; updatedAfter?: string }) => {
      const list = p.issues
        .filter((i) => after(a.updatedAfter, i.updated_at, true))
        .sort(a.sort === "UPDATED_ASC" ? asc((i) => i.updated_at) : desc((i) => i.updated_at));
      return connection(list, a, (i) => ({ iid: String(i.iid), title: i.title, updatedAt: i.updated_at }));
    },
    releases: (a: { sort?: string; first?: number; after?: string }) =>
      connection([...p.releases].sort(desc((r) => r.released_at)), a, (r) => ({
        tagName: r.tag_name,
        releasedAt: r.released_at,
      })),
    mergeRequest: ({ iid }: { iid: string }) => {
      const m = p.mergeRequests.find((x) => String(x.iid) === iid);
      return m ? mergeRequest(base, p, m) : null;
    },
    pipelines: (a: { first?: number; after?: string; updatedAfter?: string }) => {
      const list = p.pipelines
        .filter((x) => after(a.updatedAfter, x.updatedAt, false))
        .sort((x, y) => y.id - x.id);
      return connection(list, a, (x) => pipeline(p, x));
    },
  };
}

export async function answerGraphQL(model: GitLabModel, base: string, body: string) {
  schema ??= buildSchema(SDL);
  let parsed: { query?: string; variables?: Record<string, unknown> };
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, body: { errors: [{ message: "Invalid JSON" }] } };
  }
  const result = await graphql({
    schema,
    source: parsed.query ?? "",
    variableValues: parsed.variables ?? {},
    rootValue: {
      project: ({ fullPath }: { fullPath: string }) => {
        const p = model.project(fullPath);
        return p ? project(base, p) : null;
      },
    },
  });
  return { status: 200, body: JSON.parse(JSON.stringify(result)) };
}
