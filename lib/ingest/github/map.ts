import { isBot } from "@/lib/domain/bots";
import { causedByShaIn } from "@/lib/domain/incidents";
import type { DeploymentStatus, DeploymentTrigger, MergeMethod } from "@/lib/domain/vocabulary";
import type {
  CiBuildRecord,
  CommitRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
} from "@/lib/ingest/records";

/**
 * GitHub → domain records. One mapping per kind of thing: the poller (GraphQL) and the webhooks (REST payloads)
 * each adapt their shape into the normalised `Gh*` types below, and only these functions decide what a GitHub
 * pull request, deployment or run means for the metrics.
 */

export interface GhActor {
  login: string | null;
  isBot: boolean;
}

export interface GhPullRequest {
  number: number;
  title: string;
  body: string | null;
  url: string | null;
  state: "open" | "closed" | "merged";
  isDraft: boolean;
  createdAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRef: string;
  headRef: string;
  headSha: string | null;
  author: GhActor;
  mergeCommitSha: string | null;
  mergeCommitParents: number | null;
  mergeCommitAuthoredAt: string | null;
  commitCount: number;
  firstCommitAuthoredAt: string | null;
  lastCommitAuthoredAt: string | null;
  reviews: { state: string; submittedAt: string | null; author: GhActor }[];
  labels: string[];
  /** When it left draft (null: never a draft, or still one). */
  readyForReviewAt: string | null;
}

export interface GhCommit {
  sha: string;
  parents: string[];
  authoredAt: string;
  committedAt: string;
  title: string;
  authorName: string;
  authorEmail: string;
  authorLogin: string | null;
}

export interface GhDeployment {
  id: number;
  environment: string;
  sha: string;
  ref: string | null;
  /** A monorepo service named in the deployment's payload (`{"service": "api"}`), a common convention. */
  service: string | null;
  createdAt: string;
  creator: GhActor;
  /** Newest first, as GitHub returns them. */
  statuses: { state: string; createdAt: string; url: string | null }[];
}

export interface GhRun {
  id: number;
  workflow: string;
  branch: string | null;
  sha: string;
  event: string;
  status: string;
  conclusion: string | null;
  createdAt: string;
  startedAt: string | null;
  updatedAt: string;
  url: string | null;
}

export interface GhIssue {
  number: number;
  title: string;
  body: string | null;
  url: string | null;
  state: "open" | "closed";
  createdAt: string;
  closedAt: string | null;
  labels: string[];
}

// ---- pull requests ----

/**
 * Which merge method produced the merge commit. GitHub does not say; the commit graph and dates do: two parents is
 * a merge commit; one parent authored when the PR's last commit was authored is a rebase (author dates survive a
 * rebase); otherwise, with several commits, a squash. A single-commit PR is the same change either way.
 */
export function mergeMethod(pr: GhPullRequest): MergeMethod | null {
  if (!pr.mergeCommitSha || pr.state !== "merged") return null;
  if ((pr.mergeCommitParents ?? 1) > 1) return "merge";
  if (pr.commitCount <= 1) return null;
  if (
    pr.mergeCommitAuthoredAt &&
    pr.lastCommitAuthoredAt &&
    pr.mergeCommitAuthoredAt === pr.lastCommitAuthoredAt
  ) {
    return "rebase";
  }
  return "squash";
}

