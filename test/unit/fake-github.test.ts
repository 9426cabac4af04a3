import { parse, validate } from "graphql";
import { Octokit, RequestError } from "octokit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as Q from "@/lib/ingest/github/queries";
import {
  demoRepository,
  type FakeGitHub,
  fakeData,
  fromDemo,
  repoBuilder,
  sampleRepository,
  startFakeGitHub,
} from "@/test/fakes/github";
import { githubSchema } from "@/test/fakes/github/schema";

/** The client the ingest uses, without its retries and throttling: each test sees GitHub's first answer. */
const client = (url: string, auth: string | null = "test-token") =>
  new Octokit({
    auth: auth ?? undefined,
    baseUrl: url,
    throttle: { enabled: false },
    retry: { enabled: false },
  });

type Page<T> = {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
  nodes: T[];
};
type Oid = { oid: string };
type Pr = {
  number: number;
  state: string;
  isDraft: boolean;
  updatedAt: string;
  headRefOid: string;
  author: { login: string; __typename: string };
  mergeCommit: { oid: string; parents: { totalCount: number } } | null;
  commits: { totalCount: number; nodes: { commit: { authoredDate: string } }[] };
  lastCommit: { nodes: { commit: Oid }[] };
  reviews: { nodes: { state: string; submittedAt: string }[] };
  labels: { nodes: { name: string }[] };
  timelineItems: { nodes: { createdAt?: string }[] };
  files?: { nodes: { path: string }[] };
};
type Deployment = {
  id: string;
  environment: string;
  state: string;
  commitOid: string;
  statuses: { nodes: { state: string }[] };
};

const fx = sampleRepository();
let fake: FakeGitHub;
let octokit: Octokit;
const repo = { owner: "acme", name: "api" };

