import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import examples from "@octokit/webhooks-examples";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import * as health from "@/app/api/health/route";
import * as jobs from "@/app/api/internal/jobs/route";
import * as round from "@/app/api/v1/calms/rounds/[round]/route";
import * as roundTeam from "@/app/api/v1/calms/rounds/[round]/teams/[team]/route";
import * as rounds from "@/app/api/v1/calms/rounds/route";
import * as correction from "@/app/api/v1/corrections/[id]/route";
import * as corrections from "@/app/api/v1/corrections/route";
import * as deployments from "@/app/api/v1/deployments/route";
import * as incident from "@/app/api/v1/incidents/[id]/route";
import * as incidents from "@/app/api/v1/incidents/route";
import * as metrics from "@/app/api/v1/metrics/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import * as pipeline from "@/app/api/v1/pipeline/route";
import * as reports from "@/app/api/v1/reports/route";
import * as teams from "@/app/api/v1/teams/route";
import * as github from "@/app/api/webhooks/github/route";
import * as gitlab from "@/app/api/webhooks/gitlab/route";
import * as jenkins from "@/app/api/webhooks/jenkins/route";
import * as opsgenie from "@/app/api/webhooks/opsgenie/route";
import * as pagerduty from "@/app/api/webhooks/pagerduty/route";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { createRound } from "@/lib/calms/rounds";
import type { DbHandle } from "@/lib/db";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { createTeam } from "@/lib/teams";
import {
  jenkinsNotification,
  opsgenieAlertAction,
  pagerDutyIncidentEvent,
  pagerDutyNoteEvent,
} from "@/test/fixtures/connector-webhooks";
import { deploymentHook, incidentHook, pipelineHook, pushHook } from "@/test/fixtures/gitlab-webhooks";
import { answerPerPerson } from "@/test/helpers/calms";
import { describeDb } from "@/test/helpers/db";
import { headersOf, mutated, nasty, piece, queryString, tableCounts, value } from "@/test/helpers/hostile";
import { pushClient } from "@/test/helpers/push";

/**
 * Issue 14, property-based, for EVERY route handler under app/api (the route modules themselves, in process, on
 * both databases): hostile path segments, query strings, headers and bodies, with and without credentials (org and
 * team tokens, a revoked token, garbage; webhook signatures valid and not). Never a 5xx (a handler that throws, or
 * a body that fails while streaming, is one), and a 4xx leaves every table's row count as it was. Pages are in
 * test/e2e/hostile-pages.test.ts. Bounded: seeded, RUNS cases per property.
 */

// A longer hunt: HOSTILE_RUNS=1000 HOSTILE_SEED=7 npx vitest run <this file>.
const RUNS = Number(process.env.HOSTILE_RUNS) || 80;
const SEED = Number(process.env.HOSTILE_SEED) || 14;
const CALMS_KEYS = ["A1", "A2", "M1", "M2"];
const SECRET = "hostile-routes-secret-0123456789";
const JOBS_TOKEN = "hostile-routes-jobs-token-0123456789";

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => unknown;
interface Route {
  method: string;
  /** `:name` marks a dynamic segment. */
  path: string;
  handler: Handler;
  /** Query keys the route knows (others are generated too). */
  query?: readonly string[];
  /** A valid body of this route, which requests send with one field made hostile (or send something else). */
  body?: unknown;
}

