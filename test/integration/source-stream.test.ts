import { asc } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { ciBuilds, syncState } from "@/lib/db/schema";
import { SourceClient } from "@/lib/ingest/source/client";
import { nextLink } from "@/lib/ingest/source/paginate";
import { runScopes, runStream, type ScopeRun, type Stream, summaryLine } from "@/lib/ingest/source/stream";
import { upsertCiBuilds, upsertRepositories } from "@/lib/ingest/store";
import { readState } from "@/lib/ingest/sync-state";
import { type FakeHttp, linkHeader, startFakeHttp, withQuery } from "@/test/fakes/http/server";
import { describeDb } from "@/test/helpers/db";

/**
 * The source contract's runner (lib/ingest/source/stream.ts) with a toy source: builds of "jobs" served in
 * pages by a local fake. Each page is written with its cursor in one transaction, so a run that dies mid-way
 * resumes where it stopped and ends with the rows of an uninterrupted run.
 */

const TOKEN = "jenkins-api-token-123456";
const builds = (job: string) =>
  Array.from({ length: 23 }, (_, i) => ({
    number: i + 1,
    sha: (i + 1).toString(16).padStart(40, "a"),
    result: i % 5 === 4 ? "FAILURE" : "SUCCESS",
  })).map((b) => ({ ...b, job }));

interface Ctx {
  client: SourceClient;
  repository: number;
  job: string;
}

/** Oldest first, 5 per page; the cursor is the next page's URL, the bookmark the last build read. */
const buildsStream: Stream<Ctx> = {
  resource: "builds",
  async *pages(ctx, state) {
    let url: string | null = state.cursor ?? `jobs/${ctx.job}/builds?per_page=5`;
    while (url) {
      const r: Awaited<ReturnType<SourceClient["get"]>> = await ctx.client
        .as("builds")
        .get<{ number: number; sha: string; result: string }[]>(url);
      const page = r.data as { number: number; sha: string; result: string }[];
      url = nextLink(r.headers.get("link"));
      yield {
        items: page.length,
        write: (tx) =>
          upsertCiBuilds(
            tx,
            ctx.repository,
            page.map((b) => ({
              source: "jenkins",
              externalId: `${ctx.job}#${b.number}`,
              workflow: ctx.job,
              sha: b.sha,
              status: "completed",
              conclusion: b.result === "SUCCESS" ? "success" : "failure",
            })),
          ).then(() => {}),
        state: { cursor: url, details: { last: page.at(-1)?.number ?? null } },
      };
    }
  },
};

