import { z } from "zod";

/**
 * The parts of GitHub's webhook payloads that Throughline reads, validated (a signed body can still be a shape
 * we do not expect: a GitHub Enterprise version, a hand-made test). Loose objects: other fields pass unread.
 */

const user = z.looseObject({ login: z.string(), type: z.string().optional() }).nullable();

export const RepositoryPayload = z.looseObject({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  html_url: z.string().nullish(),
  default_branch: z.string().nullish(),
  archived: z.boolean().nullish(),
});

const base = { repository: RepositoryPayload, action: z.string().optional() };

const gitUser = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  username: z.string().nullish(),
});

export const PushCommit = z.looseObject({
  id: z.string(),
  message: z.string(),
  timestamp: z.string(),
  author: gitUser,
  committer: gitUser.nullish(),
  distinct: z.boolean().optional(),
});
export type PushCommit = z.infer<typeof PushCommit>;

export const PushPayload = z.looseObject({
  ...base,
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  forced: z.boolean().optional(),
  commits: z.array(PushCommit).default([]),
  head_commit: PushCommit.nullish(),
});
export type PushPayload = z.infer<typeof PushPayload>;

export const RestPullRequest = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullish(),
  html_url: z.string().nullish(),
  state: z.enum(["open", "closed"]),
  draft: z.boolean().nullish(),
  merged: z.boolean().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  merged_at: z.string().nullish(),
  closed_at: z.string().nullish(),
  additions: z.number().int().optional(),
  deletions: z.number().int().optional(),
  changed_files: z.number().int().optional(),
  commits: z.number().int().optional(),
  merge_commit_sha: z.string().nullish(),
  user,
  base: z.looseObject({ ref: z.string() }),
  head: z.looseObject({ ref: z.string(), sha: z.string().nullish() }),
  labels: z.array(z.looseObject({ name: z.string() })).default([]),
});
export type RestPullRequest = z.infer<typeof RestPullRequest>;

export const PullRequestPayload = z.looseObject({ ...base, pull_request: RestPullRequest });

export const ReviewPayload = z.looseObject({
  ...base,
  pull_request: RestPullRequest,
  review: z.looseObject({ state: z.string(), submitted_at: z.string().nullish(), user }),
});

export const RestRunPayload = z.looseObject({
  id: z.number().int(),
  name: z.string().nullish(),
  head_branch: z.string().nullable(),
  head_sha: z.string(),
  event: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  created_at: z.string(),
  run_started_at: z.string().nullish(),
  updated_at: z.string(),
  html_url: z.string(),
});

export const WorkflowRunPayload = z.looseObject({ ...base, workflow_run: RestRunPayload });

export const RestDeployment = z.looseObject({
  id: z.number().int(),
  sha: z.string(),
  ref: z.string().nullish(),
  environment: z.string().nullish(),
  payload: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish(),
  created_at: z.string(),
  creator: user.optional(),
});

export const DeploymentPayload = z.looseObject({ ...base, deployment: RestDeployment });

export const DeploymentStatusPayload = z.looseObject({
  ...base,
  deployment: RestDeployment,
  deployment_status: z.looseObject({
    state: z.string(),
    created_at: z.string(),
    log_url: z.string().nullish(),
    target_url: z.string().nullish(),
    environment_url: z.string().nullish(),
  }),
});

export const ReleasePayload = z.looseObject({
  ...base,
  release: z.looseObject({
    tag_name: z.string(),
    target_commitish: z.string().nullish(),
    draft: z.boolean().nullish(),
    created_at: z.string().nullish(),
    published_at: z.string().nullish(),
    html_url: z.string().nullish(),
    author: user.optional(),
  }),
});

export const IssuePayload = z.looseObject({
  ...base,
  issue: z.looseObject({
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullish(),
    html_url: z.string().nullish(),
    /** Absent from some actions' payloads (pinned): then closed_at says it. */
    state: z.enum(["open", "closed"]).optional(),
    created_at: z.string(),
    closed_at: z.string().nullish(),
    labels: z.array(z.looseObject({ name: z.string() })).default([]),
    pull_request: z.unknown().optional(),
  }),
});
