import { z } from "zod";
import {
  DEPLOYMENT_KINDS,
  DEPLOYMENT_STATUSES,
  DEPLOYMENT_TRIGGERS,
  MERGE_METHODS,
  PR_STATES,
  PROVIDERS,
  SOURCES,
} from "@/lib/domain/vocabulary";

/**
 * Source-agnostic domain records: what every source (GitHub poller, webhooks, push API, git clones, demo data)
 * hands to the store (lib/ingest/store.ts). Validated here, once, whatever the source.
 */

const instant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), "must be a valid date-time");
const sha = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{4,64}$/, "must be a hexadecimal commit SHA");
const repoName = z
  .string()
  .trim()
  // GitLab projects keep their groups: group/subgroup/project.
  .regex(/^[^/\s]+(\/[^/\s]+)+$/, "must be owner/name (or group/subgroup/project)");
const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "must be lower-case letters, digits and . _ - separators");
const text = (max: number) => z.string().transform((s) => (s.length > max ? `${s.slice(0, max - 1)}…` : s));

export const SourceSchema = z.enum(SOURCES);

export const RepositoryRecord = z.object({
  fullName: repoName,
  // Omitted fields keep what the repository has (a config file names repositories without knowing their branch).
  provider: z.enum(PROVIDERS).optional(),
  url: z.url().nullish(),
  defaultBranch: z.string().min(1).optional(),
  /** Owning team by slug; omitted → keep the current owner. */
  teamSlug: slug.nullish(),
  archived: z.boolean().optional(),
  source: SourceSchema,
});
export type RepositoryRecord = z.input<typeof RepositoryRecord>;

export const ServiceRecord = z.object({
  repository: repoName,
  name: slug,
  pathPrefixes: z.array(z.string().min(1)).min(1, "a service needs at least one path prefix"),
  teamSlug: slug.nullish(),
});
export type ServiceRecord = z.input<typeof ServiceRecord>;

export const CommitRecord = z.object({
  sha,
  parentShas: z.array(sha),
  authoredAt: instant,
  committedAt: instant,
  authorName: text(200).default(""),
  authorEmail: text(320).default(""),
  authorLogin: z.string().nullish(),
  /** Omitted → derived from the identity (lib/domain/bots.ts). */
  isBot: z.boolean().optional(),
  title: text(300).default(""),
  changedPaths: z.array(z.string()).max(5_000).nullish(),
});
export type CommitRecord = z.input<typeof CommitRecord>;

export const PullRequestRecord = z.object({
  number: z.number().int().positive(),
  title: text(300).default(""),
  body: z.string().nullish(),
  url: z.url().nullish(),
  authorLogin: z.string().nullish(),
  isBot: z.boolean().optional(),
  state: z.enum(PR_STATES),
  baseBranch: z.string().default("main"),
  headBranch: z.string().default(""),
  headSha: sha.nullish(),
  mergeSha: sha.nullish(),
  mergeMethod: z.enum(MERGE_METHODS).nullish(),
  createdAt: instant,
  readyAt: instant.nullish(),
  firstCommitAt: instant.nullish(),
  firstReviewAt: instant.nullish(),
  approvedAt: instant.nullish(),
  mergedAt: instant.nullish(),
  closedAt: instant.nullish(),
  additions: z.number().int().min(0).default(0),
  deletions: z.number().int().min(0).default(0),
  changedFiles: z.number().int().min(0).default(0),
  commitCount: z.number().int().min(0).default(0),
  labels: z.array(z.string()).default([]),
  reviewerLogins: z.array(z.string()).default([]),
  /** Omitted → read from title, branch and body (lib/domain/pull-requests.ts). */
  isRevert: z.boolean().optional(),
  revertsNumber: z.number().int().positive().nullish(),
  isHotfix: z.boolean().optional(),
});
export type PullRequestRecord = z.input<typeof PullRequestRecord>;

export const CiBuildRecord = z.object({
  source: SourceSchema,
  externalId: z.string().min(1),
  workflow: z.string().min(1),
  branch: z.string().nullish(),
  sha,
  event: z.string().nullish(),
  status: z.string().min(1),
  conclusion: z.string().nullish(),
  /** When it entered the queue (queue time = startedAt − queuedAt); omitted when the source does not say. */
  queuedAt: instant.nullish(),
  startedAt: instant.nullish(),
  finishedAt: instant.nullish(),
  /** 1 for a first run, more for a re-run. */
  attempt: z.number().int().min(1).default(1),
  url: z.url().nullish(),
  /** A job of a run: the run's externalId (GitLab: `pipeline:123`); omitted for a run. */
  parentExternalId: z.string().min(1).nullish(),
  /** A job's CI stage. */
  stage: z.string().min(1).max(200).nullish(),
});
export type CiBuildRecord = z.input<typeof CiBuildRecord>;

/** A deployment elsewhere, named by its source and external id. */
export const DeploymentRef = z.object({
  repository: repoName,
  source: SourceSchema,
  externalId: z.string().min(1),
});

export const DeploymentRecord = z
  .object({
    repository: repoName,
    /** Service name within the repository; omitted → the repository's default service. */
    service: slug.nullish(),
    environment: z.string().trim().min(1).max(100),
    sha,
    ref: z.string().nullish(),
    status: z.enum(DEPLOYMENT_STATUSES),
    createdAt: instant,
    startedAt: instant.nullish(),
    finishedAt: instant.nullish(),
    source: SourceSchema,
    externalId: z.string().min(1).max(300),
    url: z.url().nullish(),
    trigger: z.enum(DEPLOYMENT_TRIGGERS).default("unknown"),
    declaredKind: z.enum(DEPLOYMENT_KINDS).nullish(),
    fixes: DeploymentRef.nullish(),
    /** The release line the source names (a tag or branch rule); omitted: inferred from the commit graph. */
    line: z.string().trim().min(1).max(200).nullish(),
  })
  .refine((d) => d.status !== "success" || d.finishedAt != null, {
    message: "a successful deployment needs finishedAt (when it went live)",
    path: ["finishedAt"],
  });
export type DeploymentRecord = z.input<typeof DeploymentRecord>;

export const IncidentRecord = z
  .object({
    source: SourceSchema,
    externalId: z.string().min(1).max(300),
    title: text(300).default(""),
    url: z.url().nullish(),
    repository: repoName.nullish(),
    service: slug.nullish(),
    severity: z.string().nullish(),
    openedAt: instant,
    resolvedAt: instant.nullish(),
    causedBy: DeploymentRef.nullish(),
    causedBySha: sha.nullish(),
    restoredBy: DeploymentRef.nullish(),
  })
  .refine((i) => !i.resolvedAt || i.resolvedAt >= i.openedAt, {
    message: "resolvedAt must not be before openedAt",
    path: ["resolvedAt"],
  })
  .refine((i) => !i.service || i.repository, {
    message: "a service needs its repository",
    path: ["service"],
  });
export type IncidentRecord = z.input<typeof IncidentRecord>;