export function mapPullRequest(pr: GhPullRequest, botPatterns: readonly string[] = []): PullRequestRecord {
  const authorIsBot = pr.author.isBot || isBot({ login: pr.author.login }, botPatterns);
  // Reviews by people other than the author: a self-review or a bot's comment is not pickup.
  const reviews = pr.reviews
    .filter(
      (r) => r.submittedAt && r.state !== "PENDING" && !r.author.isBot && r.author.login !== pr.author.login,
    )
    .filter((r) => !isBot({ login: r.author.login }, botPatterns))
    .sort((a, b) => (a.submittedAt as string).localeCompare(b.submittedAt as string));
  const approval = reviews.find((r) => r.state === "APPROVED");
  const readyAt = pr.readyForReviewAt ?? (pr.isDraft ? null : pr.createdAt);
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body,
    url: pr.url,
    authorLogin: pr.author.login,
    isBot: authorIsBot,
    state: pr.state,
    baseBranch: pr.baseRef,
    headBranch: pr.headRef,
    headSha: pr.headSha,
    mergeSha: pr.state === "merged" ? pr.mergeCommitSha : null,
    mergeMethod: mergeMethod(pr),
    createdAt: pr.createdAt,
    readyAt,
    firstCommitAt: pr.firstCommitAuthoredAt,
    firstReviewAt: reviews[0]?.submittedAt ?? null,
    approvedAt: approval?.submittedAt ?? null,
    mergedAt: pr.mergedAt,
    closedAt: pr.closedAt,
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changedFiles,
    commitCount: pr.commitCount,
    labels: pr.labels,
    reviewerLogins: [...new Set(reviews.map((r) => r.author.login).filter((l): l is string => !!l))],
  };
}

// ---- commits ----

export function mapCommit(c: GhCommit, botPatterns: readonly string[] = []): CommitRecord {
  return {
    sha: c.sha,
    parentShas: c.parents,
    authoredAt: c.authoredAt,
    committedAt: c.committedAt,
    authorName: c.authorName,
    authorEmail: c.authorEmail,
    authorLogin: c.authorLogin,
    isBot: isBot({ login: c.authorLogin, email: c.authorEmail, name: c.authorName }, botPatterns),
    title: c.title,
  };
}

// ---- deployments ----

const IN_FLIGHT: Record<string, DeploymentStatus> = {
  PENDING: "queued",
  QUEUED: "queued",
  WAITING: "queued",
  IN_PROGRESS: "in_progress",
};

/**
 * A GitHub deployment's outcome from its statuses. It went live at its first `success` status (GitHub later marks
 * superseded deployments `inactive`: still a success); without one, the newest status decides.
 */
export function deploymentOutcome(d: GhDeployment): {
  status: DeploymentStatus;
  finishedAt: string | null;
  url: string | null;
} {
  const oldestFirst = [...d.statuses].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const live = oldestFirst.find((s) => s.state.toUpperCase() === "SUCCESS");
  if (live) return { status: "success", finishedAt: live.createdAt, url: live.url };
  const latest = oldestFirst.at(-1);
  if (!latest) return { status: "queued", finishedAt: null, url: null };
  const state = latest.state.toUpperCase();
  if (state === "FAILURE") return { status: "failure", finishedAt: latest.createdAt, url: latest.url };
  if (state === "ERROR") return { status: "error", finishedAt: latest.createdAt, url: latest.url };
  if (state === "INACTIVE") return { status: "cancelled", finishedAt: latest.createdAt, url: latest.url };
  return { status: IN_FLIGHT[state] ?? "queued", finishedAt: null, url: latest.url };
}

/** Made by CI (a GitHub App such as Actions, a bot account) or by a person. */
export function triggerOf(creator: GhActor, botPatterns: readonly string[] = []): DeploymentTrigger {
  if (!creator.login) return "unknown";
  return creator.isBot || isBot({ login: creator.login }, botPatterns) ? "ci" : "manual";
}

export interface Placement {
  environment: string;
  service: string | null;
}

export function mapDeployment(
  repository: string,
  d: GhDeployment,
  place: Placement,
  botPatterns: readonly string[] = [],
): DeploymentRecord {
  const outcome = deploymentOutcome(d);
  return {
    repository,
    service: place.service,
    environment: place.environment,
    sha: d.sha,
    ref: d.ref,
    status: outcome.status,
    createdAt: d.createdAt,
    startedAt: d.createdAt,
    finishedAt: outcome.finishedAt,
    source: "github",
    externalId: `deployment:${d.id}`,
    url: outcome.url,
    trigger: triggerOf(d.creator, botPatterns),
  };
}

// ---- CI runs ----

