import {
  type FakeHttp,
  type FakeReply,
  type FakeRequest,
  linkHeader,
  startFakeHttp,
  withQuery,
} from "@/test/fakes/http/server";
import { answerGraphQL, fakeJobs, jobDuration, queuedDuration } from "./graphql";
import type { FakeJob, FakeProject, GitLabModel } from "./model";

export { GitLabModel } from "./model";

/**
 * A local GitLab (REST API v4 and GraphQL) answering as GitLab documents it (doc/api/*.md, doc/api/rest/index.md
 * § Pagination): `Authorization: Bearer` or `PRIVATE-TOKEN` auth (401 `{"message":"401 Unauthorized"}`); projects
 * named by id or URL-encoded full path; offset pagination with `Link` (first/prev/next/last), `X-Page`,
 * `X-Per-Page`, `X-Next-Page`, `X-Prev-Page`, `X-Total`, `X-Total-Pages` (per_page at most 100); keyset pagination
 * for jobs (`pagination=keyset`: a `Link` with a `cursor`, no totals); `RateLimit-Limit`, `-Observed`, `-Remaining`,
 * `-Reset` (Unix) and `-ResetTime` (HTTP date) on every answer and 429 with `Retry-After` when spent; 404
 * `{"message":"404 Project Not Found"}`.
 */

export const GL_TOKEN = "glpat-throughline-fake-0123456789";

export interface FakeGitLab extends FakeHttp {
  model: GitLabModel;
}

const notFound = (what: string): FakeReply => ({ status: 404, body: { message: `404 ${what} Not Found` } });
const t = (s: string) => Date.parse(s);

/** Offset pagination with GitLab's headers. */
function paged<T>(fake: { url: string }, req: FakeRequest, items: T[], map: (t: T) => unknown): FakeReply {
  const perPage = Math.min(Math.max(Number(req.query.get("per_page") ?? 20), 1), 100);
  const page = Math.max(Number(req.query.get("page") ?? 1), 1);
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const at = (n: number) => withQuery(fake, req, { page: n, per_page: perPage });
  return {
    body: slice.map(map),
    headers: {
      link: linkHeader({
        prev: page > 1 ? at(page - 1) : null,
        next: page < pages ? at(page + 1) : null,
        first: at(1),
        last: at(pages),
      }),
      "x-page": String(page),
      "x-per-page": String(perPage),
      "x-next-page": page < pages ? String(page + 1) : "",
      "x-prev-page": page > 1 ? String(page - 1) : "",
      "x-total": String(items.length),
      "x-total-pages": String(pages),
    },
  };
}

/** Keyset pagination (jobs, ordered by id descending): the next page's `Link` carries an opaque cursor. */
function keyset<T extends { id: number }>(
  fake: { url: string },
  req: FakeRequest,
  items: T[],
  map: (t: T) => unknown,
): FakeReply {
  const perPage = Math.min(Math.max(Number(req.query.get("per_page") ?? 20), 1), 100);
  const cursor = req.query.get("cursor");
  const below = cursor ? Number(JSON.parse(Buffer.from(cursor, "base64url").toString()).id) : Infinity;
  const sorted = items.filter((i) => i.id < below).sort((a, b) => b.id - a.id);
  const slice = sorted.slice(0, perPage);
  const more = sorted.length > perPage;
  const last = slice.at(-1);
  const nextCursor = last ? Buffer.from(JSON.stringify({ id: last.id })).toString("base64url") : "";
  const url = new URL(req.path, fake.url);
  for (const [k, v] of req.query) if (k !== "cursor") url.searchParams.append(k, v);
  url.searchParams.set("cursor", nextCursor);
  const headers: Record<string, string> = more ? { link: linkHeader({ next: url.toString() }) } : {};
  return { body: slice.map(map), headers };
}

