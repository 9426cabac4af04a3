/**
 * The fake GitHub's data: plain objects that tests build (builder.ts, demo.ts) and mutate between syncs. The
 * server reads them on every request, so a change is visible to the next request (and changes REST ETags).
 *
 * Times are ISO 8601 strings in any precision; the server answers them the way GitHub does (`…:SSZ`).
 */

/** A GitHub account. `login` as REST spells it: bots end in `[bot]` (GraphQL drops the suffix, as GitHub does). */
export interface Actor {
  login: string;
  bot?: boolean;
  /** REST `id`; derived from the login when omitted. */
  id?: number;
}

/** The name and email git records; `login` is the GitHub account they map to (null: none, like a stray email). */
export interface GitIdentity {
  name: string;
  email: string;
  login: string | null;
}

export interface FakeCommit {
  oid: string;
  /** First parent first, as git stores them. */
  parents: string[];
  authoredDate: string;
  committedDate: string;
  author: GitIdentity;
  /** Omitted → the author. Merges made on github.com are committed by `web-flow`. */
  committer?: GitIdentity;
  message: string;
  /** Paths the commit changes (for a merge commit: against its first parent). Drives `history(path:)`. */
  files: string[];
  additions?: number;
  deletions?: number;
}

export type MergeMethod = "merge" | "squash" | "rebase";
export type ReviewState = "PENDING" | "COMMENTED" | "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED";

export interface FakeReview {
  author: Actor | null;
  state: ReviewState;
  submittedAt: string;
}

export interface FakePullRequest {
  number: number;
  title: string;
  /** GitHub's GraphQL answers "" for an empty body. */
  body: string | null;
  /** null: a deleted account (GitHub shows "ghost"). */
  author: Actor | null;
  state: "OPEN" | "CLOSED" | "MERGED";
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  baseRefName: string;
  headRefName: string;
  /** Omitted → the last of `commits`. */
  headRefOid?: string;
  /** The PR's own commits, oldest first: oids in the repository's `commits` (they stay there after a squash). */
  commits: string[];
  /** The squash commit, the merge commit, or the last rebased commit. */
  mergeCommit: string | null;
  mergeMethod: MergeMethod | null;
  additions: number;
  deletions: number;
  /** Omitted → files.length. */
  changedFiles?: number;
  files: string[];
  labels: string[];
  reviews: FakeReview[];
  /** When a draft was marked ready (GitHub's ReadyForReviewEvent); null when it was opened ready. */
  readyForReviewAt: string | null;
}

export type DeploymentStatusState =
  | "PENDING"
  | "SUCCESS"
  | "FAILURE"
  | "INACTIVE"
  | "ERROR"
  | "QUEUED"
  | "IN_PROGRESS"
  | "WAITING";

export interface FakeDeploymentStatus {
  state: DeploymentStatusState;
  createdAt: string;
  logUrl?: string | null;
  environmentUrl?: string | null;
  description?: string | null;
}

export interface FakeDeployment {
  databaseId: number;
  environment: string;
  sha: string;
  /** Branch or tag deployed; null when deployed by SHA (GitHub then has no ref). */
  ref: string | null;
  task: string;
  createdAt: string;
  /** Omitted → the newest status's time (or createdAt). */
  updatedAt?: string;
  creator: Actor;
  description?: string | null;
  payload?: string;
  /** Defaults as GitHub's: `production` environments only. Non-production ones are auto-inactivated. */
  productionEnvironment?: boolean;
  transientEnvironment?: boolean;
  /** Oldest first (GitHub answers newest first). */
  statuses: FakeDeploymentStatus[];
  /** Omitted → derived from the newest status (SUCCESS → ACTIVE …). */
  state?: string;
}

export type JobConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required"
  | null;
export type JobStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";

export interface FakeJob {
  id: number;
  name: string;
  status: JobStatus;
  conclusion: JobConclusion;
  createdAt: string;
  startedAt: string;
  completedAt: string | null;
}

export interface FakeWorkflowRun {
  id: number;
  /** The workflow's name (REST `name`). */
  name: string;
  /** `.github/workflows/ci.yml` */
  path: string;
  workflowId: number;
  runNumber: number;
  runAttempt: number;
  headBranch: string | null;
  headSha: string;
  event: string;
  status: JobStatus;
  conclusion: JobConclusion;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
  actor: Actor;
  displayTitle: string;
  /** Numbers of open PRs of this repository whose head is the run's head (REST `pull_requests`). */
  pullRequests: number[];
  jobs: FakeJob[];
}