export function mapRun(r: GhRun): CiBuildRecord {
  return {
    source: "github",
    externalId: `run:${r.id}`,
    workflow: r.workflow,
    branch: r.branch,
    sha: r.sha,
    event: r.event,
    status: r.status,
    conclusion: r.conclusion,
    startedAt: r.startedAt ?? r.createdAt,
    finishedAt: r.status === "completed" ? r.updatedAt : null,
    url: r.url,
  };
}

/** A run that a deployment rule says deploys: its outcome as a deployment. */
export function runAsDeployment(repository: string, r: GhRun, place: Placement): DeploymentRecord {
  const done = r.status === "completed";
  const status: DeploymentStatus = !done
    ? r.status === "in_progress"
      ? "in_progress"
      : "queued"
    : r.conclusion === "success"
      ? "success"
      : r.conclusion === "cancelled" || r.conclusion === "skipped"
        ? "cancelled"
        : "failure";
  return {
    repository,
    service: place.service,
    environment: place.environment,
    sha: r.sha,
    ref: r.branch,
    status,
    createdAt: r.createdAt,
    startedAt: r.startedAt ?? r.createdAt,
    finishedAt: done ? r.updatedAt : null,
    source: "github",
    externalId: `run:${r.id}`,
    url: r.url,
    // A person pressing "Run workflow" still deploys through CI, but chose when: count it as manual.
    trigger: r.event === "workflow_dispatch" ? "manual" : "ci",
  };
}

// ---- incidents ----

const SEVERITY = /^(sev[-\s]?\d|p\d|severity[:/ -]?\w+)$/i;

export function mapIssue(
  repository: string,
  issue: GhIssue,
  options: { serviceLabels?: Record<string, string> } = {},
): IncidentRecord {
  const service = issue.labels.map((l) => options.serviceLabels?.[l]).find(Boolean) ?? null;
  return {
    source: "github",
    externalId: `${repository}#${issue.number}`,
    title: issue.title,
    url: issue.url,
    repository,
    service,
    severity: issue.labels.find((l) => SEVERITY.test(l)) ?? null,
    openedAt: issue.createdAt,
    resolvedAt: issue.state === "closed" ? issue.closedAt : null,
    causedBySha: causedByShaIn(issue.body),
  };
}

// ---- GraphQL adapters (the poller's shape) ----

type Actor = { login: string; __typename: string } | null;
const actor = (a: Actor): GhActor => ({ login: a?.login ?? null, isBot: a?.__typename === "Bot" });

export interface GqlPullRequest {
  number: number;
  title: string;
  body: string | null;
  url: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRefName: string;
  headRefName: string;
  headRefOid: string | null;
  author: Actor;
  mergeCommit: { oid: string; authoredDate: string; parents: { totalCount: number } } | null;
  commits: {
    totalCount: number;
    pageInfo?: { hasNextPage: boolean; endCursor: string | null };
    nodes: { commit: { authoredDate: string } }[];
  };
  lastCommit: { nodes: { commit: { oid: string; authoredDate: string } }[] };
  reviews: { nodes: { state: string; submittedAt: string | null; author: Actor }[] };
  labels: { nodes: { name: string }[] };
  timelineItems: { nodes: ({ createdAt?: string } | null)[] };
  files?: { nodes: { path: string }[] } | null;
}

export function fromGqlPullRequest(n: GqlPullRequest): GhPullRequest {
  return {
    number: n.number,
    title: n.title,
    body: n.body,
    url: n.url,
    state: n.state === "MERGED" ? "merged" : n.state === "CLOSED" ? "closed" : "open",
    isDraft: n.isDraft,
    createdAt: n.createdAt,
    mergedAt: n.mergedAt,
    closedAt: n.closedAt,
    additions: n.additions,
    deletions: n.deletions,
    changedFiles: n.changedFiles,
    baseRef: n.baseRefName,
    headRef: n.headRefName,
    headSha: n.headRefOid?.toLowerCase() ?? null,
    author: actor(n.author),
    mergeCommitSha: n.mergeCommit?.oid.toLowerCase() ?? null,
    mergeCommitParents: n.mergeCommit?.parents.totalCount ?? null,
    mergeCommitAuthoredAt: n.mergeCommit?.authoredDate ?? null,
    commitCount: n.commits.totalCount,
    firstCommitAuthoredAt: earliest(n.commits.nodes.map((c) => c.commit.authoredDate)),
    lastCommitAuthoredAt: n.lastCommit.nodes[0]?.commit.authoredDate ?? null,
    reviews: n.reviews.nodes.map((r) => ({
      state: r.state,
      submittedAt: r.submittedAt,
      author: actor(r.author),
    })),
    labels: n.labels.nodes.map((l) => l.name),
    readyForReviewAt: n.timelineItems.nodes.find((t) => t?.createdAt)?.createdAt ?? null,
  };
}