export async function startFakeGitLab(
  model: GitLabModel,
  o: { rateLimit?: number } = {},
): Promise<FakeGitLab> {
  const base = () => fake.url;
  const user = (u: { username: string; name?: string; bot?: boolean } | undefined) =>
    u
      ? { id: 1, username: u.username, name: u.name ?? u.username, bot: u.bot ?? false, state: "active" }
      : null;
  const withProject =
    (fn: (p: FakeProject, req: FakeRequest) => FakeReply) =>
    (req: FakeRequest, params: Record<string, string>) => {
      const p = model.project(params.id as string);
      return p ? fn(p, req) : notFound("Project");
    };
  const projectJson = (p: FakeProject) => ({
    id: p.id,
    name: p.path.split("/").at(-1),
    path: p.path.split("/").at(-1),
    path_with_namespace: p.path,
    name_with_namespace: p.path.replaceAll("/", " / "),
    default_branch: p.defaultBranch,
    web_url: `${base()}/${p.path}`,
    archived: p.archived ?? false,
    created_at: "2025-01-01T00:00:00.000Z",
    last_activity_at: "2026-01-01T00:00:00.000Z",
  });
  /** A job as the REST Jobs API documents it (doc/api/jobs.md). */
  const jobJson = (p: FakeProject, j: FakeJob) => {
    const pipeline = p.pipelines.find((x) => x.id === j.pipelineId);
    return {
      id: j.id,
      name: j.name,
      stage: j.stage ?? "test",
      status: j.status,
      ref: j.ref,
      tag: j.tag ?? false,
      allow_failure: false,
      created_at: j.created_at,
      started_at: j.started_at,
      finished_at: j.finished_at,
      erased_at: null,
      duration: jobDuration(j),
      queued_duration: queuedDuration(j),
      web_url: `${base()}/${p.path}/-/jobs/${j.id}`,
      commit: { id: j.sha, short_id: j.sha.slice(0, 8) },
      pipeline: {
        id: j.pipelineId,
        project_id: p.id,
        sha: j.sha,
        ref: j.ref,
        status: pipeline?.status ?? "success",
        source: pipeline?.source ?? "push",
      },
      user: user({ username: "alice" }),
    };
  };
  const http = await startFakeHttp({
    authorize: (req) =>
      req.headers.authorization === `Bearer ${GL_TOKEN}` || req.headers["private-token"] === GL_TOKEN
        ? null
        : { status: 401, body: { message: "401 Unauthorized" } },
    rateLimit: o.rateLimit
      ? {
          limit: o.rateLimit,
          headers: (s) => ({
            "ratelimit-limit": String(s.limit),
            "ratelimit-observed": String(s.limit - s.remaining),
            "ratelimit-remaining": String(s.remaining),
            "ratelimit-reset": String(s.resetAt),
            "ratelimit-resettime": new Date(s.resetAt * 1000).toUTCString(),
          }),
        }
      : undefined,
    routes: [
      {
        method: "POST",
        path: "/api/graphql",
        handle: (req) => answerGraphQL(model, base(), req.body),
      },
      {
        method: "GET",
        path: "/api/v4/groups/:id/projects",
        handle: (req, params) => {
          const group = params.id as string;
          if (!model.groups.has(group)) return notFound("Group");
          const sub = req.query.get("include_subgroups") === "true";
          const list = model.projects
            .filter((p) =>
              sub ? p.path.startsWith(`${group}/`) : p.path.split("/").slice(0, -1).join("/") === group,
            )
            .filter((p) => req.query.get("archived") !== "false" || !p.archived)
            .sort((a, b) => a.id - b.id);
          return paged(fake, req, list, projectJson);
        },
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/repository/commits",
        handle: withProject((p, req) => {
          const ref = req.query.get("ref_name") ?? p.defaultBranch;
          const start = ref === p.defaultBranch ? 0 : p.commits.findIndex((c) => c.id === ref);
          if (start < 0) return notFound("Commit");
          const since = req.query.get("since");
          const list = p.commits.slice(start).filter((c) => !since || t(c.committed_date) >= t(since));
          return paged(fake, req, list, (c) => ({
            ...c,
            short_id: c.id.slice(0, 8),
            message: `${c.title}\n`,
            committer_name: c.author_name,
            committer_email: c.author_email,
            created_at: c.committed_date,
            web_url: `${base()}/${p.path}/-/commit/${c.id}`,
          }));
        }),
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/deployments",
        handle: withProject((p, req) => {
          const since = req.query.get("updated_after");
          const list = p.deployments
            .filter((d) => !since || t(d.updated_at) > t(since))
            .sort((a, b) => t(a.updated_at) - t(b.updated_at) || a.id - b.id);
          return paged(fake, req, list, (d) => {
            const env = model.environment(p, d.environment);
            return {
              id: d.id,
              iid: d.iid,
              ref: d.ref,
              sha: d.sha,
              created_at: d.created_at,
              updated_at: d.updated_at,
              status: d.status,
              user: user(d.user ?? { username: "alice" }),
              environment: { id: env.id, name: env.name, tier: env.tier, external_url: null },
              deployable: d.deployable
                ? {
                    ...d.deployable,
                    status: d.status === "success" ? "success" : d.status,
                    stage: "deploy",
                    created_at: d.created_at,
                    web_url: `${base()}/${p.path}/-/jobs/${d.deployable.id}`,
                  }
                : null,
            };
          });
        }),
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/releases",
        handle: withProject((p, req) =>
          paged(
            fake,
            req,
            [...p.releases].sort((a, b) => t(b.released_at) - t(a.released_at)),
            (r) => ({
              name: r.tag_name,
              tag_name: r.tag_name,
              created_at: r.created_at,
              released_at: r.released_at,
              upcoming_release: t(r.released_at) > Date.now(),
              author: user(r.author ?? { username: "alice" }),
              commit: { id: r.sha, short_id: r.sha.slice(0, 8) },
              _links: { self: `${base()}/${p.path}/-/releases/${r.tag_name}` },
            }),
          ),
        ),
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/repository/tags",
        handle: withProject((p, req) => {
          const commit = (sha: string) => p.commits.find((c) => c.id === sha);
          const at = (x: { sha: string; created_at?: string | null }) =>
            x.created_at ?? commit(x.sha)?.committed_date ?? "";
          return paged(
            fake,
            req,
            [...p.tags].sort((a, b) => t(at(b)) - t(at(a))),
            (x) => ({
              name: x.name,
              target: x.sha,
              message: x.created_at ? `Release ${x.name}` : "",
              created_at: x.created_at ?? null,
              commit: { id: x.sha, committed_date: commit(x.sha)?.committed_date ?? at(x) },
              protected: false,
            }),
          );
        }),
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/jobs",
        handle: withProject((p, req) => {
          const scopes = req.query.getAll("scope[]");
          const list = p.jobs.filter((j) => scopes.length === 0 || scopes.includes(j.status));
          return req.query.get("pagination") === "keyset"
            ? keyset(fake, req, list, (j) => jobJson(p, j))
            : paged(fake, req, list, (j) => jobJson(p, j));
        }),
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/pipelines/:pid/jobs",
        handle: (req, params) => {
          const p = model.project(params.id as string);
          if (!p) return notFound("Project");
          const pid = Number(params.pid);
          if (!p.pipelines.some((x) => x.id === pid)) return notFound("");
          // Retried jobs only with include_retried=true; our fake jobs are never superseded.
          return paged(fake, req, fakeJobs(p, pid), (j) => jobJson(p, j));
        },
      },
      {
        method: "GET",
        path: "/api/v4/projects/:id/issues",
        handle: withProject((p, req) => {
          const since = req.query.get("updated_after");
          const list = p.issues
            .filter((i) => !since || t(i.updated_at) >= t(since))
            .sort((a, b) => t(a.updated_at) - t(b.updated_at) || a.iid - b.iid);
          return paged(fake, req, list, (i) => ({
            id: 1000 + i.iid,
            iid: i.iid,
            project_id: p.id,
            title: i.title,
            description: i.description ?? null,
            state: i.state,
            created_at: i.created_at,
            updated_at: i.updated_at,
            closed_at: i.closed_at ?? null,
            labels: i.labels ?? [],
            issue_type: i.issue_type ?? "issue",
            type: (i.issue_type ?? "issue").toUpperCase(),
            web_url: `${base()}/${p.path}/-/issues/${i.iid}`,
          }));
        }),
      },
    ],
  });
  const fake: FakeGitLab = Object.assign(http, { model });
  return fake;
}
