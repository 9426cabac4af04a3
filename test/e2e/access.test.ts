import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHolder } from "@/lib/db/embedded-lock";
import { secretKey } from "@/lib/delivery/secret-box";
import { unsubscribePath } from "@/lib/delivery/unsubscribe";
import { runJobOnServer } from "@/lib/jobs/client";
import { ensureBuilt } from "@/scripts/lib/build";
import { actionIdOf, formBody, type HtmlForm, htmlForms } from "@/test/helpers/forms";
import { signInWithOidc, startOidcProvider, type TestOidcProvider } from "@/test/helpers/oidc";
import { freePort, startServer, type TestServer } from "@/test/helpers/server";

/**
 * Issue 7's role test: every page and route handler under app/, found on disk (a new one without a line in the table
 * below fails), asked by four callers on a real `next start` signed in through a real OpenID Connect provider:
 * anonymous, anonymous with a made-up session cookie (past the proxy's redirect, so the page's own check answers),
 * a viewer and an admin. Then server actions (posted as a viewer, and statically: every one checks the role first),
 * cross-site posts, API tokens, the password mode of a server on the network, and the local mode of a laptop.
 */

const ROOT = process.cwd();
const APP = path.join(ROOT, "app");
const CLIENT_SECRET = "matrix-client-secret-0b7d";
const WEBHOOK_SECRET = "matrix-webhook-secret-5c1e2f";
const SECRET_KEY = "matrix-secret-key-0123456789-0123456789";
const UNSUBSCRIBE_PATH = unsubscribePath(
  "matrix@example.com",
  secretKey({ THROUGHLINE_SECRET_KEY: SECRET_KEY } as unknown as NodeJS.ProcessEnv),
);

type Caller = "anonymous" | "forged" | "viewer" | "admin";
const CALLERS: Caller[] = ["anonymous", "forged", "viewer", "admin"];
type Answer = Record<Caller, number>;

interface Ids {
  deployment: number;
  round: number;
  roundTeam: string;
  surveyToken: string;
  /** The round that link belongs to. */
  surveyRound: number;
}

interface Expectation {
  answer: Answer;
  path: (ids: Ids) => string;
  body?: string;
  headers?: Record<string, string>;
  /** Ends the caller's session (sign-out): run with a session of its own. */
  ownSession?: boolean;
}

const VIEWER_PAGE: Answer = { anonymous: 307, forged: 401, viewer: 200, admin: 200 };
const ADMIN_PAGE: Answer = { anonymous: 307, forged: 401, viewer: 403, admin: 200 };
const PUBLIC: Answer = { anonymous: 200, forged: 200, viewer: 200, admin: 200 };
const VIEWER_API: Answer = { anonymous: 401, forged: 401, viewer: 200, admin: 200 };
/** A session is not a credential here: only an API token (or a signature, or the jobs secret) is. */
const CREDENTIAL_ONLY: Answer = { anonymous: 401, forged: 401, viewer: 401, admin: 401 };
const everyone = (status: number): Answer => ({
  anonymous: status,
  forged: status,
  viewer: status,
  admin: status,
});
const json = { "content-type": "application/json" };