beforeAll(async () => {
  // A second organisation of 120 repositories: its listing takes two pages.
  const many = Array.from({ length: 120 }, (_, i) => repoBuilder(`many/r${String(i).padStart(3, "0")}`));
  fake = await startFakeGitHub({ data: fakeData(fx.b, ...many) });
  octokit = client(fake.url);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Every page of a connection, following endCursor. */
async function all<T>(
  query: string,
  vars: Record<string, unknown>,
  pick: (d: never) => Page<T>,
  o: Octokit = octokit,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const data = await o.graphql<never>(query, { ...vars, after });
    const page = pick(data);
    out.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

describe("fake GitHub: GraphQL", () => {
  it("validates every document the ingest sends against GitHub's schema", () => {
    const docs = Object.entries(Q).flatMap(([name, v]) =>
      typeof v === "string" && /^\s*query /.test(v) ? [[name, v] as const] : [],
    );
    expect(docs.length).toBeGreaterThanOrEqual(9);
    for (const [name, doc] of [...docs, ["probeQuery(3)", Q.probeQuery(3)] as const])
      expect([name, validate(githubSchema(), parse(doc))]).toEqual([name, []]);
  });

  it("lists an organisation's repositories by name, 100 a page", async () => {
    const repos = await all(
      Q.ORG_REPOSITORIES,
      { org: "many" },
      (d: { organization: { repositories: Page<{ nameWithOwner: string }> } }) => d.organization.repositories,
    );
    expect(repos).toHaveLength(120);
    expect(repos[0]?.nameWithOwner).toBe("many/r000");
    expect(repos.map((r) => r.nameWithOwner)).toEqual([...repos.map((r) => r.nameWithOwner)].sort());
    expect(fake.requests.filter((r) => r.operationName === "OrgRepositories")).toHaveLength(2);
  });

  it("probes several repositories at once; a missing one is null with GitHub's NOT_FOUND error", async () => {
    const vars = { o0: "acme", n0: "api", o1: "many", n1: "r001", o2: "acme", n2: "gone" };
    const error = await octokit.graphql(Q.probeQuery(3), vars).catch((e: unknown) => e);
    const { data, errors } = error as {
      data: Record<string, { pullRequests: Page<{ updatedAt: string }> } | null>;
      errors: unknown[];
    };
    expect(data.r0?.pullRequests.nodes).toEqual([{ updatedAt: "2026-03-05T14:10:00Z" }]);
    expect(data.r1?.pullRequests.nodes).toEqual([]);
    expect(data.r2).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        type: "NOT_FOUND",
        path: ["r2"],
        message: "Could not resolve to a Repository with the name 'acme/gone'.",
      }),
    ]);
  });

  it("pages pull requests most recently updated first, with their fields as GitHub returns them", async () => {
    const prs = await all<Pr>(
      Q.PULL_REQUESTS,
      { ...repo, first: 2, withFiles: true },
      (d: { repository: { pullRequests: Page<Pr> } }) => d.repository.pullRequests,
    );
    expect(prs.map((p) => p.number)).toEqual([6, 5, 4, 3, 2, 1]);
    const byNumber = new Map(prs.map((p) => [p.number, p]));
    const refunds = byNumber.get(2);
    // A squash merge: one parent, and the PR keeps its three commits (first authored at 11:00).
    expect(refunds).toMatchObject({
      state: "MERGED",
      mergeCommit: { parents: { totalCount: 1 } },
      commits: { totalCount: 3, pageInfo: { hasNextPage: false } },
      lastCommit: { nodes: [{ commit: { oid: fx.prs.refunds.commits[2] } }] },
      labels: { nodes: [{ name: "feature" }] },
      timelineItems: { nodes: [{ createdAt: "2026-03-03T14:00:00Z" }] },
      files: { nodes: [{ path: "services/api/refunds.ts" }, { path: "services/api/refunds.test.ts" }] },
    });
    expect(refunds?.commits.nodes.map((n) => n.commit.authoredDate)[0]).toBe("2026-03-03T11:00:00Z");
    expect(refunds?.commits.nodes).toHaveLength(3);
    expect(refunds?.headRefOid).toBe(fx.prs.refunds.commits[2]);
    expect(byNumber.get(1)?.mergeCommit?.parents.totalCount).toBe(2);
    expect(byNumber.get(1)?.reviews.nodes.map((r) => r.state)).toEqual(["COMMENTED", "APPROVED"]);
    expect(byNumber.get(1)?.timelineItems.nodes).toEqual([]); // opened ready: no ReadyForReviewEvent
    expect(byNumber.get(4)?.author).toEqual({ login: "dependabot", __typename: "Bot" }); // GraphQL drops "[bot]"
    expect(byNumber.get(6)).toMatchObject({ state: "OPEN", isDraft: true, mergeCommit: null });
    // Without files: the field is absent, as @include(if: false) leaves it.
    const noFiles = await octokit.graphql<{ repository: { pullRequests: Page<Pr> } }>(Q.PULL_REQUESTS, {
      ...repo,
      first: 1,
      withFiles: false,
    });
    expect(noFiles.repository.pullRequests.nodes[0]).not.toHaveProperty("files");
  });

  it("follows data changes between requests: an updated PR moves to the top", async () => {
    const own = sampleRepository();
    const f = await startFakeGitHub({ data: fakeData(own.b) });
    const o = client(f.url);
    own.prs.checkout.updatedAt = "2026-03-06T09:00:00Z";
    const data = await o.graphql<{ repository: { pullRequests: Page<Pr> } }>(Q.PULL_REQUESTS, {
      ...repo,
      first: 1,
      withFiles: false,
    });
    expect(data.repository.pullRequests.nodes[0]?.number).toBe(1);
    await f.close();
  });

  it("walks history in git log order, merge branches included, squashed commits not", async () => {
    const history = (vars: Record<string, unknown>) =>
      all<Oid & { parents: { nodes: Oid[] } }>(
        Q.HISTORY,
        { ...repo, first: 3, ...vars },
        (d: { repository: { object: { history: Page<Oid & { parents: { nodes: Oid[] } }> } } }) =>
          d.repository.object.history,
      );
    const log = await history({ expression: "main" });
    const c = fx.b.repo.commits;
    const oidOf = (message: string) => c.filter((x) => x.message.startsWith(message)).map((x) => x.oid);
    const [m1] = oidOf("Merge pull request #1");
    const [b1, b2] = fx.prs.checkout.commits;
    expect(log.map((x) => x.oid)).toEqual([
      fx.prs.revert.mergeCommit,
      fx.prs.bump.mergeCommit,
      fx.prs.logging.mergeCommit, // R3b, then R3a: the replayed commits share a committer date
      oidOf("Tidy logging")[1],
      fx.prs.refunds.mergeCommit,
      m1,
      fx.commits.typo,
      b2,
      b1,
      fx.commits.scaffold,
      fx.commits.root,
    ]);
    expect(log.find((x) => x.oid === m1)?.parents.nodes.map((p) => p.oid)).toEqual([fx.commits.typo, b2]);
    expect(log.map((x) => x.oid)).not.toContain(fx.prs.refunds.commits[0]);
    // The same commits from an oid, a ref and a tag; `since` keeps the newer ones.
    expect((await history({ expression: fx.b.head })).map((x) => x.oid)).toEqual(log.map((x) => x.oid));
    expect((await history({ expression: "refs/heads/main" })).length).toBe(11);
    expect((await history({ expression: "v1.0.0" }))[0]?.oid).toBe(fx.prs.logging.mergeCommit);
    expect((await history({ expression: "main", since: "2026-03-04T00:00:00Z" })).map((x) => x.oid)).toEqual(
      log.slice(0, 5).map((x) => x.oid),
    );
  });

  it("filters history by path", async () => {
    const oids = await all<Oid>(
      Q.PATH_HISTORY,
      { ...repo, expression: "main", path: "services/api" },
      (d: { repository: { object: { history: Page<Oid> } } }) => d.repository.object.history,
    );
    const tidy = fx.b.repo.commits.filter((x) => x.message === "Tidy logging").map((x) => x.oid);
    expect(oids.map((x) => x.oid)).toEqual([
      fx.prs.revert.mergeCommit,
      tidy[1], // the replayed first commit of #3 (services/api/log.ts)
      fx.prs.refunds.mergeCommit,
      fx.commits.typo,
      fx.commits.scaffold,
    ]);
  });

  it("lists deployments newest first, statuses newest first, staging auto-inactivated; re-reads them by id", async () => {
    const ds = await all<Deployment>(
      Q.DEPLOYMENTS,
      repo,
      (d: { repository: { deployments: Page<Deployment> } }) => d.repository.deployments,
    );
    expect(ds.map((d) => [d.environment, d.state])).toEqual([
      ["production", "FAILURE"],
      ["production", "ACTIVE"],
      ["staging", "ACTIVE"],
      ["staging", "INACTIVE"],
    ]);
    expect(ds[3]?.statuses.nodes.map((s) => s.state)).toEqual(["INACTIVE", "SUCCESS", "IN_PROGRESS"]);
    const error = await octokit
      .graphql(Q.DEPLOYMENT_NODES, { ids: [ds[1]?.id, "DE_kwDOnope"] })
      .catch((e: unknown) => e);
    const { data, errors } = error as { data: { nodes: (Deployment | null)[] }; errors: unknown[] };
    expect(data.nodes[0]).toEqual(ds[1]);
    expect(data.nodes[1]).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ type: "NOT_FOUND", path: ["nodes", 1] })]);
  });

  it("filters issues by any label and by update time, oldest update first", async () => {
    type Issue = { number: number; state: string; labels: { nodes: { name: string }[] } };
    const pick = (d: { repository: { issues: Page<Issue> } }) => d.repository.issues;
    const incidents = await all<Issue>(Q.ISSUES, { ...repo, labels: ["incident"] }, pick);
    expect(incidents.map((i) => [i.number, i.state])).toEqual([
      [7, "CLOSED"],
      [9, "OPEN"],
    ]);
    const since = await all<Issue>(
      Q.ISSUES,
      { ...repo, labels: ["incident", "bug"], since: "2026-03-05T00:00:00Z" },
      pick,
    );
    expect(since.map((i) => i.number)).toEqual([8, 9]);
  });

  it("lists releases with their tag's commit and tags (lightweight or annotated), newest first", async () => {
    type Release = { tagName: string; tagCommit: Oid | null; author: { login: string } | null };
    const releases = await all<Release>(
      Q.RELEASES,
      repo,
      (d: { repository: { releases: Page<Release> } }) => d.repository.releases,
    );
    expect(releases.map((r) => [r.tagName, r.tagCommit?.oid])).toEqual([
      ["v1.1.0", fx.prs.revert.mergeCommit],
      ["v1.0.0", fx.prs.logging.mergeCommit],
    ]);
    type Tag = {
      name: string;
      target: { __typename: string; oid?: string; tagger?: { date: string }; target?: Oid };
    };
    const tags = await all<Tag>(Q.TAGS, repo, (d: { repository: { refs: Page<Tag> } }) => d.repository.refs);
    expect(tags).toEqual([
      {
        name: "v1.1.0",
        target: {
          __typename: "Tag",
          tagger: { date: "2026-03-05T13:30:00Z" },
          target: { oid: fx.prs.revert.mergeCommit, committedDate: "2026-03-05T13:00:00Z" },
        },
      },
      {
        name: "v1.0.0",
        target: {
          __typename: "Commit",
          oid: fx.prs.logging.mergeCommit,
          committedDate: "2026-03-04T16:00:00Z",
        },
      },
    ]);
  });

  it("answers rateLimit from the same budget as the headers", async () => {
    const res = await octokit.request("POST /graphql", { query: Q.RELEASES, variables: repo });
    const rate = (res.data as { data: { rateLimit: { remaining: number; cost: number } } }).data.rateLimit;
    expect(rate.cost).toBe(1);
    expect(res.headers["x-ratelimit-resource"]).toBe("graphql");
    expect(Number(res.headers["x-ratelimit-remaining"])).toBe(rate.remaining);
    expect(rate.remaining).toBe(4_999);
  });

  it("answers an invalid query with 200 and GitHub's errors; too large a page with EXCESSIVE_PAGINATION", async () => {
    const res = await octokit.request("POST /graphql", {
      query: 'query { repository(owner: "acme", name: "api") { nope } }',
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      errors: [
        {
          message: "Field 'nope' doesn't exist on type 'Repository'",
          locations: [{ line: 1, column: 50 }],
          extensions: { code: "undefinedField", typeName: "Repository", fieldName: "nope" },
        },
      ],
    });
    const big = await octokit
      .graphql(Q.PULL_REQUESTS, { ...repo, first: 101, withFiles: false })
      .catch((e: unknown) => e);
    expect((big as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({
        type: "EXCESSIVE_PAGINATION",
        message:
          "Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records.",
      }),
    ]);
  });
});

