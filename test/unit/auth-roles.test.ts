import { describe, expect, it } from "vitest";
import { AuthConfigError, isLoopback, readAuthConfig } from "@/lib/auth/config";
import { safeReturnTo } from "@/lib/auth/cookies";
import { decideRole, hasRole, type Identity } from "@/lib/auth/roles";

/** Who gets in, as what (lib/auth/roles.ts), and which sign-in mode the environment selects (lib/auth/config.ts). */

const OIDC = {
  OIDC_ISSUER: "https://login.example.com/realms/acme",
  OIDC_CLIENT_ID: "throughline",
  OIDC_CLIENT_SECRET: "s3cret",
};
const GITHUB = { GITHUB_OAUTH_CLIENT_ID: "Iv1.abc", GITHUB_OAUTH_CLIENT_SECRET: "gh-secret" };

const config = (env: Record<string, string>) => readAuthConfig(env as NodeJS.ProcessEnv);

function oidcUser(over: Partial<Identity> = {}): Identity {
  return {
    provider: "oidc",
    subject: "oidc:1234",
    name: "Alice",
    email: "alice@acme.com",
    emailVerified: true,
    login: null,
    groups: [],
    orgs: [],
    ...over,
  };
}

function githubUser(over: Partial<Identity> = {}): Identity {
  return {
    provider: "github",
    subject: "github:42",
    name: "Octo Cat",
    email: "octo@users.example",
    emailVerified: true,
    login: "octocat",
    groups: [],
    orgs: [],
    ...over,
  };
}