/** Every page (as `GET /path`) and every exported method of every route handler, with who gets what. */
const EXPECTED: Record<string, Expectation> = {
  // Dashboards, deployments, CALMS results and reports: viewers.
  "GET /": { answer: VIEWER_PAGE, path: () => "/" },
  "GET /teams/[slug]": { answer: VIEWER_PAGE, path: () => "/teams/payments" },
  "GET /teams/[slug]/pipeline": { answer: VIEWER_PAGE, path: () => "/teams/payments/pipeline" },
  "GET /deployments": { answer: VIEWER_PAGE, path: () => "/deployments" },
  "GET /deployments/[id]": { answer: VIEWER_PAGE, path: (i) => `/deployments/${i.deployment}` },
  "GET /calms": { answer: VIEWER_PAGE, path: () => "/calms" },
  "GET /calms/[round]/[team]": { answer: VIEWER_PAGE, path: (i) => `/calms/${i.round}/${i.roundTeam}` },
  "GET /reports": { answer: VIEWER_PAGE, path: () => "/reports" },
  "GET /reports/view": { answer: VIEWER_PAGE, path: () => "/reports/view?team=payments&period=last-quarter" },
  // Settings: admins.
  "GET /settings": { answer: ADMIN_PAGE, path: () => "/settings" },
  "GET /settings/api-tokens": { answer: ADMIN_PAGE, path: () => "/settings/api-tokens" },
  "GET /settings/audit": { answer: ADMIN_PAGE, path: () => "/settings/audit" },
  "GET /settings/data": { answer: ADMIN_PAGE, path: () => "/settings/data" },
  "GET /settings/environments": { answer: ADMIN_PAGE, path: () => "/settings/environments" },
  "GET /settings/repositories": { answer: ADMIN_PAGE, path: () => "/settings/repositories" },
  "GET /settings/sources": { answer: ADMIN_PAGE, path: () => "/settings/sources" },
  "GET /settings/reports": { answer: ADMIN_PAGE, path: () => "/settings/reports" },
  "GET /settings/survey": { answer: ADMIN_PAGE, path: () => "/settings/survey" },
  "GET /settings/survey/new": { answer: ADMIN_PAGE, path: () => "/settings/survey/new" },
  "GET /settings/survey/[round]": { answer: ADMIN_PAGE, path: (i) => `/settings/survey/${i.round}` },
  "GET /settings/teams": { answer: ADMIN_PAGE, path: () => "/settings/teams" },
  "GET /settings/teams/[slug]": { answer: ADMIN_PAGE, path: () => "/settings/teams/payments" },
  // Public: sign-in (a signed-in person is sent on), a survey link (the token is the key).
  "GET /signin": { answer: { anonymous: 200, forged: 200, viewer: 307, admin: 307 }, path: () => "/signin" },
  "GET /survey/[token]": { answer: PUBLIC, path: (i) => `/survey/${i.surveyToken}` },
  // Report unsubscribe links (the signed token is the key; GET only asks, POST unsubscribes: ADR 0024).
  "GET /unsubscribe/[token]": { answer: PUBLIC, path: () => UNSUBSCRIBE_PATH },
  "POST /unsubscribe/[token]": {
    answer: PUBLIC,
    path: () => UNSUBSCRIBE_PATH,
    body: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  },
  "GET /api/health": { answer: PUBLIC, path: () => "/api/health" },
  "GET /api/v1/openapi.json": { answer: PUBLIC, path: () => "/api/v1/openapi.json" },
  // Read API: a viewer's session (the browser) or an API token.
  "GET /api/v1/teams": { answer: VIEWER_API, path: () => "/api/v1/teams" },
  "GET /api/v1/metrics": { answer: VIEWER_API, path: () => "/api/v1/metrics?team=payments" },
  "GET /api/v1/pipeline": { answer: VIEWER_API, path: () => "/api/v1/pipeline?team=payments" },
  "GET /api/v1/reports": {
    answer: VIEWER_API,
    path: () => "/api/v1/reports?team=payments&period=last-quarter&format=json",
  },
  "GET /api/v1/calms/rounds": { answer: VIEWER_API, path: () => "/api/v1/calms/rounds" },
  "GET /api/v1/calms/rounds/[round]": { answer: VIEWER_API, path: (i) => `/api/v1/calms/rounds/${i.round}` },
  "GET /api/v1/calms/rounds/[round]/teams/[team]": {
    answer: VIEWER_API,
    path: (i) => `/api/v1/calms/rounds/${i.round}/teams/${i.roundTeam}`,
  },
  // Push API: API tokens only.
  "POST /api/v1/deployments": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/v1/deployments",
    body: "{}",
    headers: json,
  },
  "POST /api/v1/incidents": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/v1/incidents",
    body: "{}",
    headers: json,
  },
  "PATCH /api/v1/incidents/[id]": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/v1/incidents/INC-1",
    body: "{}",
    headers: json,
  },
  "POST /api/v1/corrections": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/v1/corrections",
    body: "{}",
    headers: json,
  },
  "GET /api/v1/corrections": {
    answer: CREDENTIAL_ONLY,
    path: (i) => `/api/v1/corrections?deployment=${i.deployment}`,
  },
  "DELETE /api/v1/corrections/[id]": { answer: CREDENTIAL_ONLY, path: () => "/api/v1/corrections/1" },
  // GitHub's signature; the CLI's jobs secret.
  "POST /api/webhooks/github": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/webhooks/github",
    body: '{"zen":"hi"}',
    headers: {
      ...json,
      "x-github-event": "ping",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": "sha256=00",
    },
  },
  // The connectors' shared secret or signature, never a session.
  "POST /api/webhooks/jenkins": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/webhooks/jenkins",
    body: "{}",
    headers: json,
  },
  "POST /api/webhooks/pagerduty": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/webhooks/pagerduty",
    body: "{}",
    headers: { ...json, "x-pagerduty-signature": "v1=00" },
  },
  "POST /api/webhooks/gitlab": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/webhooks/gitlab",
    body: "{}",
    headers: { ...json, "x-gitlab-event": "Push Hook", "x-gitlab-token": "wrong-token" },
  },
  "POST /api/webhooks/opsgenie": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/webhooks/opsgenie",
    body: "{}",
    headers: json,
  },
  "POST /api/internal/jobs": {
    answer: CREDENTIAL_ONLY,
    path: () => "/api/internal/jobs",
    body: '{"job":"tokens:create","args":{"name":"x"}}',
    headers: json,
  },
  // Sign-in itself: off to the provider, back from it (here with nothing: an error), out.
  "GET /auth/signin/[provider]": { answer: everyone(303), path: () => "/auth/signin/oidc" },
  "GET /auth/callback/[provider]": {
    answer: everyone(303),
    path: () => "/auth/callback/oidc?code=x&state=y",
  },
  "POST /auth/signout": { answer: everyone(303), path: () => "/auth/signout", ownSession: true },
};

