/**
 * Every GraphQL document the GitHub ingest sends. Validated against GitHub's published schema in the tests
 * (test/integration/github-schema.test.ts), and served by the fake GitHub in test/fakes/github.
 *
 * Budgeting: a page of 50 pull requests with the author times of their commits, reviews, labels, the
 * ready-for-review event and (for path-mapped repositories) files costs one request; pages are sized so that a
 * query stays far below GitHub's 500,000-node limit and costs a point or two. GitHub's cost counts connections,
 * not nodes, so 100 commits per PR cost what 1 did; only PRs with more than 100 commits need a follow-up
 * (PR_COMMITS, at most two more requests: GitHub lists at most 250).
 */

/** Cost and remaining budget, selected by every query. */
const RATE = `rateLimit { cost remaining resetAt }`;

export const REPOSITORY_FIELDS = `
  id
  nameWithOwner
  url
  isArchived
  defaultBranchRef { name target { oid } }
`;

/** Repositories of an organisation, 100 per page. */
export const ORG_REPOSITORIES = `
query OrgRepositories($org: String!, $after: String) {
  ${RATE}
  organization(login: $org) {
    repositories(first: 100, after: $after, orderBy: { field: NAME, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${REPOSITORY_FIELDS} }
    }
  }
}`;

/**
 * The probe: for one repository, the newest of everything we sync. An incremental run asks this first (batched
 * for several repositories with aliases) and skips every resource whose newest item it already has.
 */
export function probeQuery(aliases: number): string {
  const parts = Array.from(
    { length: aliases },
    (_, i) => `
  r${i}: repository(owner: $o${i}, name: $n${i}) {
    ${REPOSITORY_FIELDS}
    pullRequests(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }
    deployments(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { id createdAt } }
    issues(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } }
    releases(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { tagName createdAt } }
  }`,
  ).join("");
  const vars = Array.from({ length: aliases }, (_, i) => `$o${i}: String!, $n${i}: String!`).join(", ");
  return `query Probe(${vars}) {\n  ${RATE}${parts}\n}`;
}

const PR_FIELDS = `
  number
  title
  body
  url
  state
  isDraft
  createdAt
  updatedAt
  mergedAt
  closedAt
  additions
  deletions
  changedFiles
  baseRefName
  headRefName
  headRefOid
  author { login __typename }
  mergeCommit { oid authoredDate parents(first: 2) { totalCount } }
  commits(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { commit { authoredDate } } }
  lastCommit: commits(last: 1) { nodes { commit { oid authoredDate } } }
  reviews(first: 30) { nodes { state submittedAt author { login __typename } } }
  labels(first: 20) { nodes { name } }
  timelineItems(itemTypes: [READY_FOR_REVIEW_EVENT], first: 1) { nodes { ... on ReadyForReviewEvent { createdAt } } }
`;

/** Pull requests, most recently updated first; files only where the repository is split into services. */
export const PULL_REQUESTS = `
query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String, $withFiles: Boolean!) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ${PR_FIELDS}
        files(first: 100) @include(if: $withFiles) { nodes { path } }
      }
    }
  }
}`;

/**
 * The rest of a pull request's commits, for PRs with more than 100. Its first commit is the earliest authored one,
 * not the first listed: GitHub lists a PR's commits in graph order, and a rebase can reorder author times.
 */
export const PR_COMMITS = `
query PullRequestCommits($owner: String!, $name: String!, $number: Int!, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      commits(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { commit { authoredDate } } }
    }
  }
}`;

const COMMIT_FIELDS = `
  oid
  authoredDate
  committedDate
  messageHeadline
  parents(first: 5) { nodes { oid } }
  author { name email user { login } }
`;

/** Commits reachable from a ref or a commit, newest first (git log order). */
export const HISTORY = `
query History($owner: String!, $name: String!, $expression: String!, $first: Int!, $after: String, $since: GitTimestamp) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    object(expression: $expression) {
      ... on Commit {
        history(first: $first, after: $after, since: $since) {
          pageInfo { hasNextPage endCursor }
          nodes { ${COMMIT_FIELDS} }
        }
      }
    }
  }
}`;

/** Which commits touched a path (a monorepo service's prefix): oids only. */
export const PATH_HISTORY = `
query PathHistory($owner: String!, $name: String!, $expression: String!, $path: String!, $after: String, $since: GitTimestamp) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    object(expression: $expression) {
      ... on Commit {
        history(first: 100, after: $after, path: $path, since: $since) {
          pageInfo { hasNextPage endCursor }
          nodes { oid }
        }
      }
    }
  }
}`;

const DEPLOYMENT_FIELDS = `
  id
  databaseId
  environment
  commitOid
  ref { name }
  task
  payload
  createdAt
  updatedAt
  state
  creator { login __typename }
  statuses(first: 20) { nodes { state createdAt logUrl environmentUrl } }
`;

/** Deployments (GitHub's Deployments API), newest first. */
export const DEPLOYMENTS = `
query Deployments($owner: String!, $name: String!, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    deployments(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${DEPLOYMENT_FIELDS} }
    }
  }
}`;

/** Re-reads deployments that were still in progress at the last sync. */
export const DEPLOYMENT_NODES = `
query DeploymentNodes($ids: [ID!]!) {
  ${RATE}
  nodes(ids: $ids) { ... on Deployment { ${DEPLOYMENT_FIELDS} } }
}`;

/** Issues carrying any of the incident labels, changed since a time. */
export const ISSUES = `
query Issues($owner: String!, $name: String!, $labels: [String!], $since: DateTime, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, filterBy: { labels: $labels, since: $since }, orderBy: { field: UPDATED_AT, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        title
        body
        url
        state
        createdAt
        updatedAt
        closedAt
        labels(first: 20) { nodes { name } }
      }
    }
  }
}`;

/** Releases, newest first, with the commit each tag points at. */
export const RELEASES = `
query Releases($owner: String!, $name: String!, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    releases(first: 100, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        tagName
        createdAt
        publishedAt
        isDraft
        isPrerelease
        url
        author { login __typename }
        tagCommit { oid }
      }
    }
  }
}`;

/** Tags, newest first, with their commit and (annotated tags) tagger date. */
export const TAGS = `
query Tags($owner: String!, $name: String!, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    refs(refPrefix: "refs/tags/", first: 100, after: $after, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        name
        target {
          __typename
          ... on Commit { oid committedDate }
          ... on Tag { tagger { date } target { ... on Commit { oid committedDate } } }
        }
      }
    }
  }
}`;
