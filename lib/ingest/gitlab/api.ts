import { z } from "zod";
import { type Env, SourceClient, type SourceClientOptions } from "@/lib/ingest/source/client";
import { SourceError } from "@/lib/ingest/source/errors";

/**
 * GitLab's REST API v4 and GraphQL API, both on the shared SourceClient (ADR 0019): REST for what it lists
 * cheaply (projects of a group, commits with their parents, deployments, releases, tags, jobs, issues), GraphQL for
 * what REST would read one item at a time (merge requests with their commits and notes, pipelines with their
 * timings, and the one-request probe of what changed in a project).
 */

export const GITLAB_DEFAULT_URL = "https://gitlab.com";

const EnvSchema = z.object({
  GITLAB_URL: z.url("GITLAB_URL must be the GitLab root URL, e.g. https://gitlab.example.com").optional(),
  GITLAB_TOKEN: z
    .string()
    .min(1, "GITLAB_TOKEN is required (a personal, group or project token with read_api)"),
});

export function gitlabCredentials(env: Env = process.env) {
  if (!env.GITLAB_TOKEN?.trim())
    throw new Error("GITLAB_TOKEN is not set (a personal, group or project access token with read_api)");
  const parsed = EnvSchema.safeParse({
    GITLAB_URL: env.GITLAB_URL?.trim() || undefined,
    GITLAB_TOKEN: env.GITLAB_TOKEN?.trim() || undefined,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return {
    url: (parsed.data.GITLAB_URL ?? GITLAB_DEFAULT_URL).replace(/\/+$/, ""),
    token: parsed.data.GITLAB_TOKEN,
  };
}

export function gitlabClient(env: Env, extra: Partial<SourceClientOptions> = {}): SourceClient {
  const c = gitlabCredentials(env);
  return new SourceClient({
    name: "GitLab",
    baseUrl: `${c.url}/api/v4`,
    // Personal, group, project and OAuth tokens all work as a bearer token.
    headers: { authorization: `Bearer ${c.token}` },
    authHint: "check GITLAB_TOKEN (a personal, group or project access token with the read_api scope)",
    ...extra,
  });
}

/** `acme/platform/api` → `acme%2Fplatform%2Fapi`: GitLab takes a project's full path, URL-encoded, as its id. */
export const projectId = (path: string) => encodeURIComponent(path);

export const PER_PAGE = 100;

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[] }[];
}

/**
 * A GraphQL query (POST /api/graphql). GitLab answers 200 with `errors` for a bad query or a complexity limit:
 * that is a failure of this scope, not data.
 */
export async function graphql<T>(client: SourceClient, query: string, variables: Record<string, unknown>) {
  const r = await client.post<GraphQLAnswer<T>>("../graphql", { query, variables });
  const errors = r.data?.errors ?? [];
  if (!r.data?.data) {
    throw new SourceError(`GitLab GraphQL: ${errors.map((e) => e.message).join("; ") || "no data"}`, 502);
  }
  if (errors.length) throw new SourceError(`GitLab GraphQL: ${errors.map((e) => e.message).join("; ")}`, 502);
  return r.data.data;
}

// ---- REST shapes (GitLab's documented fields that we read) ----

export interface GlUser {
  username: string;
  name?: string;
  bot?: boolean;
}

export interface GlProject {
  id: number;
  path_with_namespace: string;
  default_branch: string | null;
  web_url: string;
  archived: boolean;
}

export interface GlCommit {
  id: string;
  parent_ids: string[];
  title: string;
  author_name: string;
  author_email: string;
  authored_date: string;
  committed_date: string;
}

export interface GlDeployment {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  created_at: string;
  updated_at: string;
  /** created, running, success, failed, canceled, skipped, blocked */
  status: string;
  user: GlUser | null;
  environment: { id: number; name: string; tier?: string | null; external_url?: string | null };
  deployable: {
    id: number;
    name: string;
    status: string;
    started_at: string | null;
    finished_at: string | null;
    web_url?: string;
  } | null;
}

export interface GlEnvironment {
  id: number;
  name: string;
  tier?: string | null;
}

export interface GlRelease {
  tag_name: string;
  created_at: string;
  released_at: string | null;
  upcoming_release?: boolean;
  author?: GlUser | null;
  commit: { id: string } | null;
  _links?: { self?: string };
}

export interface GlTag {
  name: string;
  target: string;
  commit: { id: string; committed_date: string } | null;
  /** Annotated tags: when the tag was made (GitLab 15.x+); null for lightweight ones. */
  created_at?: string | null;
}

export interface GlJob {
  id: number;
  name: string;
  stage?: string | null;
  status: string;
  ref: string;
  tag: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Seconds pending before a runner took it, and seconds it ran (floats). */
  queued_duration?: number | null;
  duration?: number | null;
  web_url: string;
  user?: GlUser | null;
  commit: { id: string };
  pipeline: { id: number; source?: string };
}

export interface GlIssue {
  iid: number;
  title: string;
  description: string | null;
  web_url: string;
  state: "opened" | "closed";
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  labels: string[];
  /** issue, incident, test_case, task */
  issue_type?: string;
}