/** Pages and route handlers on disk, as `GET /path` (pages) and `METHOD /path` (each exported handler). */
function discoverRoutes(dir = APP, segments: string[] = []): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_")) continue; // private folders: components, not routes
      // Route groups `(name)` are not part of the URL.
      const next = /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name];
      found.push(...discoverRoutes(full, next));
      continue;
    }
    const route = `/${segments.join("/")}`;
    if (/^page\.(tsx|ts|jsx|js|mdx)$/.test(entry.name)) found.push(`GET ${route}`);
    if (/^route\.(ts|js)$/.test(entry.name)) {
      const source = fs.readFileSync(full, "utf8");
      const methods = new Set<string>();
      for (const m of source.matchAll(
        /export\s+(?:async\s+)?(?:function\s+|const\s+)(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
      ))
        methods.add(m[1] as string);
      for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
        for (const name of (m[1] as string).split(",").map((s) =>
          s
            .trim()
            .split(/\s+as\s+/)
            .at(-1),
        ))
          if (name && /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(name)) methods.add(name);
      if (methods.size === 0) found.push(`NONE ${route}`);
      for (const method of methods) found.push(`${method} ${route}`);
    }
  }
  return found.sort();
}

/** `"use server"` files under app/ whose every export anyone may call: the survey form and password sign-in. */
const PUBLIC_ACTION_FILES = ["app/signin/actions.ts", "app/survey/[token]/actions.ts"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

const isUseServer = (s: ts.Statement) =>
  ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === "use server";

/**
 * Problems with the server actions of one file: an exported action whose first statement is not
 * `await requireAdmin()`/`await requireRole(…)`, and `"use server"` inside a function (an inline action, which this
 * check could not see), anywhere but the public files.
 */
function actionProblems(file: string): string[] {
  const rel = path.relative(ROOT, file);
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const fileLevel = source.statements.some(isUseServer);
  const visit = (node: ts.Node) => {
    const first = ts.isBlock(node) && ts.isFunctionLike(node.parent) ? node.statements[0] : undefined;
    if (first && isUseServer(first) && !fileLevel)
      problems.push(
        `${rel}:${source.getLineAndCharacterOfPosition(first.getStart()).line + 1}: inline "use server"`,
      );
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!fileLevel || PUBLIC_ACTION_FILES.includes(rel)) return problems;
  const checksFirst = (body: ts.ConciseBody | undefined): boolean => {
    if (!body || !ts.isBlock(body)) return false;
    const first = body.statements[0];
    return (
      first !== undefined && /^(const .*= )?await require(Admin|Role)\(/.test(first.getText(source).trim())
    );
  };
  for (const s of source.statements) {
    const exported =
      ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(s)) {
      if (!checksFirst(s.body))
        problems.push(`${rel}: ${s.name?.text} does not start with requireAdmin()/requireRole()`);
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
        if (!fn || !checksFirst(fn.body))
          problems.push(`${rel}: ${d.name.getText(source)} does not start with requireAdmin()/requireRole()`);
      }
    } else if (!ts.isInterfaceDeclaration(s) && !ts.isTypeAliasDeclaration(s)) {
      problems.push(`${rel}: exports something that is not a function (${ts.SyntaxKind[s.kind]})`);
    }
  }
  return problems;
}