describeDb("source contract: streams and scopes", ({ db }) => {
  let fake: FakeHttp;
  let log: string[];
  const client = () =>
    new SourceClient({
      name: "Toy",
      baseUrl: fake.url,
      headers: { authorization: `Bearer ${TOKEN}` },
      retryBaseMs: 1,
      attempts: 2,
      log: (l) => log.push(l),
    });

  beforeAll(async () => {
    fake = await startFakeHttp({
      authorize: (req) => (req.headers.authorization === `Bearer ${TOKEN}` ? null : { status: 401 }),
      routes: [
        {
          method: "GET",
          path: "/jobs/:job/builds",
          handle: (req, p) => {
            if (p.job === "gone") return { status: 404, body: { message: "no such job" } };
            if (p.job === "slow") return new Promise((r) => setTimeout(() => r({ body: [] }), 300));
            const all = builds(p.job as string);
            const page = Number(req.query.get("page") ?? 1);
            const per = Number(req.query.get("per_page") ?? 5);
            const next = page * per < all.length ? withQuery(fake, req, { page: page + 1 }) : null;
            return { body: all.slice((page - 1) * per, page * per), headers: { link: linkHeader({ next }) } };
          },
        },
      ],
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    log = [];
  });

  async function repo(d: Db) {
    return (await upsertRepositories(d, [{ fullName: "acme/toy", source: "jenkins" }])).get(
      "acme/toy",
    ) as number;
  }

  const run = (d: Db, c: SourceClient, dryRun = false) => ({
    db: d,
    source: "toy",
    label: "Toy",
    client: c,
    dryRun,
    log: (l: string) => log.push(l),
  });

  const rows = (d: Db) =>
    d
      .select({ id: ciBuilds.externalId, sha: ciBuilds.sha, conclusion: ciBuilds.conclusion })
      .from(ciBuilds)
      .orderBy(asc(ciBuilds.externalId));

  it("writes every page with its cursor, and a run that died mid-way resumes to the same rows", async () => {
    const d = db();
    const repository = await repo(d);
    const c = client();
    // Page 3 fails on both attempts: the run stops there, with pages 1–2 committed and their cursor stored.
    fake.inject({ match: (r) => r.query.get("page") === "3", times: 2, fault: { status: 502 } });
    const s: ScopeRun = { ...run(d, c), scope: "deploy-api", counts: {} };
    await expect(runStream(s, buildsStream, { client: c, repository, job: "deploy-api" })).rejects.toThrow(
      /502/,
    );
    expect((await rows(d)).length).toBe(10);
    const state = await readState(d, "toy", "deploy-api", "builds");
    expect(state.cursor).toMatch(/page=3/);
    expect(state.details).toEqual({ last: 10 });

    const again: ScopeRun = { ...run(d, c), scope: "deploy-api", counts: {} };
    expect(await runStream(again, buildsStream, { client: c, repository, job: "deploy-api" })).toBe(13);
    const resumed = await rows(d);
    expect(resumed.length).toBe(23);

    // The same as one clean run.
    await d.delete(ciBuilds);
    await d.delete(syncState);
    const clean: ScopeRun = { ...run(d, client()), scope: "deploy-api", counts: {} };
    await runStream(clean, buildsStream, { client: c, repository, job: "deploy-api" });
    expect(await rows(d)).toEqual(resumed);
    expect(clean.counts).toEqual({ builds: 23 });
  });

  it("a dry run fetches and counts, and writes nothing", async () => {
    const d = db();
    const repository = await repo(d);
    const c = client();
    const s: ScopeRun = { ...run(d, c, true), scope: "deploy-api", counts: {} };
    expect(await runStream(s, buildsStream, { client: c, repository, job: "deploy-api" })).toBe(23);
    expect(await rows(d)).toEqual([]);
    expect(await d.select().from(syncState)).toEqual([]);
  });

  it("one scope failing does not stop the others; bad credentials stop the source", async () => {
    const d = db();
    const repository = await repo(d);
    const c = client();
    const summary = await runScopes(run(d, c), ["build-a", "gone", "build-b"], (s) =>
      runStream(s, buildsStream, { client: c, repository, job: s.scope }).then(() => {}),
    );
    expect(summary.scopes.map((r) => [r.scope, r.ok, r.counts])).toEqual([
      ["build-a", true, { builds: 23 }],
      ["gone", false, {}],
      ["build-b", true, { builds: 23 }],
    ]);
    expect(summary.scopes[1]?.error).toMatch(/not found \(404\)/);
    expect(summary.stopped).toBeNull();
    expect(summaryLine(summary)).toMatch(
      /2 of 3 synced, 11 requests; failed: gone \(Toy: GET \/jobs\/gone\/builds/,
    );
    const states = await d.select().from(syncState);
    expect(states.filter((r) => r.resource === "scope").map((r) => [r.scope, r.lastStatus])).toEqual(
      expect.arrayContaining([
        ["build-a", "ok"],
        ["gone", "error"],
        ["build-b", "ok"],
      ]),
    );

    const bad = new SourceClient({
      name: "Toy",
      baseUrl: fake.url,
      headers: { authorization: "Bearer wrong" },
    });
    const stopped = await runScopes(run(d, bad), ["build-a", "build-b"], (s) =>
      runStream(s, buildsStream, { client: bad, repository, job: s.scope }).then(() => {}),
    );
    expect(stopped.stopped).toMatch(/refused the credentials \(401\)/);
    expect(stopped.scopes[1]).toMatchObject({ ok: false, requests: 0 });
    expect(stopped.scopes[1]?.error).toMatch(/^not synced: /);
    expect(bad.requests).toBe(1);
  });

  it("prints a progress line every few seconds while a scope works", async () => {
    const d = db();
    const repository = await repo(d);
    const c = client();
    await runScopes({ ...run(d, c), progressEveryMs: 20 }, ["slow"], (s) =>
      runStream(s, buildsStream, { client: c, repository, job: s.scope }).then(() => {}),
    );
    expect(log.some((l) => /^\[1\/1\] slow: working… reading · \d+ requests so far/.test(l))).toBe(true);
  });
});
