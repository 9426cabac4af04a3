import type { ThroughlineConfig } from "@/lib/config/schema";
import {
  type DeploymentStatus,
  ENVIRONMENT_TIERS,
  type EnvironmentTier,
  type MergeMethod,
} from "@/lib/domain/vocabulary";
import {
  type GhActor,
  type GhPullRequest,
  mapCommit,
  mapIssue,
  mapPullRequest,
} from "@/lib/ingest/github/map";
import { placeEnvironment, releaseLine } from "@/lib/ingest/github/rules";
import type {
  CiBuildRecord,
  CommitRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
} from "@/lib/ingest/records";
import type { GlCommit, GlIssue } from "./api";
import type { GqlMergeRequest, GqlUser } from "./queries";

/**
 * GitLab → domain records. The sync (REST and GraphQL) and the webhooks adapt their shapes to the small facts
 * types below; the meaning (what is a review, a merge method, a deployment's outcome) is decided once, and where
 * GitHub already decides it (pull requests, commits, incidents, environment rules) GitLab goes through the same
 * functions.
 */

export const SOURCE = "gitlab" as const;

const actor = (u: GqlUser | null | undefined): GhActor => ({
  login: u?.username ?? null,
  isBot: u?.bot ?? false,
});

// ---- commits ----

export function mapGlCommit(c: GlCommit, botPatterns: readonly string[]): CommitRecord {
  return mapCommit(
    {
      sha: c.id.toLowerCase(),
      parents: c.parent_ids.map((p) => p.toLowerCase()),
      authoredAt: c.authored_date,
      committedAt: c.committed_date,
      title: c.title,
      authorName: c.author_name,
      authorEmail: c.author_email,
      authorLogin: null,
    },
    botPatterns,
  );
}

// ---- merge requests ----

/** GitLab records approvals as system notes with this text (and "unapproved this merge request" when withdrawn). */
const APPROVED = /^approved this merge request$/i;
const READY = /^marked this merge request as \*\*ready\*\*$/i;

/**
 * How the merge request landed: squashed (a squash commit), a merge commit, or fast-forwarded (neither: its head
 * is on the target branch as it was).
 */
export function glMergeMethod(mr: GqlMergeRequest): MergeMethod | null {
  if (mr.state !== "merged") return null;
  if (mr.squashCommitSha) return "squash";
  if (mr.mergeCommitSha) return "merge";
  return "rebase";
}

/** The commit that put the merge request on its target branch. */
export function landedSha(mr: GqlMergeRequest): string | null {
  if (mr.state !== "merged") return null;
  return (mr.mergeCommitSha ?? mr.squashCommitSha ?? mr.diffHeadSha)?.toLowerCase() ?? null;
}

export function toGhPullRequest(mr: GqlMergeRequest): GhPullRequest {
  const commits = mr.commits?.nodes ?? [];
  const times = commits.map((c) => c.authoredDate);
  const notes = mr.notes.nodes;
  // Reviews: another person's discussion note (first review activity) or an approval (a system note).
  const reviews = notes
    .filter((n) => !n.system || APPROVED.test(n.body.trim()))
    .map((n) => ({
      state: n.system ? "APPROVED" : "COMMENTED",
      submittedAt: n.createdAt,
      author: actor(n.author),
    }));
  const ready = notes.find((n) => n.system && READY.test(n.body.trim()));
  const state = mr.state === "merged" ? "merged" : mr.state === "opened" ? "open" : "closed";
  return {
    number: Number(mr.iid),
    title: mr.title,
    body: mr.description,
    url: mr.webUrl,
    state,
    isDraft: mr.draft,
    createdAt: mr.createdAt,
    mergedAt: mr.mergedAt,
    closedAt: state === "merged" ? (mr.mergedAt ?? mr.closedAt) : mr.closedAt,
    additions: mr.diffStatsSummary?.additions ?? 0,
    deletions: mr.diffStatsSummary?.deletions ?? 0,
    changedFiles: mr.diffStatsSummary?.fileCount ?? 0,
    baseRef: mr.targetBranch,
    headRef: mr.sourceBranch,
    headSha: mr.diffHeadSha?.toLowerCase() ?? null,
    author: actor(mr.author),
    mergeCommitSha: landedSha(mr),
    mergeCommitParents: null,
    mergeCommitAuthoredAt: null,
    commitCount: mr.commitCount ?? commits.length,
    firstCommitAuthoredAt: times.length
      ? times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a))
      : null,
    lastCommitAuthoredAt: null,
    reviews,
    labels: (mr.labels?.nodes ?? []).map((l) => l.title),
    readyForReviewAt: ready?.createdAt ?? null,
  };
}