describe("fake GitHub: REST", () => {
  const runs = { owner: "acme", repo: "api" };

  it("pages workflow runs newest first with GitHub's Link header", async () => {
    const first = await octokit.request("GET /repos/{owner}/{repo}/actions/runs", { ...runs, per_page: 4 });
    expect(first.data.total_count).toBe(6);
    expect(first.headers.link).toBe(
      `<${fake.url}/repos/acme/api/actions/runs?per_page=4&page=2>; rel="next", <${fake.url}/repos/acme/api/actions/runs?per_page=4&page=2>; rel="last"`,
    );
    const every = await octokit.paginate("GET /repos/{owner}/{repo}/actions/runs", { ...runs, per_page: 4 });
    const created = every.map((r) => r.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(every[0]).toMatchObject({
      event: "pull_request",
      status: "in_progress",
      conclusion: null,
      pull_requests: [{ number: 6 }],
    });
    const filtered = await octokit.request("GET /repos/{owner}/{repo}/actions/runs", {
      ...runs,
      created: ">=2026-03-05",
      branch: "main",
      exclude_pull_requests: true,
    });
    expect(filtered.data.workflow_runs.map((r) => r.conclusion)).toEqual(["failure", "success"]);
    const run = filtered.data.workflow_runs[0];
    const jobs = await octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs", {
      ...runs,
      run_id: Number(run?.id),
    });
    expect(jobs.data).toMatchObject({
      total_count: 1,
      jobs: [{ name: "build", conclusion: "failure", run_id: run?.id }],
    });
  });

  it("answers a matching If-None-Match with 304 (free), and a new ETag once the data changed", async () => {
    const own = sampleRepository();
    const f = await startFakeGitHub({ data: fakeData(own.b) });
    const o = client(f.url);
    const first = await o.request("GET /repos/{owner}/{repo}/actions/runs", runs);
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    // octokit throws on a 304: catch the RequestError and read its status.
    const notModified = await o
      .request("GET /repos/{owner}/{repo}/actions/runs", { ...runs, headers: { "if-none-match": etag } })
      .then(
        () => null,
        (e: unknown) => (e instanceof RequestError ? e : null),
      );
    expect(notModified?.status).toBe(304);
    expect(notModified?.response?.headers["x-ratelimit-remaining"]).toBe(
      first.headers["x-ratelimit-remaining"],
    );
    expect(f.requests[1]).toMatchObject({ status: 304, ifNoneMatch: etag });
    own.b.run({ createdAt: "2026-03-06T09:00:00Z" });
    const changed = await o.request("GET /repos/{owner}/{repo}/actions/runs", {
      ...runs,
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.data.total_count).toBe(7);
    expect(changed.headers.etag).not.toBe(etag);
    await f.close();
  });

  it("compares two commits like GitHub: status, ahead/behind, commits oldest first", async () => {
    const cmp = (basehead: string, extra = {}) =>
      octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", { ...runs, basehead, ...extra });
    const ahead = await cmp(`${fx.commits.typo}...main`);
    expect(ahead.data).toMatchObject({ status: "ahead", ahead_by: 8, behind_by: 0, total_commits: 8 });
    expect(ahead.data.commits[0]?.sha).toBe(fx.prs.checkout.commits[0]);
    expect(ahead.data.commits.at(-1)?.sha).toBe(fx.b.head);
    expect((await cmp("main...main")).data.status).toBe("identical");
    expect((await cmp(`main...${fx.commits.typo}`)).data).toMatchObject({ status: "behind", behind_by: 8 });
    expect((await cmp(`${fx.prs.refunds.commits[2]}...v1.0.0`)).data.status).toBe("diverged");
    const paged = await cmp(`${fx.commits.typo}...main`, { per_page: 3, page: 3 });
    expect(paged.data.commits.map((c) => c.sha)).toEqual(ahead.data.commits.slice(6).map((c) => c.sha));
    expect(paged.headers.link).toContain('rel="prev"');
    expect((await octokit.request("GET /repos/{owner}/{repo}", runs)).data).toMatchObject({
      full_name: "acme/api",
      default_branch: "main",
    });
  });

  it("needs the token: 401 with GitHub's JSON otherwise, REST and GraphQL", async () => {
    const anonymous = await client(fake.url, null)
      .request("GET /repos/{owner}/{repo}", runs)
      .catch((e: RequestError) => e);
    expect(anonymous).toMatchObject({
      status: 401,
      response: { data: { message: "Requires authentication" } },
    });
    const wrong = await client(fake.url, "nope")
      .graphql("query { viewer { login } }")
      .catch((e: RequestError) => e);
    expect(wrong).toMatchObject({ status: 401 });
    expect(
      await octokit.request("GET /repos/{owner}/{repo}/issues", runs).catch((e: RequestError) => e.status),
    ).toBe(404);
  });
});