const SLICE = ["team", "repo", "service", "environment", "from", "to", "granularity"] as const;
const h = (f: unknown) => f as Handler;
const READ: Route[] = [
  { method: "GET", path: "/api/health", handler: h(health.GET) },
  { method: "GET", path: "/api/v1/teams", handler: h(teams.GET) },
  { method: "GET", path: "/api/v1/metrics", handler: h(metrics.GET), query: SLICE },
  { method: "GET", path: "/api/v1/pipeline", handler: h(pipeline.GET), query: SLICE },
  {
    method: "GET",
    path: "/api/v1/reports",
    handler: h(reports.GET),
    query: ["team", "period", "format", "dataset", "paper"],
  },
  { method: "GET", path: "/api/v1/calms/rounds", handler: h(rounds.GET) },
  { method: "GET", path: "/api/v1/calms/rounds/:round", handler: h(round.GET), query: ["teams"] },
  { method: "GET", path: "/api/v1/calms/rounds/:round/teams/:team", handler: h(roundTeam.GET) },
  { method: "GET", path: "/api/v1/openapi.json", handler: h(openapi.GET) },
  { method: "GET", path: "/api/v1/corrections", handler: h(corrections.GET), query: ["deployment"] },
];
const baseDeployment = {
  id: "build-7",
  repository: "acme/pay",
  environment: "production",
  sha: "a".repeat(40),
  status: "success",
  finishedAt: "2026-03-02T10:00:00Z",
  url: "https://ci.example/7",
};
const baseIncident = { id: "inc-2", title: "Down", repository: "acme/pay", openedAt: "2026-03-02T11:00:00Z" };
const baseCorrection = { kind: "deployment_excluded", deployment: 1, reason: "a test run" };
const PUSH: Route[] = [
  { method: "POST", path: "/api/v1/deployments", handler: h(deployments.POST), body: baseDeployment },
  { method: "POST", path: "/api/v1/incidents", handler: h(incidents.POST), body: baseIncident },
  {
    method: "PATCH",
    path: "/api/v1/incidents/:id",
    handler: h(incident.PATCH),
    body: { resolvedAt: "2026-03-02T12:00:00Z", causedByDeployment: "build-1" },
  },
  { method: "POST", path: "/api/v1/corrections", handler: h(corrections.POST), body: baseCorrection },
  { method: "DELETE", path: "/api/v1/corrections/:id", handler: h(correction.DELETE) },
];

/** Valid path segments of the seeded data, so that generated requests also reach what lies behind the lookup. */
const SEGMENTS: Record<string, string[]> = {
  round: ["1", "2"],
  team: ["payments", "checkout", "PAYMENTS"],
  id: ["1", "inc-1", "INC-1"],
};

/** A route's body: mostly its valid body with one hostile field; else nothing, hostile text or any JSON. */
const bodyFor = (route: Route): fc.Arbitrary<string | undefined> =>
  route.method === "GET"
    ? fc.constant(undefined)
    : fc.oneof(
        { weight: route.body ? 6 : 0, arbitrary: mutated(route.body ?? {}).map((b) => JSON.stringify(b)) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: nasty },
        { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
      );

const tokens = { org: "", payments: "", checkout: "", revoked: "" };
const authorization = fc.oneof(
  fc.constant(null),
  {
    weight: 3,
    arbitrary: fc
      .constantFrom("org", "payments", "checkout", "revoked")
      .map((k) => `Bearer ${tokens[k as keyof typeof tokens]}`),
  },
  fc.constantFrom("Bearer", "Bearer ", "Bearer tl_", "Basic YTpi", "bearer x", `Bearer ${"t".repeat(5000)}`),
  nasty.map((t) => `Bearer ${t}`),
);
const header = fc.tuple(
  fc.constantFrom(
    "content-type",
    "idempotency-key",
    "x-forwarded-host",
    "x-forwarded-proto",
    "origin",
    "accept",
    "cookie",
    "content-encoding",
  ),
  fc.oneof(nasty, fc.constantFrom("application/json", "text/plain", "gzip", "tl_session=x")),
);

function fill(route: Route, segments: string[]): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  let i = 0;
  const url = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const s = segments[i++] ?? "";
    params[name] = s;
    // A lone surrogate cannot be percent-encoded; the handler still gets it as its parameter.
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, "\uFFFD"));
  });
  return { url, params };
}

const segment = (name: string) => fc.oneof(fc.constantFrom(...(SEGMENTS[name] ?? ["x"])), nasty, piece);

/** A request to one route: its segments, a query, credentials, headers and (for writes) a body. */
function requestTo(routes: Route[]) {
  return fc
    .constantFrom(...routes)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        segments: fc.tuple(...[...route.path.matchAll(/:(\w+)/g)].map((m) => segment(m[1] as string))),
        query: queryString(route.query ?? []),
        authorization,
        headers: fc.array(header, { maxLength: 3 }),
        body: bodyFor(route),
      }),
    )
    .map(({ route, segments, query, authorization, headers, body }) => {
      const { url, params } = fill(route, segments);
      return {
        route,
        params,
        url: `http://localhost${url}${query ? `?${query}` : ""}`,
        headers: headersOf([
          ...(body === undefined ? [] : [["content-type", "application/json"] as const]),
          ...(authorization ? [["authorization", authorization] as const] : []),
          ...headers,
        ]),
        body: body as string | undefined,
      };
    });
}

