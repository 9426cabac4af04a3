import type { components } from "@octokit/openapi-types";
import { Git } from "./git";
import { type FakeData, type FakeRepository, type FakeWorkflowRun, findRepository, ms } from "./model";
import { diffEntry, job, minimalRepository, restCommit, workflowRun } from "./rest-shapes";

/**
 * The REST endpoints the ingest reads, with GitHub's paging (`per_page` ≤ 100, `page`, a `Link` header) and
 * filters. ETags, rate limits and faults are the server's business (server.ts).
 */

export interface RestReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const notFound = (): RestReply => ({
  status: 404,
  body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" },
});

interface Req {
  method: string;
  url: URL;
  /** The fake's base URL (API URLs in bodies and Link headers point at it). */
  api: string;
}

export function handleRest(req: Req, data: FakeData): RestReply {
  if (req.method !== "GET") return notFound();
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(req.url.pathname);
  if (!m) return notFound();
  const repo = findRepository(data, decodeURIComponent(m[1] ?? ""), decodeURIComponent(m[2] ?? ""));
  if (!repo) return notFound();
  const rest = m[3] ?? "";
  if (rest === "") return { status: 200, body: minimalRepository(req.api, repo) };
  if (rest === "/actions/runs") return listRuns(req, repo);
  let r = /^\/actions\/runs\/(\d+)(\/jobs)?$/.exec(rest);
  if (r) {
    const run = repo.workflowRuns.find((x) => x.id === Number(r?.[1]));
    if (!run) return notFound();
    if (!r[2]) return { status: 200, body: workflowRun(req.api, repo, run, headOf(repo, run), false) };
    const { items, link } = paged(req, run.jobs, 30);
    return {
      status: 200,
      body: { total_count: run.jobs.length, jobs: items.map((j) => job(req.api, repo, run, j)) },
      headers: link,
    };
  }
  r = /^\/compare\/(.+)$/.exec(rest);
  if (r?.[1]) return compare(req, repo, decodeURIComponent(r[1]));
  return notFound();
}

const headOf = (repo: FakeRepository, run: FakeWorkflowRun) => new Git(repo).commit(run.headSha);

/** The filters GitHub documents as limiting the listing to 1,000 results. */
const CAPPED = ["actor", "branch", "check_suite_id", "created", "event", "head_sha", "status"];

function listRuns(req: Req, repo: FakeRepository): RestReply {
  const q = req.url.searchParams;
  const createdQ = q.get("created");
  const inCreated = createdQ ? createdFilter(createdQ) : () => true;
  const status = q.get("status");
  const created = new Map(repo.workflowRuns.map((r) => [r, ms(r.createdAt)]));
  let runs = repo.workflowRuns.filter(
    (run) =>
      inCreated(created.get(run) ?? 0) &&
      (!q.has("branch") || run.headBranch === q.get("branch")) &&
      (!q.has("event") || run.event === q.get("event")) &&
      (!q.has("head_sha") || run.headSha === q.get("head_sha")) &&
      (!q.has("actor") || run.actor.login === q.get("actor")) &&
      // `status` takes a status or a conclusion.
      (!status || run.status === status || run.conclusion === status),
  );
  runs = runs.sort((a, b) => (created.get(b) ?? 0) - (created.get(a) ?? 0) || b.id - a.id);
  const total = runs.length;
  // A guess at how the cap shows: total_count tells every match, pages past the first 1,000 come back empty.
  if (CAPPED.some((k) => q.has(k))) runs = runs.slice(0, 1_000);
  const { items, link } = paged(req, runs, 30);
  const heads = new Set(items.map((r) => r.headSha));
  const commits = new Map(repo.commits.filter((c) => heads.has(c.oid)).map((c) => [c.oid, c]));
  const exclude = q.get("exclude_pull_requests") === "true";
  const repository = minimalRepository(req.api, repo);
  return {
    status: 200,
    body: {
      total_count: total,
      workflow_runs: items.map((run) =>
        workflowRun(req.api, repo, run, commits.get(run.headSha), exclude, repository),
      ),
    },
    headers: link,
  };
}

/**
 * GitHub's date qualifiers: `>=2026-03-01`, `>…`, `<=…`, `<…`, `a..b` (`*` open) and a bare date (that day).
 * A date without a time covers its whole day (UTC).
 */