export interface FakeRelease {
  databaseId: number;
  tagName: string;
  name: string | null;
  createdAt: string;
  publishedAt: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  author: Actor;
}

export interface FakeTag {
  name: string;
  /** The commit the tag (eventually) points at. */
  target: string;
  /** Present for an annotated tag: the tag object. */
  annotated?: { oid: string; message: string; tagger: { name: string; email: string; date: string } };
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  author: Actor | null;
  state: "OPEN" | "CLOSED";
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: string[];
}

export interface FakeRepository {
  owner: string;
  name: string;
  databaseId: number;
  defaultBranch: string;
  archived: boolean;
  isPrivate?: boolean;
  createdAt: string;
  /** Branch name → head oid. Must hold the default branch. */
  branches: Record<string, string>;
  /** Every commit object of the repository, reachable from a branch or not (a squashed PR's commits). */
  commits: FakeCommit[];
  pullRequests: FakePullRequest[];
  deployments: FakeDeployment[];
  workflowRuns: FakeWorkflowRun[];
  releases: FakeRelease[];
  tags: FakeTag[];
  issues: FakeIssue[];
}

export interface FakeData {
  repositories: FakeRepository[];
  /** Organisation login → names of its repositories (without the owner). */
  organizations: Record<string, string[]>;
}

export const emptyData = (): FakeData => ({ repositories: [], organizations: {} });

export const fullName = (r: FakeRepository) => `${r.owner}/${r.name}`;

/** GitHub answers timestamps in whole seconds: `2026-03-01T09:00:00Z`. */
export function iso(t: string | number | Date): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(t)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
export const isoOrNull = (t: string | null | undefined) => (t == null ? null : iso(t));
export const ms = (t: string) => Date.parse(t);

export function findRepository(data: FakeData, owner: string, name: string): FakeRepository | undefined {
  // Owner and name are case-insensitive on GitHub.
  const o = owner.toLowerCase();
  const n = name.toLowerCase();
  return data.repositories.find((r) => r.owner.toLowerCase() === o && r.name.toLowerCase() === n);
}

/** A stable positive id for an account, so the same login always has the same REST id. */
export function actorId(a: Actor): number {
  if (a.id !== undefined) return a.id;
  let h = 7;
  for (const c of a.login) h = (h * 31 + c.charCodeAt(0)) % 90_000_000;
  return 1_000_000 + h;
}
export const isBot = (a: Actor) => a.bot ?? a.login.endsWith("[bot]");

/** The newest status first, as GitHub lists them. */
export const latestStatus = (d: FakeDeployment) => d.statuses[d.statuses.length - 1];

/** GraphQL `Deployment.state`, from the newest status unless the data says otherwise. */
export function deploymentState(d: FakeDeployment): string {
  if (d.state) return d.state;
  const s = latestStatus(d)?.state;
  if (!s) return "PENDING";
  return s === "SUCCESS" ? "ACTIVE" : s;
}

const isProduction = (d: FakeDeployment) => d.productionEnvironment ?? d.environment === "production";

/**
 * Adds a status the way GitHub's API does with its default `auto_inactive: true`: a SUCCESS in a non-production,
 * non-transient environment adds an INACTIVE status to the earlier successful deployments of that environment.
 */
export function addDeploymentStatus(repo: FakeRepository, d: FakeDeployment, status: FakeDeploymentStatus) {
  d.statuses.push(status);
  if (status.state !== "SUCCESS" || isProduction(d) || d.transientEnvironment) return;
  const created = ms(d.createdAt);
  for (const other of repo.deployments) {
    // Cheapest tests first: this runs for every status of every deployment (a demo repository has thousands).
    if (other === d || other.environment !== d.environment || latestStatus(other)?.state !== "SUCCESS")
      continue;
    if (ms(other.createdAt) <= created)
      other.statuses.push({
        state: "INACTIVE",
        createdAt: status.createdAt,
        logUrl: null,
        environmentUrl: null,
      });
  }
}