/** Webhooks: a real payload of each sender with one field made hostile, sent with valid, wrong or no credentials. */
const hmac = (body: string) => createHmac("sha256", SECRET).update(body).digest("hex");
const githubExamples = examples
  .filter((d) => ["deployment_status", "workflow_run", "push", "pull_request", "release"].includes(d.name))
  .flatMap((d) => d.examples.slice(0, 2).map((payload) => ({ event: d.name, payload })));

type Credential = "valid" | "wrong" | "none";
interface Hook {
  path: string;
  handler: Handler;
  payloads: fc.Arbitrary<{ event: string; payload: unknown }>;
  sign: (body: string, credential: Credential, event: string) => [string, string][];
}
const wrongOr = (credential: Credential, valid: string, wrong: string) =>
  credential === "valid" ? valid : wrong;
const HOOKS: Hook[] = [
  {
    path: "/api/webhooks/github",
    handler: h(github.POST),
    payloads: fc.constantFrom(...githubExamples),
    sign: (body, c, event) =>
      [
        ["x-github-event", event],
        ["x-github-delivery", `d-${hmac(body).slice(0, 12)}`],
        ...(c === "none"
          ? []
          : [["x-hub-signature-256", `sha256=${wrongOr(c, hmac(body), hmac(`${body}x`))}`]]),
      ] as [string, string][],
  },
  {
    path: "/api/webhooks/gitlab",
    handler: h(gitlab.POST),
    payloads: fc.constantFrom(
      {
        event: "Deployment Hook",
        payload: deploymentHook("acme/pay", {
          id: 1,
          status: "success",
          env: "production",
          label: "a",
          at: "2026-02-08 10:05:00 +0100",
        }),
      },
      { event: "Pipeline Hook", payload: pipelineHook("acme/pay") },
      { event: "Issue Hook", payload: incidentHook("acme/pay") },
      { event: "Push Hook", payload: pushHook("acme/pay") },
    ),
    sign: (_b, c, event) =>
      [
        ["x-gitlab-event", event],
        ...(c === "none" ? [] : [["x-gitlab-token", wrongOr(c, SECRET, `${SECRET}x`)]]),
      ] as [string, string][],
  },
  {
    path: "/api/webhooks/jenkins",
    handler: h(jenkins.POST),
    payloads: fc.constantFrom(
      ...(["STARTED", "COMPLETED", "FINALIZED"] as const).map((phase) => ({
        event: phase,
        payload: jenkinsNotification({
          job: ["payments", "deploy"],
          number: 12,
          phase,
          status: "SUCCESS",
          timestamp: 1_772_445_600_000,
          duration: 60_000,
          commit: "a".repeat(40),
          parameters: { ENV: "prod" },
        }),
      })),
    ),
    sign: (_b, c) =>
      c === "none"
        ? []
        : [
            [
              "authorization",
              `Basic ${Buffer.from(`jenkins:${wrongOr(c, SECRET, "nope")}`).toString("base64")}`,
            ],
          ],
  },
  {
    path: "/api/webhooks/pagerduty",
    handler: h(pagerduty.POST),
    payloads: fc.constantFrom(
      {
        event: "incident.triggered",
        payload: pagerDutyIncidentEvent("incident.triggered", { occurredAt: "2026-03-04T13:00:00Z" }),
      },
      {
        event: "incident.resolved",
        payload: pagerDutyIncidentEvent("incident.resolved", {
          status: "resolved",
          occurredAt: "2026-03-04T14:00:00Z",
        }),
      },
      { event: "incident.annotated", payload: pagerDutyNoteEvent("caused by: abc", "2026-03-04T13:20:00Z") },
    ),
    sign: (body, c) =>
      [
        ["x-webhook-id", `w-${hmac(body).slice(0, 12)}`],
        ...(c === "none"
          ? []
          : [["x-pagerduty-signature", `v1=${wrongOr(c, hmac(body), hmac(`${body}x`))}`]]),
      ] as [string, string][],
  },
  {
    path: "/api/webhooks/opsgenie",
    handler: h(opsgenie.POST),
    payloads: fc.constantFrom(
      ...["Create", "Close", "AddNote"].map((action) => ({
        event: action,
        payload: opsgenieAlertAction(action, {
          priority: "P1",
          createdAt: 1_772_445_600_000,
          note: "caused by abc",
        }),
      })),
    ),
    sign: (_b, c) => (c === "none" ? [] : [["x-throughline-token", wrongOr(c, SECRET, `${SECRET}x`)]]),
  },
];