export function mapMergeRequest(mr: GqlMergeRequest, botPatterns: readonly string[]): PullRequestRecord {
  return { ...mapPullRequest(toGhPullRequest(mr), botPatterns), mergeMethod: glMergeMethod(mr) };
}

// ---- pipelines ----

/** A pipeline as the sync (GraphQL) and the Pipeline Hook both describe it; status lower-case. */
export interface PipelineFacts {
  id: number;
  sha: string;
  ref: string | null;
  source: string | null;
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  url: string | null;
}

const CONCLUSIONS: Record<string, string> = {
  success: "success",
  failed: "failure",
  canceled: "cancelled",
  skipped: "skipped",
};

export function mapPipeline(p: PipelineFacts): CiBuildRecord {
  const conclusion = CONCLUSIONS[p.status] ?? null;
  return {
    source: SOURCE,
    externalId: `pipeline:${p.id}`,
    workflow: "pipeline",
    branch: p.ref,
    sha: p.sha,
    event: p.source,
    status: conclusion ? "completed" : p.status === "running" ? "in_progress" : "queued",
    conclusion,
    // Queue time is started − created: a pipeline waits for runners between the two.
    queuedAt: p.createdAt,
    startedAt: p.startedAt,
    finishedAt: conclusion ? (p.finishedAt ?? p.startedAt ?? p.createdAt) : null,
    url: p.url,
  };
}

/** `gid://gitlab/Ci::Pipeline/123` → 123. */
export const gidNumber = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));

// ---- deployments ----

/** A deployment as the Deployments API and the Deployment Hook describe it; status lower-case. */
export interface DeploymentFacts {
  id: number;
  environment: string;
  tier: string | null;
  sha: string;
  ref: string | null;
  status: string;
  createdAt: string;
  startedAt: string | null;
  /** When its status last changed (the job's end for a finished one). */
  finishedAt: string | null;
  url: string | null;
  /** Made by a CI job (always, on GitLab, unless recorded through the API). */
  byJob: boolean;
}

const DEPLOYMENT_STATUS: Record<string, DeploymentStatus> = {
  created: "queued",
  blocked: "queued",
  running: "in_progress",
  success: "success",
  failed: "failure",
  canceled: "cancelled",
  skipped: "cancelled",
};

const tierOf = (t: string | null): EnvironmentTier | null =>
  (ENVIRONMENT_TIERS as readonly string[]).includes(t ?? "") ? (t as EnvironmentTier) : null;

/**
 * A GitLab deployment → a record, through the config's environment rules (renamed, tiered, placed or dropped like
 * GitHub's); GitLab's own tier applies when no rule gives one. Null: an ignored environment.
 */
export function mapGlDeployment(
  config: Pick<ThroughlineConfig, "deployments">,
  repository: string,
  d: DeploymentFacts,
): { record: DeploymentRecord; tier: EnvironmentTier | null } | null {
  const place = placeEnvironment(config, repository, d.environment);
  if (!place) return null;
  const status = DEPLOYMENT_STATUS[d.status] ?? "queued";
  const done = status === "success" || status === "failure" || status === "cancelled";
  return {
    tier: place.tier ?? tierOf(d.tier),
    record: {
      repository,
      service: place.service,
      environment: place.environment,
      sha: d.sha,
      ref: d.ref,
      status,
      createdAt: d.createdAt,
      startedAt: d.startedAt ?? d.createdAt,
      finishedAt: done ? (d.finishedAt ?? d.createdAt) : null,
      source: SOURCE,
      externalId: `deployment:${d.id}`,
      url: d.url,
      trigger: d.byJob ? "ci" : "manual",
      line: releaseLine(config, repository, d.ref),
    },
  };
}

// ---- incidents ----

/** An incident: an issue of type incident, or one with a configured incident label. */
export function isIncident(
  issue: Pick<GlIssue, "issue_type" | "labels">,
  labels: readonly string[],
): boolean {
  return issue.issue_type === "incident" || issue.labels.some((l) => labels.includes(l));
}

export function mapGlIssue(
  repository: string,
  issue: Pick<
    GlIssue,
    "iid" | "title" | "description" | "web_url" | "state" | "created_at" | "closed_at" | "labels"
  >,
  serviceLabels: Record<string, string>,
): IncidentRecord {
  return {
    ...mapIssue(
      repository,
      {
        number: issue.iid,
        title: issue.title,
        body: issue.description,
        url: issue.web_url,
        state: issue.state === "closed" ? "closed" : "open",
        createdAt: issue.created_at,
        closedAt: issue.closed_at,
        labels: issue.labels,
      },
      { serviceLabels },
    ),
    source: SOURCE,
  };
}