describe("fake GitHub: faults", () => {
  const get = () => octokit.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "api" });
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: RequestError) => e,
    );

  it("server errors, then normal service", async () => {
    fake.inject({ match: { path: /^\/repos\// }, times: 2, fault: { status: 502 } });
    expect((await fail(get()))?.status).toBe(502);
    expect((await fail(get()))?.status).toBe(502);
    expect((await get()).status).toBe(200);
    fake.inject({ match: { operationName: "Releases" }, fault: { status: 503 } });
    expect((await fail(octokit.graphql(Q.RELEASES, repo)))?.status).toBe(503);
  });

  it("primary rate limit: REST 403 with remaining 0 and the reset; GraphQL 200 with RATE_LIMITED", async () => {
    fake.inject({ fault: { rateLimit: "primary", resetInSeconds: 30 } });
    const e = await fail(get());
    expect(e?.status).toBe(403);
    expect(e?.message).toMatch(/^API rate limit exceeded for user ID 1\./);
    expect(e?.response?.headers["x-ratelimit-remaining"]).toBe("0");
    expect(Number(e?.response?.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000 + 25);
    fake.inject({ match: { path: /graphql/ }, fault: { rateLimit: "primary" } });
    const g = await octokit.request("POST /graphql", { query: Q.RELEASES, variables: repo });
    expect(g.data).toEqual({
      errors: [{ type: "RATE_LIMITED", message: "API rate limit already exceeded for user ID 1." }],
    });
    expect(g.headers["x-ratelimit-remaining"]).toBe("0");
  });

  it("secondary rate limit (403) and 429 carry retry-after and the message octokit's throttling looks for", async () => {
    fake.inject({ fault: { rateLimit: "secondary", retryAfter: 7 } });
    fake.inject({ fault: { status: 429, retryAfter: 3 } });
    const secondary = await fail(get());
    expect(secondary).toMatchObject({ status: 403, response: { headers: { "retry-after": "7" } } });
    expect(secondary?.message).toMatch(/secondary rate limit/);
    expect(await fail(get())).toMatchObject({ status: 429, response: { headers: { "retry-after": "3" } } });
  });

  it("truncates a body mid-way; delays past a client timeout; GraphQL errors", async () => {
    fake.inject({ fault: { truncate: true } });
    // Content-length promised more than came: fetch fails reading the body and octokit hands back "" as data.
    const cut = await get();
    expect([cut.status, cut.data]).toEqual([200, ""]);
    fake.inject({ fault: { delayMs: 300 } });
    const slow = await fail(
      octokit.request("GET /repos/{owner}/{repo}", {
        owner: "acme",
        repo: "api",
        request: { signal: AbortSignal.timeout(50) },
      }),
    );
    expect(slow).toBeTruthy();
    fake.inject({ match: (r) => r.operationName === "Tags", fault: { graphqlError: "RATE_LIMITED" } });
    const g = await octokit.request("POST /graphql", { query: Q.TAGS, variables: repo });
    expect(g.data).toEqual({
      data: null,
      errors: [{ type: "RATE_LIMITED", message: "API rate limit already exceeded for user ID 1." }],
    });
  });

  it("a spent budget refuses requests until it resets; /rate_limit stays free", async () => {
    fake.budgets.core.used = fake.budgets.core.limit;
    expect(await fail(get())).toMatchObject({
      status: 403,
      response: { headers: { "x-ratelimit-remaining": "0" } },
    });
    const usage = await octokit.request("GET /rate_limit");
    expect(usage.data.resources.core).toMatchObject({ limit: 5_000, remaining: 0 });
    fake.budgets.graphql.used = fake.budgets.graphql.limit;
    const g = await octokit.request("POST /graphql", { query: Q.TAGS, variables: repo });
    expect((g.data as { errors: { type: string }[] }).errors[0]?.type).toBe("RATE_LIMITED");
    fake.budgets.core.reset = Math.floor(Date.now() / 1000) - 1; // the window ended: a full budget again
    expect((await get()).headers["x-ratelimit-used"]).toBe("1");
  });
});

describe("fake GitHub: demo repositories", () => {
  it("serves a demo repository as GitHub would hold it", async () => {
    const demo = demoRepository("acme/payments-api", { anchor: "2026-11-20", months: 2 });
    const f = await startFakeGitHub({ data: fakeData(fromDemo(demo)) });
    const o = client(f.url);
    const vars = { owner: "acme", name: "payments-api" };
    const history = await o.graphql<{ repository: { object: { history: Page<Oid> } } }>(
      'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { object(expression: "main") { ... on Commit { history(first: 1) { totalCount nodes { oid } } } } } }',
      vars,
    );
    // Every demo commit is on main (squash, merge and rebase landings); squashed branches' commits are not.
    expect(history.repository.object.history.totalCount).toBe(demo.commits.length);
    const prs = await o.graphql<{ repository: { pullRequests: Page<Pr> & { totalCount: number } } }>(
      "query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { pullRequests(first: 100, states: MERGED) { totalCount nodes { number commits(first: 1) { totalCount } } } } }",
      vars,
    );
    const merged = demo.pullRequests.filter((p) => p.state === "merged");
    expect(prs.repository.pullRequests.totalCount).toBe(merged.length);
    for (const p of prs.repository.pullRequests.nodes)
      expect(p.commits.totalCount).toBe(merged.find((m) => m.number === p.number)?.commitCount);
    await f.close();
  });

  it("holds a benchmark-sized repository: 24 months of acme/payments-api has 2,000+ PRs", async () => {
    const data = fromDemo(demoRepository("acme/payments-api", { anchor: "2026-11-20", months: 24 }));
    expect(data.pullRequests.length).toBeGreaterThan(2_000);
    const f = await startFakeGitHub({ data: fakeData(data) });
    const prs = await all<Pr>(
      Q.PULL_REQUESTS,
      { owner: "acme", name: "payments-api", first: 50, withFiles: false },
      (d: { repository: { pullRequests: Page<Pr> } }) => d.repository.pullRequests,
      client(f.url),
    );
    expect(prs.length).toBe(data.pullRequests.length);
    await f.close();
  }, 60_000);
});