const CONFIG = `
teams:
  - slug: payments
    name: Payments
    repositories: [acme/pay, acme/payments-api]
jenkins:
  deployments:
    - { job: "payments/deploy", parameter: "ENV=prod", environment: production, repository: acme/pay }
pagerduty:
  causeField: caused_by
  services: [ { id: PF9KMXH, repository: acme/payments-api } ]
opsgenie:
  read: alerts
  priorities: [P1, P2]
  map: [ { tag: "service:checkout", repository: acme/checkout } ]
`;

const ENV: Record<string, string> = {
  GITHUB_WEBHOOK_SECRET: SECRET,
  GITLAB_WEBHOOK_SECRET: SECRET,
  JENKINS_WEBHOOK_SECRET: SECRET,
  PAGERDUTY_WEBHOOK_SECRET: SECRET,
  OPSGENIE_WEBHOOK_SECRET: SECRET,
  THROUGHLINE_AUTH: "local",
};

const g = globalThis as unknown as { __throughlineDb?: Promise<DbHandle>; __throughlineJobsToken?: string };

describeDb("Every route under app/api, hostile input", ({ db, backend }) => {
  const saved: Record<string, string | undefined> = {};
  let savedDb: Promise<DbHandle> | undefined;
  let savedJobs: string | undefined;
  let dir = "";

  beforeAll(() => {
    // The route modules open the process-wide database: point it at this test's database.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-routes-"));
    fs.writeFileSync(path.join(dir, "throughline.yml"), CONFIG);
    for (const [k, v] of Object.entries({ ...ENV, THROUGHLINE_CONFIG: path.join(dir, "throughline.yml") })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    savedDb = g.__throughlineDb;
    savedJobs = g.__throughlineJobsToken;
    g.__throughlineJobsToken = JOBS_TOKEN;
    const handle: DbHandle = {
      db: db(),
      kind: backend,
      location: "test",
      migrate: async () => ({ applied: 0, total: 0 }),
      close: async () => {},
    };
    g.__throughlineDb = Promise.resolve(handle);
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    g.__throughlineDb = savedDb;
    g.__throughlineJobsToken = savedJobs;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => settleDerive(db()));

  /** Two teams, tokens of every kind, deployments, an incident, a correction and two survey rounds. */
  async function seed() {
    const payments = await createTeam(db(), {
      slug: "payments",
      name: "Payments",
      description: "",
      members: [],
    });
    const checkout = await createTeam(db(), {
      slug: "checkout",
      name: "Checkout",
      description: "",
      members: [],
    });
    tokens.org = (await createApiToken(db(), { name: "ci" }, "test")).token;
    tokens.payments = (await createApiToken(db(), { name: "pay", team: "payments" }, "test")).token;
    tokens.checkout = (await createApiToken(db(), { name: "co", team: "checkout" }, "test")).token;
    const revoked = await createApiToken(db(), { name: "old" }, "test");
    await revokeApiToken(db(), revoked.row.id);
    tokens.revoked = revoked.token;
    const push = pushClient(db(), tokens.org);
    const seeded = [
      await push.postDeployment({ ...baseDeployment, id: "build-1", sha: "1".repeat(40) }),
      await push.postDeployment({ ...baseDeployment, id: "build-2", sha: "2".repeat(40) }),
      await push.postIncident({ ...baseIncident, id: "inc-1" }),
      await push.postCorrection(baseCorrection),
    ];
    expect(seeded.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (const title of ["Spring", "Autumn"]) {
      const { roundId } = await createRound(db(), {
        title,
        opensOn: "2026-03-02",
        closesOn: "2026-03-16",
        teamIds: [payments, checkout],
        itemKeys: CALMS_KEYS,
      });
      // Payments answers enough to be shown, checkout too few: both sides of the anonymity rule are reached.
      await answerPerPerson(
        db(),
        roundId,
        {
          payments: Array.from({ length: 6 }, () => ["4", "3", "dk", "2"]),
          checkout: [["1", "1", "1", "1"]],
        },
        CALMS_KEYS,
        "2026-03-05",
      );
    }
    await settleDerive(db());
  }

  /** One request; a thrown handler or a failing body is a 500. A 4xx must leave every table as it was. */
  async function check(route: { handler: Handler }, request: Request, params: Record<string, string>) {
    await settleDerive(db());
    const before = await tableCounts(db());
    let text = "";
    const status = await (async () => {
      const response = (await route.handler(request, { params: Promise.resolve(params) })) as Response;
      text = new TextDecoder().decode((await response.arrayBuffer()).slice(0, 300));
      return response.status;
    })().catch((error: Error) => {
      text = error.stack ?? String(error);
      return 500;
    });
    const what = `${request.method} ${request.url} answered ${status}: ${text}`;
    expect(status, what).toBeLessThan(500);
    if (status >= 400) {
      await settleDerive(db());
      expect(await tableCounts(db()), what).toBe(before);
    }
    return status;
  }

  const send = async (r: {
    route: Route;
    params: Record<string, string>;
    url: string;
    headers: Headers;
    body: string | undefined;
  }) => {
    let request: Request;
    try {
      request = new Request(r.url, { method: r.route.method, headers: r.headers, body: r.body });
    } catch {
      return null; // not a request a client can send (e.g. a body on a GET)
    }
    return check(r.route, request, r.params);
  };

  it("read API: hostile segments, queries, headers and tokens never give a 5xx", async () => {
    await seed();
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(requestTo(READ), async (r) => {
        const status = await send(r);
        if (status !== null) seen.add(status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect([...seen].some((s) => s < 300)).toBe(true);
    expect([...seen].some((s) => s >= 400)).toBe(true);
  }, 600_000);

  it("push API: hostile segments, headers, tokens and bodies never give a 5xx; a 4xx writes nothing", async () => {
    await seed();
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(requestTo(PUSH), async (r) => {
        const status = await send(r);
        if (status !== null) seen.add(status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect([...seen].some((s) => s < 300)).toBe(true);
    expect([...seen].some((s) => s >= 400)).toBe(true);
  }, 600_000);

  it("webhooks (GitHub, GitLab, Jenkins, PagerDuty, Opsgenie): valid, wrong and no credentials, hostile payloads", async () => {
    await seed();
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HOOKS).chain((hook) =>
          fc.record({
            hook: fc.constant(hook),
            sample: hook.payloads.chain(({ event, payload }) =>
              fc.record({
                event: fc.oneof(
                  { weight: 4, arbitrary: fc.constant(event) },
                  { weight: 1, arbitrary: nasty },
                ),
                body: fc.oneof(
                  { weight: 6, arbitrary: mutated(payload).map((p) => JSON.stringify(p)) },
                  { weight: 1, arbitrary: nasty },
                  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
                ),
              }),
            ),
            credential: fc.constantFrom<Credential>("valid", "valid", "valid", "wrong", "none"),
            extra: fc.array(header, { maxLength: 2 }),
          }),
        ),
        async ({ hook, sample, credential, extra }) => {
          const headers = headersOf([
            ["content-type", "application/json"],
            ...hook.sign(sample.body, credential, sample.event),
            ...extra,
          ]);
          const request = new Request(`http://localhost${hook.path}`, {
            method: "POST",
            headers,
            body: sample.body,
          });
          seen.add(await check(hook, request, {}));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect([...seen].some((s) => s < 300)).toBe(true);
    expect([...seen].some((s) => s >= 400)).toBe(true);
  }, 600_000);

  it("internal jobs: hostile tokens, job names and arguments never give a 5xx", async () => {
    await seed();
    const safeJobs = ["tokens:list", "tokens:revoke", "tokens:create", "auth:audit", "derive", "no-such-job"];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          token: fc.oneof(fc.constant(JOBS_TOKEN), fc.constant(null), nasty),
          body: fc.oneof(
            fc
              .record(
                { job: fc.oneof(fc.constantFrom(...safeJobs), nasty), args: value, files: value },
                {
                  requiredKeys: [],
                },
              )
              .map((b) => JSON.stringify(b)),
            nasty,
          ),
        }),
        async ({ token, body }) => {
          const headers = headersOf(token === null ? [] : [["authorization", `Bearer ${token}`]]);
          await check(
            { handler: h(jobs.POST) },
            new Request("http://localhost/api/internal/jobs", { method: "POST", headers, body }),
            {},
          );
        },
      ),
      { numRuns: RUNS / 2, seed: SEED },
    );
  }, 600_000);
});
