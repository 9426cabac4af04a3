import { createHash } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "@/scripts/lib/build";
import { type FakeGitHubOAuth, startFakeGitHubOAuth } from "@/test/fakes/github-oauth";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import {
  browse,
  CookieJar,
  oidcCallbackFor,
  startOidcProvider,
  type TestOidcProvider,
} from "@/test/helpers/oidc";
import { freePort, startServer, type TestServer } from "@/test/helpers/server";

const CLIENT_ID = "throughline-e2e";
const CLIENT_SECRET = "the-right-client-secret-4c9f1e";
const GITHUB_ID = "Iv1.e2e0000000000000";
const GITHUB_SECRET = "the-github-client-secret-77ab";
/** How long a session lasts on the server that lets them expire. */
const BRIEF_SECONDS = 4;

/** The provider's users, by the login one types into its form. */
const ACCOUNTS = {
  vera: { email: "vera@acme.test", name: "Vera Viewer", groups: ["engineering"] },
  alice: { email: "alice@acme.test", name: "Alice Admin", groups: ["engineering", "throughline-admins"] },
  carol: { email: "carol@acme.test", name: "Carol Listed" },
  eve: { email: "eve@elsewhere.test", name: "Eve Outsider" },
  // Claims the address of a listed admin, unverified: neither admin nor, with OIDC_ALLOWED_DOMAINS, in at all.
  mallory: { email: "carol@acme.test", emailVerified: false, name: "Mallory" },
};

/**
 * Sign-in end to end (issue 7) against a real OpenID Connect provider in this process and a fake GitHub, with
 * `next start` and Chromium: anonymous → sign-in page → the provider's login form → back in as viewer or admin;
 * GitHub organisation membership; and the failures: a wrong client secret, tampered callbacks and cookies, an
 * expired session, sign-out.
 */
