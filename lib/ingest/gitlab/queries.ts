/**
 * The GitLab GraphQL queries of a sync (field names as in GitLab's published schema, `doc/api/graphql/reference`).
 * Each one replaces many REST requests: a page of 50 merge requests carries their commits' author times and their
 * notes (reviews, approvals), where REST needs three requests per merge request.
 */

/**
 * What changed in a project since the last sync, in one request: the default branch's head, the newest change to
 * a merge request, an issue and a release, and whether any pipeline changed after the watermark.
 */
export const PROBE = `query Probe($path: ID!, $pipelinesAfter: Time) {
  project(fullPath: $path) {
    fullPath
    webUrl
    archived
    repository { rootRef tree { lastCommit { sha } } }
    mergeRequests(sort: UPDATED_DESC, first: 1) { nodes { updatedAt } }
    issues(sort: UPDATED_DESC, first: 1) { nodes { updatedAt } }
    releases(sort: RELEASED_AT_DESC, first: 1) { nodes { tagName releasedAt } }
    pipelines(updatedAfter: $pipelinesAfter, first: 20) { nodes { updatedAt } }
  }
}`;

export interface ProbeResult {
  project: {
    fullPath: string;
    webUrl: string;
    archived: boolean;
    repository: { rootRef: string | null; tree: { lastCommit: { sha: string } | null } | null } | null;
    mergeRequests: { nodes: { updatedAt: string }[] };
    issues: { nodes: { updatedAt: string }[] };
    releases: { nodes: { tagName: string; releasedAt: string | null }[] };
    pipelines: { nodes: { updatedAt: string }[] };
  } | null;
}

export const MR_PAGE = 50;

/** Merge requests changed since the watermark, oldest change first, with what the metrics need of each. */
export const MERGE_REQUESTS = `query MergeRequests($path: ID!, $updatedAfter: Time, $after: String) {
  project(fullPath: $path) {
    mergeRequests(updatedAfter: $updatedAfter, sort: UPDATED_ASC, first: ${MR_PAGE}, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        iid title description webUrl state draft
        createdAt updatedAt mergedAt closedAt
        sourceBranch targetBranch diffHeadSha mergeCommitSha squashCommitSha squash commitCount
        diffStatsSummary { additions deletions fileCount }
        author { username bot }
        labels { nodes { title } }
        commits(first: 100) { pageInfo { hasNextPage endCursor } nodes { sha authoredDate } }
        notes(first: 100) { nodes { createdAt system body author { username bot } } }
      }
    }
  }
}`;

export interface GqlUser {
  username: string;
  bot: boolean;
}

export interface GqlMergeRequest {
  iid: string;
  title: string;
  description: string | null;
  webUrl: string;
  /** opened, closed, locked, merged */
  state: string;
  draft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  sourceBranch: string;
  targetBranch: string;
  diffHeadSha: string | null;
  mergeCommitSha: string | null;
  squashCommitSha: string | null;
  squash: boolean;
  commitCount: number | null;
  diffStatsSummary: { additions: number; deletions: number; fileCount: number } | null;
  author: GqlUser | null;
  labels: { nodes: { title: string }[] } | null;
  commits: {
    pageInfo?: { hasNextPage: boolean; endCursor: string | null };
    nodes: { sha: string; authoredDate: string }[];
  } | null;
  notes: { nodes: { createdAt: string; system: boolean; body: string; author: GqlUser | null }[] };
}

export interface MergeRequestsResult {
  project: {
    mergeRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: GqlMergeRequest[];
    };
  } | null;
}

/** Pipelines a request, each with up to JOB_PAGE jobs: sized to GitLab's query complexity limit (ADR 0019). */
export const PIPELINE_PAGE = 50;
export const JOB_PAGE = 50;

/**
 * Pipelines changed since the watermark (newest first, as GitLab lists them), with their timings and their jobs
 * (retries included): a pipeline's jobs cost nothing more unless it has more than JOB_PAGE of them.
 */
export const PIPELINES = `query Pipelines($path: ID!, $updatedAfter: Time, $after: String) {
  project(fullPath: $path) {
    pipelines(updatedAfter: $updatedAfter, first: ${PIPELINE_PAGE}, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id iid sha ref source status
        createdAt updatedAt startedAt finishedAt
        path
        jobs(first: ${JOB_PAGE}) {
          pageInfo { hasNextPage }
          nodes {
            id name status createdAt startedAt finishedAt queuedDuration duration webPath
            stage { name }
          }
        }
      }
    }
  }
}`;

export interface GqlJob {
  /** gid://gitlab/Ci::Build/123 */
  id: string;
  name: string;
  /** CREATED, PENDING, RUNNING, SUCCESS, FAILED, CANCELED, SKIPPED, MANUAL, SCHEDULED, … */
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds (GitLab's Duration scalar, a float). */
  queuedDuration: number | null;
  duration: number | null;
  webPath: string | null;
  stage: { name: string } | null;
}

export interface GqlPipeline {
  /** gid://gitlab/Ci::Pipeline/123 */
  id: string;
  iid: string;
  sha: string;
  ref: string | null;
  source: string | null;
  /** CREATED, PENDING, RUNNING, SUCCESS, FAILED, CANCELED, SKIPPED, MANUAL, … */
  status: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  path: string | null;
  jobs: { pageInfo: { hasNextPage: boolean }; nodes: GqlJob[] } | null;
}

export interface PipelinesResult {
  project: {
    pipelines: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlPipeline[] };
  } | null;
}

/** The next commits of one merge request with more than a page of them (its first-commit time is the earliest). */
export const MR_COMMITS = `query MergeRequestCommits($path: ID!, $iid: String!, $after: String) {
  project(fullPath: $path) {
    mergeRequest(iid: $iid) {
      commits(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { sha authoredDate } }
    }
  }
}`;

export interface MrCommitsResult {
  project: {
    mergeRequest: {
      commits: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: { sha: string; authoredDate: string }[];
      } | null;
    } | null;
  } | null;
}