describe("decideRole", () => {
  it("makes an OIDC user listed by verified e-mail in THROUGHLINE_ADMINS an admin, case-insensitively", () => {
    const c = config({ ...OIDC, THROUGHLINE_ADMINS: " Bob@acme.com , ALICE@Acme.com" });
    expect(decideRole(c, oidcUser())).toEqual({ role: "admin" });
    expect(decideRole(c, oidcUser({ email: "Alice@ACME.com" }))).toEqual({ role: "admin" });
  });

  it("never matches an unverified e-mail: not to the admin list, not to the allowed domains", () => {
    const c = config({ ...OIDC, THROUGHLINE_ADMINS: "alice@acme.com" });
    expect(decideRole(c, oidcUser({ emailVerified: false }))).toEqual({ role: "viewer" });
    const narrowed = config({
      ...OIDC,
      THROUGHLINE_ADMINS: "alice@acme.com",
      OIDC_ALLOWED_DOMAINS: "acme.com",
    });
    expect(decideRole(narrowed, oidcUser({ emailVerified: false }))).toHaveProperty("refused");
    // An unverified GitHub e-mail does not make an admin either.
    const gh = config({ ...GITHUB, GITHUB_OAUTH_ORGS: "acme", THROUGHLINE_ADMINS: "octo@users.example" });
    expect(decideRole(gh, githubUser({ emailVerified: false, orgs: ["acme"] }))).toEqual({ role: "viewer" });
    expect(decideRole(gh, githubUser({ orgs: ["acme"] }))).toEqual({ role: "admin" });
  });

  it("makes an OIDC user in one of OIDC_ADMIN_GROUPS an admin; other groups are viewers", () => {
    const c = config({ ...OIDC, OIDC_ADMIN_GROUPS: "throughline-admins, platform" });
    expect(decideRole(c, oidcUser({ groups: ["engineering", "Throughline-Admins"] }))).toEqual({
      role: "admin",
    });
    expect(decideRole(c, oidcUser({ groups: ["engineering"] }))).toEqual({ role: "viewer" });
    expect(decideRole(c, oidcUser({ groups: [] }))).toEqual({ role: "viewer" });
  });

  it("ignores group values on a GitHub identity (groups are an OIDC claim)", () => {
    const c = config({ ...OIDC, ...GITHUB, OIDC_ADMIN_GROUPS: "admins", GITHUB_OAUTH_ORGS: "acme" });
    expect(decideRole(c, githubUser({ groups: ["admins"], orgs: ["acme"] }))).toEqual({ role: "viewer" });
  });

  it("lets GitHub users in only as members of GITHUB_OAUTH_ORGS", () => {
    const c = config({ ...GITHUB, GITHUB_OAUTH_ORGS: "Acme, acme-labs" });
    expect(decideRole(c, githubUser({ orgs: ["acme-labs"] }))).toEqual({ role: "viewer" });
    const refused = decideRole(c, githubUser({ orgs: ["other"] }));
    expect(refused).toEqual({ refused: "Only members of acme, acme-labs on GitHub may sign in." });
    expect(decideRole(c, githubUser({ orgs: [] }))).toHaveProperty("refused");
  });

  it("refuses every GitHub user but the listed admins when no organisation is configured", () => {
    const c = config({ ...GITHUB, THROUGHLINE_ADMINS: "github:OctoCat" });
    expect(decideRole(c, githubUser({ login: "someone-else", email: null, emailVerified: false }))).toEqual({
      refused:
        "This GitHub account is not an admin, and no organisation's members may sign in (GITHUB_OAUTH_ORGS).",
    });
    expect(decideRole(c, githubUser({ orgs: [] }))).toEqual({ role: "admin" });
  });

  it("matches github:<login> only for GitHub identities", () => {
    const c = config({ ...OIDC, ...GITHUB, THROUGHLINE_ADMINS: "github:octocat", GITHUB_OAUTH_ORGS: "acme" });
    expect(decideRole(c, githubUser({ login: "OctoCat" }))).toEqual({ role: "admin" });
    // An OIDC provider cannot claim a GitHub login.
    expect(decideRole(c, oidcUser({ login: "octocat", email: "github:octocat" }))).toEqual({
      role: "viewer",
    });
  });

  it("narrows OIDC viewers to OIDC_ALLOWED_DOMAINS by verified e-mail", () => {
    const c = config({ ...OIDC, OIDC_ALLOWED_DOMAINS: "acme.com,ACME.io" });
    expect(decideRole(c, oidcUser())).toEqual({ role: "viewer" });
    expect(decideRole(c, oidcUser({ email: "bob@Acme.IO" }))).toEqual({ role: "viewer" });
    for (const email of [
      "eve@evil.com",
      "eve@sub.acme.com",
      "eve@acme.com.evil.com",
      "eve@evil.com@acme.com",
    ])
      expect(decideRole(c, oidcUser({ email })), email).toEqual({
        refused: "Only verified e-mail addresses at acme.com, acme.io may sign in.",
      });
    expect(decideRole(c, oidcUser({ email: null }))).toHaveProperty("refused");
  });

  it("lets anyone the OIDC provider signs in be a viewer when no domain is configured", () => {
    expect(decideRole(config(OIDC), oidcUser({ email: null, emailVerified: false }))).toEqual({
      role: "viewer",
    });
  });

  it("ranks roles: an admin has the viewer role, a viewer not the admin one, nobody has none", () => {
    expect(hasRole("admin", "viewer")).toBe(true);
    expect(hasRole("admin", "admin")).toBe(true);
    expect(hasRole("viewer", "viewer")).toBe(true);
    expect(hasRole("viewer", "admin")).toBe(false);
    expect(hasRole(null, "viewer")).toBe(false);
    expect(hasRole(undefined, "viewer")).toBe(false);
  });
});