describe("server actions, read from the source", () => {
  it("every exported action of every 'use server' file checks the role first, except the two public files", () => {
    const files = [...sourceFiles(APP), ...sourceFiles(path.join(ROOT, "lib"))];
    const withActions = files.filter((f) => /["']use server["']/.test(fs.readFileSync(f, "utf8")));
    // The check sees the files it should: the public ones and the admin ones.
    const rel = withActions.map((f) => path.relative(ROOT, f));
    for (const p of PUBLIC_ACTION_FILES) expect(rel).toContain(p);
    expect(rel).toContain("app/settings/actions.ts");
    expect(withActions.flatMap(actionProblems)).toEqual([]);
  });
});

describe("access control on next start: every route, server actions, CSRF, tokens, password and local modes", () => {
  let idp: TestOidcProvider;
  let sso: TestServer;
  let password: TestServer;
  let local: TestServer;
  const sessions: Record<Caller, string | null> = {
    anonymous: null,
    forged: null,
    viewer: null,
    admin: null,
  };
  let ids: Ids;

  const cookieFor = (token: string | null): Record<string, string> =>
    token ? { cookie: `tl_session=${token}` } : {};

  async function get(url: string, token: string | null, headers: Record<string, string> = {}) {
    return fetch(url, { headers: { ...cookieFor(token), ...headers }, redirect: "manual" });
  }

  async function formsOf(url: string, token: string | null): Promise<HtmlForm[]> {
    const res = await get(url, token);
    expect(res.status, url).toBe(200);
    return htmlForms(await res.text());
  }

  /** A no-JavaScript submit of a form to its page, as `token`'s browser on `origin`. */
  function submit(
    pageUrl: string,
    form: HtmlForm,
    token: string | null,
    changes: Record<string, string | string[]> = {},
    origin = new URL(pageUrl).origin,
  ) {
    return fetch(pageUrl, {
      method: "POST",
      body: formBody(form, changes),
      headers: { ...cookieFor(token), origin },
      redirect: "manual",
    });
  }

  beforeAll(async () => {
    if (ensureBuilt() !== 0) throw new Error("next build failed");
    const [idpPort, ssoPort] = [await freePort(), await freePort()];
    idp = await startOidcProvider({
      port: idpPort,
      clientId: "throughline-matrix",
      clientSecret: CLIENT_SECRET,
      redirectUris: [`http://127.0.0.1:${ssoPort}/auth/callback/oidc`],
      accounts: {
        vera: { email: "vera@acme.test", name: "Vera Viewer" },
        alice: { email: "alice@acme.test", name: "Alice Admin", groups: ["throughline-admins"] },
      },
    });
    [sso, password, local] = await Promise.all([
      startServer(
        {
          THROUGHLINE_AUTH: "sso",
          OIDC_ISSUER: idp.issuer,
          OIDC_CLIENT_ID: "throughline-matrix",
          OIDC_CLIENT_SECRET: CLIENT_SECRET,
          OIDC_SCOPES: "openid email profile groups",
          OIDC_ADMIN_GROUPS: "throughline-admins",
          GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
          JENKINS_WEBHOOK_SECRET: WEBHOOK_SECRET,
          PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET,
          OPSGENIE_WEBHOOK_SECRET: WEBHOOK_SECRET,
          GITLAB_WEBHOOK_SECRET: WEBHOOK_SECRET,
          THROUGHLINE_SECRET_KEY: SECRET_KEY,
        },
        { port: ssoPort },
      ),
      startServer({ HOST: "0.0.0.0", THROUGHLINE_DEMO: "never" }),
      startServer({ THROUGHLINE_DEMO: "never" }),
    ]);
    sessions.forged = "Zm9yZ2VkLXNlc3Npb24tdG9rZW4tdGhhdC1uby1vbmUtaXNzdWVk";
    sessions.viewer = (await signInWithOidc(sso.url, "vera")).session ?? null;
    sessions.admin = (await signInWithOidc(sso.url, "alice")).session ?? null;
    expect(sessions.viewer).toBeTruthy();
    expect(sessions.admin).toBeTruthy();

    // Real ids: a deployment and a CALMS round of the demo organisation, and a survey link the admin creates.
    const deployments = await (await get(`${sso.url}/deployments`, sessions.admin)).text();
    const deployment = Number(/href="\/deployments\/(\d+)"/.exec(deployments)?.[1]);
    const rounds = (await (await get(`${sso.url}/api/v1/calms/rounds`, sessions.admin)).json()) as {
      rounds: { id: number; teams: { slug: string }[] }[];
    };
    const round = rounds.rounds[0];
    const newRound = `${sso.url}/settings/survey/new`;
    const form = (await formsOf(newRound, sessions.admin)).find((f) => f.html.includes('name="title"'));
    if (!form) throw new Error("no round form on /settings/survey/new");
    const teamId = /name="teamIds" value="(\d+)"/.exec(form.html)?.[1] as string;
    // A shared team link (ADR 0014): the one link mode whose token the round's creation page shows.
    const created = await submit(newRound, form, sessions.admin, {
      title: "Matrix round",
      teamIds: teamId,
      linkMode: "team",
    });
    const createdHtml = await created.text();
    const surveyToken = /\/survey\/([A-Za-z0-9_-]{43})/.exec(createdHtml)?.[1];
    ids = {
      deployment,
      round: round?.id ?? 0,
      roundTeam: round?.teams[0]?.slug ?? "",
      surveyToken: surveyToken ?? "",
      surveyRound: Number(/href="\/settings\/survey\/(\d+)"/.exec(createdHtml)?.[1]),
    };
    expect(ids.deployment).toBeGreaterThan(0);
    expect(ids.round).toBeGreaterThan(0);
    expect(ids.roundTeam).not.toBe("");
    expect(ids.surveyToken, `created: ${created.status}`).not.toBe("");
    expect(ids.surveyRound).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await Promise.all([sso?.stop(), password?.stop(), local?.stop()]);
    await idp?.stop();
  });

  it("knows every route on disk, and every line of its table is a route", () => {
    const onDisk = discoverRoutes();
    expect(onDisk.filter((r) => r.startsWith("NONE"))).toEqual([]);
    expect(
      onDisk.filter((r) => !(r in EXPECTED)),
      "routes without an expectation",
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((r) => !onDisk.includes(r)),
      "expectations without a route",
    ).toEqual([]);
  });

  it("answers every route as expected for anonymous, a forged cookie, a viewer and an admin", async () => {
    const wrong: string[] = [];
    for (const [key, e] of Object.entries(EXPECTED)) {
      const method = key.split(" ")[0] as string;
      const url = `${sso.url}${e.path(ids)}`;
      for (const caller of CALLERS) {
        let token = sessions[caller];
        if (e.ownSession && (caller === "viewer" || caller === "admin"))
          token = (await signInWithOidc(sso.url, caller === "viewer" ? "vera" : "alice")).session ?? null;
        const res = await fetch(url, {
          method,
          body: e.body,
          headers: { ...(e.headers ?? {}), ...cookieFor(token) },
          redirect: "manual",
        });
        await res.arrayBuffer();
        const location = res.headers.get("location") ?? "";
        const expected = e.answer[caller];
        if (res.status !== expected) wrong.push(`${key} as ${caller}: ${res.status}, expected ${expected}`);
        // The proxy sends a signed-out browser to sign in, and back to where it was going afterwards.
        else if (expected === 307 && caller === "anonymous" && !location.startsWith("/signin?next="))
          wrong.push(`${key} as anonymous: redirected to ${location}`);
      }
    }
    expect(wrong).toEqual([]);
    // Hundreds of page renders one after the other: 120 s ran out on the shared 2-core machine (load 22).
  }, 600_000);

  it("says nothing about the data behind a refused page, not even in its title", async () => {
    for (const pathname of [
      "/teams/payments",
      `/deployments/${ids.deployment}`,
      "/settings/teams/payments",
    ]) {
      const res = await get(`${sso.url}${pathname}`, sessions.forged);
      const title = /<title>([^<]*)<\/title>/.exec(await res.text())?.[1];
      expect(res.status, pathname).toBe(401);
      expect(title, pathname).toMatch(/^(Settings · )?Throughline$/);
    }
  });

  it("refuses admin server actions to a viewer and to anonymous callers; runs them for the admin", async () => {
    const settings = `${sso.url}/settings`;
    const orgForm = (await formsOf(settings, sessions.admin)).find((f) => f.html.includes('name="timeZone"'));
    if (!orgForm) throw new Error("no organisation form on /settings");
    expect(actionIdOf(orgForm)).toMatch(/^[0-9a-f]{40,}$/);
    const nameNow = async () =>
      /name="name"[^>]*value="([^"]*)"/.exec(await (await get(settings, sessions.admin)).text())?.[1] ??
      /value="([^"]*)"[^>]*name="name"/.exec(await (await get(settings, sessions.admin)).text())?.[1];
    const before = await nameNow();
    expect(before).toBeTruthy();

    const refused: Record<string, number> = {};
    for (const caller of ["anonymous", "forged", "viewer"] as const) {
      const res = await submit(settings, orgForm, sessions[caller], { name: `Renamed by ${caller}` });
      refused[caller] = res.status;
      await res.arrayBuffer();
    }
    // Next answers a refused no-JavaScript action (forbidden() or unauthorized() in it) with its not-found page.
    expect(refused).toEqual({ anonymous: 404, forged: 404, viewer: 404 });
    expect(await nameNow()).toBe(before);

    // The same action called the way the browser's JavaScript calls it (Next-Action header).
    const data = (await formsOf(`${sso.url}/settings/data`, sessions.admin)).find((f) =>
      f.html.includes("Remove demo data"),
    );
    const removeDemo = data && actionIdOf(data);
    expect(removeDemo).toBeTruthy();
    for (const caller of ["anonymous", "viewer"] as const) {
      const res = await fetch(`${sso.url}/settings/data`, {
        method: "POST",
        headers: {
          ...cookieFor(sessions[caller]),
          origin: sso.url,
          "next-action": removeDemo as string,
          "content-type": "text/plain;charset=UTF-8",
        },
        body: "[]",
      });
      await res.arrayBuffer();
      expect(res.status, caller).toBe(caller === "viewer" ? 403 : 401);
    }
    // Anonymous callers learn only ok/not ok; a signed-in one also the database kind and demo state.
    expect(await (await fetch(`${sso.url}/api/health`)).json()).toEqual({ status: "ok" });
    const health = (await (
      await fetch(`${sso.url}/api/health`, { headers: { cookie: `tl_session=${sessions.viewer}` } })
    ).json()) as { demo: string };
    expect(health.demo).toBe("loaded");

    // Survey rounds: a viewer may not take a new link for a team (it would open the form and void the team's link).
    const round = `${sso.url}/settings/survey/${ids.surveyRound}`;
    const renew = (await formsOf(round, sessions.admin)).find((f) => f.html.includes("New link for"));
    if (!renew) throw new Error(`no "New link" form on ${round}`);
    const res = await submit(round, renew, sessions.viewer);
    const html = await res.text();
    expect(res.status).toBe(404);
    expect(html).not.toMatch(/\/survey\/[A-Za-z0-9_-]{43}/);
    // The team's link still works: nothing was renewed.
    expect(await (await get(`${sso.url}/survey/${ids.surveyToken}`, null)).text()).not.toContain(
      "This link does not work",
    );

    // And the admin may.
    const ok = await submit(settings, orgForm, sessions.admin, { name: "Acme (renamed by the admin)" });
    await ok.arrayBuffer();
    expect(ok.status).toBe(200);
    expect(await nameNow()).toBe("Acme (renamed by the admin)");
    const back = await submit(settings, orgForm, sessions.admin, { name: before as string });
    await back.arrayBuffer();
  });

  it("refuses cross-site posts that carry the session cookie (CSRF): sign-out and server actions", async () => {
    for (const origin of [
      "http://evil.example",
      "null",
      `http://127.0.0.1:${new URL(sso.url).port}.evil.example`,
    ]) {
      const signout = await fetch(`${sso.url}/auth/signout`, {
        method: "POST",
        headers: { ...cookieFor(sessions.viewer), origin },
        redirect: "manual",
      });
      expect(signout.status, origin).toBe(403);
    }
    // The viewer is still signed in: the forged sign-out did nothing.
    expect((await get(`${sso.url}/api/v1/teams`, sessions.viewer)).status).toBe(200);

    const settings = `${sso.url}/settings`;
    const orgForm = (await formsOf(settings, sessions.admin)).find((f) => f.html.includes('name="timeZone"'));
    if (!orgForm) throw new Error("no organisation form on /settings");
    const res = await submit(
      settings,
      orgForm,
      sessions.admin,
      { name: "Renamed cross-site" },
      "http://evil.example",
    );
    expect(res.status).toBe(403);
    expect(await (await get(settings, sessions.admin)).text()).not.toContain("Renamed cross-site");
    // A malformed Origin is refused too, not a server error.
    const odd = await fetch(`${sso.url}/auth/signout`, {
      method: "POST",
      headers: { ...cookieFor(sessions.viewer), origin: "not a url" },
      redirect: "manual",
    });
    expect(odd.status).toBe(403);
  });

  it("accepts an API token on the push and read APIs, where a session is no credential", async () => {
    const holder = liveHolder(sso.dataDir);
    if (!holder) throw new Error("the server holds no lock on its database");
    const created = (await runJobOnServer(holder, "tokens:create", { name: "matrix" }, () => {})) as {
      token: string;
    };
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await fetch(`${sso.url}/api/v1/teams`, { headers: bearer })).status).toBe(200);
    // Past authentication: the empty body is what is wrong now.
    const push = await fetch(`${sso.url}/api/v1/deployments`, {
      method: "POST",
      headers: { ...bearer, ...json },
      body: "{}",
    });
    expect(push.status).toBe(422);
    const bad = await fetch(`${sso.url}/api/v1/teams`, {
      headers: { authorization: "Bearer tl_not-a-token" },
    });
    expect(bad.status).toBe(401);
    // A bad token is not rescued by a session cookie sent alongside.
    const both = await fetch(`${sso.url}/api/v1/teams`, {
      headers: { authorization: "Bearer tl_not-a-token", ...cookieFor(sessions.admin) },
    });
    expect(both.status).toBe(401);
  });

  describe("password mode (no single sign-on, HOST=0.0.0.0)", () => {
    const passwordFrom = (log: string) => /The admin password \(shown only this once\): (\S+)/.exec(log)?.[1];

    it("prints the admin password once, and sends anonymous browsers to sign in", async () => {
      expect(passwordFrom(password.output())).toMatch(/^[A-Za-z0-9]{20}$/);
      const res = await get(`${password.url}/settings`, null);
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toBe("/signin?next=%2Fsettings");
      expect((await get(`${password.url}/api/v1/teams`, null)).status).toBe(401);
      expect((await get(`${password.url}/settings`, sessions.forged)).status).toBe(401);
      // There is no single sign-on to start here.
      const sso = await get(`${password.url}/auth/signin/oidc`, null);
      expect(new URL(sso.headers.get("location") ?? "", password.url).searchParams.get("error")).toMatch(
        /not configured/,
      );
    });

    it("refuses a wrong password, and signs the right one in as admin", async () => {
      const signin = `${password.url}/signin?next=%2Fsettings`;
      const form = (await formsOf(signin, null)).find((f) => f.html.includes('name="password"'));
      if (!form) throw new Error("no password form on /signin");
      const wrong = await submit(signin, form, null, { password: "not-the-password" });
      expect(wrong.status).toBe(200);
      expect(await wrong.text()).toContain("That is not the admin password.");
      expect(wrong.headers.getSetCookie().some((c) => c.startsWith("tl_session="))).toBe(false);

      const right = await submit(signin, form, null, { password: passwordFrom(password.output()) as string });
      expect(right.status).toBe(303);
      expect(right.headers.get("location")).toBe("/settings");
      const cookie = right.headers.getSetCookie().find((c) => c.startsWith("tl_session=")) ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=lax/i);
      const token = /^tl_session=([^;]+)/.exec(cookie)?.[1] ?? null;
      expect((await get(`${password.url}/settings`, token)).status).toBe(200);
      expect((await get(`${password.url}/api/v1/teams`, token)).status).toBe(200);
      expect(password.output()).not.toContain(token as string);
    });
  });

  describe("local mode (nothing configured, HOST=127.0.0.1)", () => {
    /** node:http, because fetch() will not send another Host header. */
    const withHost = (host: string, pathname: string, method = "GET", headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(local.url);
        const req = http.request(
          { host: u.hostname, port: u.port, path: pathname, method, headers: { host, ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });

    it("lets this machine in as admin, and answers only to localhost names (no DNS rebinding)", async () => {
      const port = new URL(local.url).port;
      expect(await withHost(`127.0.0.1:${port}`, "/settings")).toBe(200);
      expect(await withHost(`localhost:${port}`, "/settings")).toBe(200);
      for (const host of [`evil.example:${port}`, `192.168.1.20:${port}`, `localhost.evil.example:${port}`])
        expect(await withHost(host, "/settings"), host).toBe(403);
      expect(await withHost(`evil.example:${port}`, "/api/v1/teams")).toBe(403);
    });

    it("sends people on from the sign-in page only to paths on this server (no open redirect)", async () => {
      // In local mode the sign-in page sends the visitor straight on to `next`.
      for (const next of ["/deployments", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/x"]) {
        const res = await get(`${local.url}/signin?next=${encodeURIComponent(next)}`, null);
        expect(res.status, JSON.stringify(next)).toBe(307);
        const location = res.headers.get("location") ?? "";
        expect(new URL(location, local.url).origin, JSON.stringify(next)).toBe(local.url);
        expect(location, JSON.stringify(next)).toBe(next === "/deployments" ? "/deployments" : "/");
      }
    });

    it("refuses cross-site posts even without a cookie (the local admin needs none)", async () => {
      const settings = `${local.url}/settings`;
      const orgForm = (await formsOf(settings, null)).find((f) => f.html.includes('name="timeZone"'));
      if (!orgForm) throw new Error("no organisation form on /settings");
      const res = await submit(
        settings,
        orgForm,
        null,
        { name: "Renamed cross-site" },
        "http://evil.example",
      );
      expect(res.status).toBe(403);
      const same = await submit(settings, orgForm, null, { name: "Renamed here" });
      await same.arrayBuffer();
      expect(same.status).toBe(200);
      expect(await (await get(settings, null)).text()).toContain("Renamed here");
    });
  });
});