export function createdFilter(v: string): (t: number) => boolean {
  const start = (s: string) => (s === "*" ? Number.NEGATIVE_INFINITY : Date.parse(s));
  const end = (s: string) =>
    s === "*"
      ? Number.POSITIVE_INFINITY
      : /^\d{4}-\d{2}-\d{2}$/.test(s)
        ? Date.parse(s) + 86_399_999
        : Date.parse(s);
  const m = /^(>=|<=|>|<)?(.+)$/.exec(v.trim());
  const [, op, rest = ""] = m ?? [];
  const range = rest.split("..");
  if (!op && range.length === 2) {
    const [a = "*", b = "*"] = range;
    return (t) => t >= start(a) && t <= end(b);
  }
  if (op === ">=") return (t) => t >= start(rest);
  if (op === ">") return (t) => t > end(rest);
  if (op === "<=") return (t) => t <= end(rest);
  if (op === "<") return (t) => t < start(rest);
  return (t) => t >= start(rest) && t <= end(rest);
}

/** `per_page` (GitHub caps it at 100) and `page`, with GitHub's Link header: prev, next, last, first. */
function paged<T>(req: Req, all: readonly T[], defaultPerPage: number) {
  const q = req.url.searchParams;
  const perPage = Math.min(100, Math.max(1, Number(q.get("per_page") ?? defaultPerPage) || defaultPerPage));
  const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const url = (p: number) => {
    const u = new URL(req.url.pathname + req.url.search, req.api);
    u.searchParams.set("page", String(p));
    return `<${u.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${url(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) links.push(`${url(1)}; rel="first"`);
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    link: links.length > 0 ? { link: links.join(", ") } : undefined,
  };
}

/**
 * `GET /repos/{owner}/{repo}/compare/{base}...{head}`: the commits reachable from head and not from base, oldest
 * first ("chronological", the reverse of git log). Without paging parameters it answers up to 250 commits; with
 * them, pages of `per_page`. Files (their union, a stand-in for the tree diff) only on the first page.
 */
function compare(req: Req, repo: FakeRepository, basehead: string): RestReply {
  const sep = basehead.includes("...") ? "..." : "..";
  const i = basehead.indexOf(sep);
  if (i < 0) return notFound();
  const git = new Git(repo);
  const base = git.resolveCommit(basehead.slice(0, i));
  const head = git.resolveCommit(basehead.slice(i + sep.length));
  if (!base || !head) return notFound();
  const fromBase = git.ancestors(base.oid);
  const fromHead = git.ancestors(head.oid);
  const ahead = git.log(head.oid, fromBase).reverse();
  const behindBy = [...fromBase].filter((oid) => !fromHead.has(oid)).length;
  // The merge base: the newest (in git log order) ancestor of head that base also reaches.
  const mergeBase = git.log(head.oid).find((c) => fromBase.has(c.oid)) ?? base;
  const q = req.url.searchParams;
  const isPaged = q.has("page") || q.has("per_page");
  const { items, link } = isPaged ? paged(req, ahead, 30) : { items: ahead.slice(0, 250), link: undefined };
  const first = !isPaged || Number(q.get("page") ?? 1) <= 1;
  const files = first ? [...new Set(ahead.flatMap((c) => c.files))].slice(0, 300) : [];
  const name = `${repo.owner}/${repo.name}`;
  return {
    status: 200,
    body: {
      url: `${req.api}/repos/${name}/compare/${basehead}`,
      html_url: `https://github.com/${name}/compare/${basehead}`,
      permalink_url: `https://github.com/${name}/compare/${repo.owner}:${base.oid.slice(0, 7)}...${repo.owner}:${head.oid.slice(0, 7)}`,
      diff_url: `https://github.com/${name}/compare/${basehead}.diff`,
      patch_url: `https://github.com/${name}/compare/${basehead}.patch`,
      base_commit: restCommit(req.api, repo, base),
      merge_base_commit: restCommit(req.api, repo, mergeBase),
      status:
        ahead.length === 0 && behindBy === 0
          ? "identical"
          : behindBy === 0
            ? "ahead"
            : ahead.length === 0
              ? "behind"
              : "diverged",
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: items.map((c) => restCommit(req.api, repo, c)),
      files: files.map((f) => diffEntry(repo, head.oid, f)),
    } satisfies components["schemas"]["commit-comparison"],
    headers: link,
  };
}