describe("readAuthConfig: the sign-in mode", () => {
  it("auto with nothing configured: local on a loopback HOST, password on a network address", () => {
    expect(config({}).mode).toBe("local");
    for (const HOST of ["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"])
      expect(config({ HOST }).mode, HOST).toBe("local");
    for (const HOST of ["0.0.0.0", "::", "192.168.1.20", "throughline.example.com"])
      expect(config({ HOST }).mode, HOST).toBe("password");
  });

  it("auto with OIDC or GitHub configured: sso, on any HOST", () => {
    expect(config({ ...OIDC }).mode).toBe("sso");
    expect(config({ ...OIDC, HOST: "0.0.0.0" }).mode).toBe("sso");
    expect(config({ ...GITHUB, HOST: "0.0.0.0" }).mode).toBe("sso");
    const both = config({ ...OIDC, ...GITHUB, GITHUB_OAUTH_ORGS: "Acme" });
    expect(both.oidc).toMatchObject({
      issuer: OIDC.OIDC_ISSUER,
      clientId: "throughline",
      groupsClaim: "groups",
    });
    expect(both.github).toMatchObject({
      orgs: ["acme"],
      webUrl: "https://github.com",
      apiUrl: "https://api.github.com",
    });
  });

  it("refuses THROUGHLINE_AUTH=local on a network address, and says why", () => {
    expect(() => config({ THROUGHLINE_AUTH: "local", HOST: "0.0.0.0" })).toThrow(AuthConfigError);
    expect(() => config({ THROUGHLINE_AUTH: "local", HOST: "0.0.0.0" })).toThrow(/loopback/);
    expect(config({ THROUGHLINE_AUTH: "local", HOST: "127.0.0.1" }).mode).toBe("local");
  });

  it("THROUGHLINE_AUTH=password works on loopback too; sso needs a provider", () => {
    expect(config({ THROUGHLINE_AUTH: "password" }).mode).toBe("password");
    expect(() => config({ THROUGHLINE_AUTH: "sso" })).toThrow(AuthConfigError);
    expect(() => config({ THROUGHLINE_AUTH: "nobody" })).toThrow(/THROUGHLINE_AUTH/);
  });

  it("refuses half-configured OIDC or GitHub sign-in instead of silently falling back", () => {
    const { OIDC_CLIENT_SECRET: _secret, ...noSecret } = OIDC;
    expect(() => config(noSecret)).toThrow(/all three of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    expect(() => config({ OIDC_CLIENT_ID: "x", HOST: "0.0.0.0" })).toThrow(AuthConfigError);
    expect(() => config({ OIDC_ISSUER: OIDC.OIDC_ISSUER })).toThrow(AuthConfigError);
    expect(() => config({ GITHUB_OAUTH_CLIENT_ID: "x" })).toThrow(/GITHUB_OAUTH_CLIENT_SECRET/);
    expect(() => config({ ...OIDC, OIDC_ISSUER: "not a url" })).toThrow(/OIDC_ISSUER/);
    // Blank values count as unset (an .env file with `OIDC_ISSUER=`).
    expect(config({ OIDC_ISSUER: " ", OIDC_CLIENT_ID: "", OIDC_CLIENT_SECRET: "" }).mode).toBe("local");
  });

  it("never puts a secret in its error messages", () => {
    const messages: string[] = [];
    const envs: Record<string, string>[] = [
      { OIDC_CLIENT_SECRET: "top-secret-value" },
      { GITHUB_OAUTH_CLIENT_SECRET: "top-secret-value" },
      { ...OIDC, OIDC_CLIENT_SECRET: "top-secret-value", THROUGHLINE_SESSION_HOURS: "-1" },
    ];
    for (const env of envs)
      try {
        config(env);
      } catch (error) {
        messages.push((error as Error).message);
      }
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(m).not.toContain("top-secret-value");
  });

  it("reads the session length, the public URL and the lists", () => {
    const c = config({
      ...OIDC,
      THROUGHLINE_SESSION_HOURS: "8",
      AUTH_URL: "https://throughline.example.com/",
      OIDC_ALLOWED_DOMAINS: "acme.com",
    });
    expect(c).toMatchObject({
      sessionHours: 8,
      publicUrl: "https://throughline.example.com",
      allowedDomains: ["acme.com"],
    });
    expect(config({}).sessionHours).toBe(12);
    expect(() => config({ THROUGHLINE_SESSION_HOURS: "0" })).toThrow(/THROUGHLINE_SESSION_HOURS/);
  });

  it("knows the loopback names", () => {
    expect(isLoopback("localhost")).toBe(true);
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("[::1]")).toBe(true);
    expect(isLoopback("localhost.evil.com")).toBe(false);
    expect(isLoopback("127.0.0.1.evil.com")).toBe(false);
    expect(isLoopback("0.0.0.0")).toBe(false);
  });
});

describe("safeReturnTo: where sign-in sends people afterwards", () => {
  it("keeps paths on this server", () => {
    expect(safeReturnTo("/teams/payments?period=30d")).toBe("/teams/payments?period=30d");
    expect(safeReturnTo("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(safeReturnTo(undefined)).toBe("/");
  });

  it("refuses anything a browser would take to another host, and the sign-in pages themselves", () => {
    for (const next of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "\t//evil.example",
      "/\r\n/evil.example",
      "/\\/evil.example",
      "/\u0000/evil.example",
      "evil.example",
      "/signin?next=//evil.example",
      "/auth/signin/oidc",
    ])
      expect(safeReturnTo(next), JSON.stringify(next)).toBe("/");
  });
});