/** The earliest of ISO 8601 instants (compared as instants: offsets may differ), or null. */
export function earliest(times: readonly string[]): string | null {
  let best: string | null = null;
  for (const t of times) if (best === null || Date.parse(t) < Date.parse(best)) best = t;
  return best;
}

export interface GqlCommit {
  oid: string;
  authoredDate: string;
  committedDate: string;
  messageHeadline: string;
  parents: { nodes: { oid: string }[] };
  author: { name: string | null; email: string | null; user: { login: string } | null } | null;
}

export function fromGqlCommit(n: GqlCommit): GhCommit {
  return {
    sha: n.oid.toLowerCase(),
    parents: n.parents.nodes.map((p) => p.oid.toLowerCase()),
    authoredAt: n.authoredDate,
    committedAt: n.committedDate,
    title: n.messageHeadline,
    authorName: n.author?.name ?? "",
    authorEmail: n.author?.email ?? "",
    authorLogin: n.author?.user?.login ?? null,
  };
}

export interface GqlDeployment {
  id: string;
  databaseId: number;
  environment: string | null;
  commitOid: string;
  ref: { name: string } | null;
  payload: string | null;
  createdAt: string;
  creator: Actor;
  statuses: {
    nodes: { state: string; createdAt: string; logUrl: string | null; environmentUrl: string | null }[];
  };
}

/** `payload` is whatever JSON the deployer sent; only a string `service` key means anything to us. */
export function payloadService(payload: string | null | undefined): string | null {
  if (!payload) return null;
  try {
    const value = (JSON.parse(payload) as { service?: unknown } | null)?.service;
    return typeof value === "string" && value.trim() ? value.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

export function fromGqlDeployment(n: GqlDeployment): GhDeployment {
  return {
    id: n.databaseId,
    environment: n.environment ?? "production",
    sha: n.commitOid.toLowerCase(),
    ref: n.ref?.name ?? null,
    service: payloadService(n.payload),
    createdAt: n.createdAt,
    creator: actor(n.creator),
    statuses: n.statuses.nodes.map((s) => ({
      state: s.state,
      createdAt: s.createdAt,
      url: s.logUrl ?? s.environmentUrl,
    })),
  };
}

export interface GqlIssue {
  number: number;
  title: string;
  body: string | null;
  url: string;
  state: "OPEN" | "CLOSED";
  createdAt: string;
  closedAt: string | null;
  labels: { nodes: { name: string }[] };
}

export function fromGqlIssue(n: GqlIssue): GhIssue {
  return {
    number: n.number,
    title: n.title,
    body: n.body,
    url: n.url,
    state: n.state === "CLOSED" ? "closed" : "open",
    createdAt: n.createdAt,
    closedAt: n.closedAt,
    labels: n.labels.nodes.map((l) => l.name),
  };
}

/** The REST shape of a workflow run (list runs endpoint and workflow_run webhooks). */
export interface RestRun {
  id: number;
  name?: string | null;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  run_started_at?: string | null;
  updated_at: string;
  html_url: string;
}

export function fromRestRun(r: RestRun): GhRun {
  return {
    id: r.id,
    workflow: r.name || "workflow",
    branch: r.head_branch,
    sha: r.head_sha.toLowerCase(),
    event: r.event,
    status: r.status ?? "queued",
    conclusion: r.conclusion,
    createdAt: r.created_at,
    startedAt: r.run_started_at ?? null,
    updatedAt: r.updated_at,
    url: r.html_url,
  };
}