describe.skipIf(!browserTestsRun())("sign-in with OpenID Connect and GitHub in Chromium", () => {
  let idp: TestOidcProvider;
  let github: FakeGitHubOAuth;
  /** Everything configured, with the demo organisation. */
  let sso: TestServer;
  /** Sessions of about two seconds. */
  let brief: TestServer;
  /** Started with a wrong OIDC_CLIENT_SECRET. */
  let wrongSecret: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (ensureBuilt() !== 0) throw new Error("next build failed");
    const [idpPort, ssoPort, briefPort, wrongPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    idp = await startOidcProvider({
      port: idpPort,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [ssoPort, briefPort, wrongPort].map((p) => `http://127.0.0.1:${p}/auth/callback/oidc`),
      accounts: ACCOUNTS,
    });
    github = await startFakeGitHubOAuth({
      clientId: GITHUB_ID,
      clientSecret: GITHUB_SECRET,
      accounts: [
        {
          id: 101,
          login: "octo-member",
          name: "Octo Member",
          emails: [{ email: "member@users.example", primary: true, verified: true }],
          orgs: ["Acme"],
        },
        { id: 102, login: "stranger", name: null, emails: [], orgs: ["other-org"] },
        { id: 103, login: "octo-admin", name: "Octo Admin", emails: [], orgs: [] },
      ],
    });
    const oidcEnv = {
      THROUGHLINE_AUTH: "sso",
      HOST: "127.0.0.1",
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: "Acme SSO",
      OIDC_SCOPES: "openid email profile groups",
      OIDC_ADMIN_GROUPS: "throughline-admins",
      OIDC_ALLOWED_DOMAINS: "acme.test",
      THROUGHLINE_ADMINS: "carol@acme.test,github:octo-admin",
    };
    [sso, brief, wrongSecret] = await Promise.all([
      startServer(
        {
          ...oidcEnv,
          GITHUB_OAUTH_CLIENT_ID: GITHUB_ID,
          GITHUB_OAUTH_CLIENT_SECRET: GITHUB_SECRET,
          GITHUB_OAUTH_ORGS: "acme",
          GITHUB_OAUTH_URL: github.url,
          GITHUB_API_URL: github.url,
        },
        { port: ssoPort },
      ),
      startServer(
        { ...oidcEnv, THROUGHLINE_SESSION_HOURS: String(BRIEF_SECONDS / 3600), THROUGHLINE_DEMO: "never" },
        { port: briefPort },
      ),
      startServer(
        { ...oidcEnv, OIDC_CLIENT_SECRET: "a-wrong-client-secret", THROUGHLINE_DEMO: "never" },
        { port: wrongPort },
      ),
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([sso?.stop(), brief?.stop(), wrongSecret?.stop()]);
    await idp?.stop();
    await github?.stop();
  });

  /** A fresh browser: no cookies. */
  async function person(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    return { context, page: await context.newPage() };
  }

  /** From a page that needs sign-in, through Throughline's sign-in page and the provider's login form, and back. */
  async function signInWithSso(page: Page, server: TestServer, login: string, pathname = "/") {
    await page.goto(`${server.url}${pathname}`);
    await page.waitForURL(`${server.url}/signin?next=${encodeURIComponent(pathname)}`);
    await page.getByRole("link", { name: "Continue with Acme SSO" }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL((url) => url.origin === server.url);
  }

  async function signInWithGitHub(page: Page, login: string) {
    await page.goto(`${sso.url}/signin`);
    await page.getByRole("link", { name: "Continue with GitHub" }).click();
    await page.waitForURL(`${github.url}/login/oauth/authorize**`);
    await page.getByLabel("Username").fill(login);
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.waitForURL((url) => url.origin === sso.url);
  }

  const sessionCookie = async (context: BrowserContext) =>
    (await context.cookies()).find((c) => c.name === "tl_session");

  /** A request with only this cookie, as a script replaying a stolen or stale one would. */
  const withCookie = (url: string, token: string) =>
    fetch(url, { headers: { cookie: `tl_session=${token}` }, redirect: "manual" });

  it("sends an anonymous browser to the sign-in page, which offers the configured providers", async () => {
    const { context, page } = await person();
    await page.goto(`${sso.url}/teams/payments`);
    await page.waitForURL(`${sso.url}/signin?next=%2Fteams%2Fpayments`);
    await page.getByRole("heading", { name: "Sign in to Throughline" }).waitFor();
    expect(await page.getByRole("link", { name: "Continue with Acme SSO" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Continue with GitHub" }).count()).toBe(1);
    expect(await page.getByText("Payments").count()).toBe(0);
    expect(await page.getByLabel("Admin password").count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "signin.png"), fullPage: true });
    await context.close();
  });

  it("signs a viewer in through the provider's login form, back to the page asked for; Settings is 403", async () => {
    const { context, page } = await person();
    await signInWithSso(page, sso, "vera", "/teams/payments");
    expect(page.url()).toBe(`${sso.url}/teams/payments`);
    await page.getByRole("heading", { name: "Payments", level: 1 }).waitFor();
    expect(await page.getByTestId("user-menu").innerText()).toMatch(/Vera Viewer\s*·\s*viewer/);

    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await context.cookies()).some((c) => c.name === "tl_signin")).toBe(false);

    for (const pathname of ["/", "/deployments", "/calms", "/reports"]) {
      const res = await page.goto(`${sso.url}${pathname}`);
      expect(res?.status(), pathname).toBe(200);
    }
    const settings = await page.goto(`${sso.url}/settings`);
    expect(settings?.status()).toBe(403);
    await page.getByRole("heading", { name: "Admins only" }).waitFor();
    const api = await page.evaluate(async () => (await fetch("/api/v1/teams")).status);
    expect(api).toBe(200);
    // The provider was asked with PKCE, and the client authenticated as registered (client_secret_basic).
    expect(idp.tokenAuth.at(-1)).toBe("basic");
    await context.close();
  });

  it("signs in admins by OIDC group and by THROUGHLINE_ADMINS e-mail: Settings opens", async () => {
    for (const [login, name] of [
      ["alice", "Alice Admin"],
      ["carol", "Carol Listed"],
    ] as const) {
      const { context, page } = await person();
      await signInWithSso(page, sso, login, "/settings");
      expect(page.url()).toBe(`${sso.url}/settings`);
      await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      expect(await page.getByTestId("user-menu").innerText()).toMatch(new RegExp(`${name}\\s*·\\s*admin`));
      const res = await page.goto(`${sso.url}/settings/api-tokens`);
      expect(res?.status(), login).toBe(200);
      await context.close();
    }
  });

  it("refuses an address outside OIDC_ALLOWED_DOMAINS and an unverified one, with the reason and no session", async () => {
    for (const login of ["eve", "mallory"]) {
      const { context, page } = await person();
      await signInWithSso(page, sso, login);
      await page.waitForURL(`${sso.url}/signin?error=**`);
      const alert = await page.locator("p.alert-error").innerText();
      expect(alert, login).toBe("Only verified e-mail addresses at acme.test may sign in.");
      expect(await sessionCookie(context), login).toBeUndefined();
      await context.close();
    }
  });

  it("lets a GitHub organisation member in as viewer, refuses a non-member, makes a listed login admin", async () => {
    const member = await person();
    await signInWithGitHub(member.page, "octo-member");
    expect(member.page.url()).toBe(`${sso.url}/`);
    expect(await member.page.getByTestId("user-menu").innerText()).toMatch(/Octo Member\s*·\s*viewer/);
    expect((await member.page.goto(`${sso.url}/settings`))?.status()).toBe(403);
    await member.context.close();

    const stranger = await person();
    await signInWithGitHub(stranger.page, "stranger");
    await stranger.page.waitForURL(`${sso.url}/signin?error=**`);
    expect(await stranger.page.locator("p.alert-error").innerText()).toBe(
      "Only members of acme on GitHub may sign in.",
    );
    expect(await sessionCookie(stranger.context)).toBeUndefined();
    await stranger.context.close();

    const admin = await person();
    await signInWithGitHub(admin.page, "octo-admin");
    expect(await admin.page.getByTestId("user-menu").innerText()).toMatch(/Octo Admin\s*·\s*admin/);
    expect((await admin.page.goto(`${sso.url}/settings`))?.status()).toBe(200);
    await admin.context.close();

    // The OAuth app's secret was regenerated on GitHub and not here: a clear error, no session.
    github.setClientSecret("regenerated-on-github");
    try {
      const again = await person();
      await signInWithGitHub(again.page, "octo-admin");
      await again.page.waitForURL(`${sso.url}/signin?error=**`);
      expect(await again.page.locator("p.alert-error").innerText()).toContain(
        "did not accept this server's client credentials (GITHUB_OAUTH_CLIENT_ID / GITHUB_OAUTH_CLIENT_SECRET)",
      );
      expect(await sessionCookie(again.context)).toBeUndefined();
      expect(github.errors).toContain("incorrect_client_credentials");
      await again.context.close();
    } finally {
      github.setClientSecret(GITHUB_SECRET);
    }
  });

  it("signs out: the session ends on the server, and the old cookie no longer works", async () => {
    const { context, page } = await person();
    await signInWithSso(page, sso, "vera");
    const token = (await sessionCookie(context))?.value as string;
    expect((await withCookie(`${sso.url}/api/v1/teams`, token)).status).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${sso.url}/signin?signedOut=1`);
    await page.getByText("You are signed out.").waitFor();
    expect(await sessionCookie(context)).toBeUndefined();
    // The server forgot it: replaying the cookie is refused, on the API and on a page.
    expect((await withCookie(`${sso.url}/api/v1/teams`, token)).status).toBe(401);
    expect((await withCookie(`${sso.url}/deployments`, token)).status).toBe(401);
    await context.close();
  });

  it("signs no one in with a tampered session cookie, nor with the hash the database keeps", async () => {
    const { context, page } = await person();
    await signInWithSso(page, sso, "alice");
    const cookie = (await sessionCookie(context)) as NonNullable<Awaited<ReturnType<typeof sessionCookie>>>;
    const last = cookie.value.at(-1) === "A" ? "B" : "A";
    const tampered = [
      `${cookie.value.slice(0, -1)}${last}`,
      `${cookie.value}x`,
      "a".repeat(200),
      // What a copy of the database would give away: only the SHA-256 of the token.
      createHash("sha256").update(cookie.value).digest("hex"),
    ];
    for (const value of tampered) {
      await context.addCookies([{ ...cookie, value }]);
      const res = await page.goto(`${sso.url}/settings`);
      expect(res?.status(), value.slice(0, 50)).toBe(401);
      await page.getByRole("heading", { name: "Please sign in" }).waitFor();
      expect((await withCookie(`${sso.url}/api/v1/teams`, value)).status).toBe(401);
    }
    // The genuine cookie still works: nothing above ended the session.
    expect((await withCookie(`${sso.url}/settings`, cookie.value)).status).toBe(200);
    await context.close();
  });

  it("refuses tampered callbacks: a changed code, a changed state, a replay, another browser", async () => {
    const outcome = async (jar: CookieJar, callback: string) => {
      const res = await browse(jar, callback, { stopBefore: (url) => !url.startsWith(`${sso.url}/auth/`) });
      return { location: res.url, session: jar.get(sso.url, "tl_session") };
    };
    const error = (location: string) => new URL(location).searchParams.get("error");

    // A changed code: the provider does not know it.
    const a = await oidcCallbackFor(sso.url, "alice");
    const changedCode = new URL(a.callback);
    changedCode.searchParams.set("code", `${changedCode.searchParams.get("code")}x`);
    const r1 = await outcome(a.jar, changedCode.href);
    expect(r1.location).toMatch(new RegExp(`^${sso.url}/signin\\?error=`));
    expect(error(r1.location)).toBe("The sign-in could not be completed (invalid_grant).");
    expect(r1.session).toBeUndefined();
    // The attempt is used up: even the genuine callback no longer works.
    const r1b = await outcome(a.jar, a.callback);
    expect(error(r1b.location)).toBe(
      "This sign-in was not started in this browser, or took too long. Please start again.",
    );
    expect(r1b.session).toBeUndefined();

    // A changed state.
    const b = await oidcCallbackFor(sso.url, "alice");
    const changedState = new URL(b.callback);
    changedState.searchParams.set("state", "forged-state");
    const r2 = await outcome(b.jar, changedState.href);
    expect(error(r2.location)).toBe(
      'The sign-in could not be completed (unexpected "state" response parameter value).',
    );
    expect(r2.session).toBeUndefined();

    // The genuine callback in another browser (login CSRF: a victim sent to the attacker's callback).
    const c = await oidcCallbackFor(sso.url, "alice");
    const r3 = await outcome(new CookieJar(), c.callback);
    expect(error(r3.location)).toMatch(/^This sign-in was not started in this browser/);
    // ...and with a made-up tl_signin cookie.
    const forged = new CookieJar();
    forged.set(sso.url, "tl_signin", "made-up");
    const r4 = await outcome(forged, c.callback);
    expect(error(r4.location)).toMatch(/^This sign-in was not started in this browser/);

    // The genuine callback in its own browser, once: signed in; a second time: refused.
    const r5 = await outcome(c.jar, c.callback);
    expect(r5.location).toBe(`${sso.url}/`);
    expect(r5.session).toBeTruthy();
    const again = new CookieJar();
    again.set(sso.url, "tl_signin", c.jar.get(sso.url, "tl_signin") ?? "gone");
    const r6 = await outcome(again, c.callback);
    expect(r6.session).toBeUndefined();

    // An error from the provider (the person cancelled) is shown, not trusted.
    const d = await oidcCallbackFor(sso.url, "alice");
    const cancelled = new URL(`${sso.url}/auth/callback/oidc`);
    cancelled.searchParams.set("error", "access_denied");
    cancelled.searchParams.set("state", new URL(d.callback).searchParams.get("state") ?? "");
    const r7 = await outcome(d.jar, cancelled.href);
    expect(error(r7.location)).toBe("The provider refused the sign-in: access_denied.");
    expect(r7.session).toBeUndefined();
  });

  it("ends an expired session: the browser is sent to sign in, a replayed cookie gets 401", async () => {
    const { context, page } = await person();
    await signInWithSso(page, brief, "vera");
    await page.getByRole("heading", { name: /Welcome to Throughline|Delivery overview/ }).waitFor();
    const cookie = await sessionCookie(context);
    const token = cookie?.value as string;
    expect(token).toBeTruthy();
    // The cookie lives as long as the session: THROUGHLINE_SESSION_HOURS.
    expect((cookie?.expires ?? 0) * 1000 - Date.now()).toBeLessThanOrEqual(BRIEF_SECONDS * 1000);
    expect((await withCookie(`${brief.url}/api/v1/teams`, token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, (cookie?.expires ?? 0) * 1000 + 500 - Date.now())));
    await page.goto(`${brief.url}/deployments`);
    await page.waitForURL(`${brief.url}/signin?next=%2Fdeployments`);
    // The server refuses the token itself, whatever the browser keeps.
    expect((await withCookie(`${brief.url}/api/v1/teams`, token)).status).toBe(401);
    expect((await withCookie(`${brief.url}/deployments`, token)).status).toBe(401);
    await context.addCookies([{ name: "tl_session", value: token, url: brief.url }]);
    expect((await page.goto(`${brief.url}/deployments`))?.status()).toBe(401);
    await page.getByText("You are not signed in, or your session has expired.").waitFor();
    await context.close();
  });

  it("with a wrong client secret, the person lands on the sign-in page with a clear error and no session", async () => {
    const before = idp.errors.length;
    const { context, page } = await person();
    await signInWithSso(page, wrongSecret, "alice");
    await page.waitForURL(`${wrongSecret.url}/signin?error=**`);
    const alert = await page.locator("p.alert-error").innerText();
    expect(alert).toContain("did not accept this server's client credentials");
    expect(alert).not.toContain("a-wrong-client-secret");
    expect(await sessionCookie(context)).toBeUndefined();
    expect(idp.errors.slice(before).join("\n")).toContain("invalid_client");
    expect((await page.goto(`${wrongSecret.url}/settings`))?.status()).toBe(200);
    expect(page.url()).toContain("/signin?next=");
    await context.close();
  });

  it("never writes a secret or a session token to the server's output", async () => {
    for (const server of [sso, brief, wrongSecret]) {
      const log = server.output();
      for (const secret of [CLIENT_SECRET, GITHUB_SECRET, "a-wrong-client-secret"])
        expect(log).not.toContain(secret);
      expect(log).not.toMatch(/tl_session=/);
    }
  });
});
