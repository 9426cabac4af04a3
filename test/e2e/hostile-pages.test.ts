import fs from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHolder } from "@/lib/db/embedded-lock";
import { runJobOnServer } from "@/lib/jobs/client";
import { browserTestsRun } from "@/test/helpers/browser";
import { nasty, piece, queryString } from "@/test/helpers/hostile";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * Issue 14, property-based, for every page: one `next start` (local mode, so every page renders for its admin, on a
 * small demo organisation) asked for each page with fast-check-generated query strings and dynamic segments, raw
 * (bad %-escapes, NUL, repeated keys, numbers beyond the column type, dates in year 9999). Never a 5xx, and never
 * the error boundary ("Something went wrong") in a page that streamed 200. The API routes are in
 * test/integration/hostile-routes.property.test.ts; here they are asked only through the server's URL decoding.
 * Bounded: seeded, RUNS requests.
 */

const RUNS = Number(process.env.HOSTILE_RUNS) || 100;
const SEED = Number(process.env.HOSTILE_SEED) || 14;

const FILTERS = ["period", "from", "to", "env", "repo", "service", "team"];
/** Every page under app/ (a new page without a line here fails the inventory test below) and the keys it reads. */
const PAGES: Record<string, readonly string[]> = {
  "/": FILTERS,
  "/teams/:slug": FILTERS,
  "/teams/:slug/pipeline": FILTERS,
  "/deployments": [...FILTERS, "outcome", "after", "before"],
  "/deployments/:id": [],
  "/calms": ["round"],
  "/calms/:round/:team": [],
  "/reports": [],
  "/reports/view": ["team", "period", "from", "to"],
  "/settings": [],
  "/settings/api-tokens": [],
  "/settings/audit": ["before", "action"],
  "/settings/data": ["removed"],
  "/settings/environments": [],
  "/settings/reports": [],
  "/settings/repositories": [],
  "/settings/sources": [],
  "/settings/survey": [],
  "/settings/survey/new": [],
  "/settings/survey/:round": ["closed"],
  "/settings/teams": [],
  "/settings/teams/:slug": ["saved"],
  "/signin": ["next", "error", "signedOut"],
  "/survey/:token": ["again"],
};
/** API routes with dynamic segments, for Next's own decoding of them. */
const API = ["/api/v1/calms/rounds/:round/teams/:team", "/api/v1/corrections/:id", "/api/v1/metrics"];

describe.skipIf(!browserTestsRun())("every page with hostile query strings and segments", () => {
  let server: TestServer;
  const valid: Record<string, string[]> = { slug: [], id: ["1", "2"], round: ["1"], team: [], token: [] };

  beforeAll(async () => {
    server = await startServer({ THROUGHLINE_DEMO: "never" });
    const holder = liveHolder(server.dataDir);
    if (!holder) throw new Error("the server holds no lock on its database");
    // A small demo organisation (2 months): real teams, deployments, incidents and survey rounds to render.
    await runJobOnServer(holder, "demo:seed", { months: 2, scale: 1, seed: "hostile" }, () => {});
    const teams = (await (await fetch(`${server.url}/api/v1/teams`)).json()) as { teams: { slug: string }[] };
    valid.slug = teams.teams.map((t) => t.slug);
    valid.team = valid.slug;
    const rounds = (await (await fetch(`${server.url}/api/v1/calms/rounds`)).json()) as {
      rounds: { id: number }[];
    };
    valid.round = rounds.rounds.map((r) => String(r.id));
  }, 900_000); // it may build the app first: minutes on a busy 2-core machine

  afterAll(async () => {
    await server?.stop();
  });

  it("lists every page under app/", () => {
    const found = (fs.readdirSync("app", { recursive: true }) as string[])
      .filter((f) => f === "page.tsx" || f.endsWith("/page.tsx"))
      .map((f) => `/${f.replace(/\/?page\.tsx$/, "")}`.replace(/\[(\w+)\]/g, ":$1"))
      .map((p) => (p === "/" ? p : p.replace(/\/$/, "")))
      .sort();
    expect(found).toEqual(Object.keys(PAGES).sort());
  });

  /** A page's status, and whether it broke: a 5xx, or its error boundary in a page that streamed 200. */
  async function fetchPage(url: URL | string): Promise<{ status: number; broken: boolean }> {
    const res = await fetch(url, { redirect: "manual" });
    const text = await res.text();
    return { status: res.status, broken: res.status >= 500 || text.includes("Something went wrong") };
  }

  it("found while writing this test: ids beyond the integer column, cursors in year 0000", async () => {
    // Each was a 500 before the fix (PostgreSQL refused the parameter): issue 14.
    for (const path of [
      "/settings/audit?before=1.5",
      "/settings/audit?before=99999999999999999999",
      "/settings/audit?before=Infinity&action=a&action=b",
      "/settings/survey/3000000000",
      "/deployments?after=0000-01-01T00:00:00.000000Z_1",
      "/deployments?before=0000-01-01T00:00:00.000000Z_1",
    ])
      expect(await fetchPage(`${server.url}${path}`), path).toMatchObject({ broken: false });
  }, 120_000);

  it("never a 5xx, never the error page, for generated query strings and segments", async () => {
    const segment = (name: string) =>
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(...(valid[name]?.length ? (valid[name] as string[]) : ["x"])),
        },
        { weight: 1, arbitrary: piece },
        { weight: 1, arbitrary: nasty.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ""))) },
      );
    const request = fc.constantFrom(...Object.keys(PAGES), ...API).chain((template) =>
      fc.record({
        template: fc.constant(template),
        segments: fc.tuple(...[...template.matchAll(/:(\w+)/g)].map((m) => segment(m[1] as string))),
        query: queryString(PAGES[template] ?? ["team", "from", "to"]),
      }),
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async ({ template, segments, query }) => {
        let i = 0;
        const path = template.replace(/:\w+/g, () => (segments[i++] as string).replace(/[/?#]/g, "") || "x");
        let url: URL;
        try {
          url = new URL(`${server.url}${path}${query ? `?${query}` : ""}`);
        } catch {
          return; // not a URL a client can send
        }
        const { status, broken } = await fetchPage(url);
        if (broken) failures.push(`${status} ${url.pathname}${url.search}`);
        expect(broken, `${status} GET ${url.pathname}${url.search}`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(failures).toEqual([]);
    // The server is still well.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  }, 900_000);
});
