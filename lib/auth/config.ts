import { z } from "zod";

/**
 * How people sign in (README § Access control, ADR 0010), from the environment:
 * - `sso`: OpenID Connect (OIDC_*) and/or GitHub (GITHUB_OAUTH_*); roles from THROUGHLINE_ADMINS or an OIDC group.
 * - `local`: nothing configured and the server bound to a loopback address: whoever can reach it is on this
 *   machine, and is the admin. Zero setup on a laptop.
 * - `password`: nothing configured and the server reachable from a network: one `admin` with a password printed
 *   once on first start. A server exposed on a network is never open by accident.
 * `THROUGHLINE_AUTH=auto` (the default) picks in that order; `local` on a non-loopback HOST is refused.
 */

const empty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodType<string>>(schema: T) => z.preprocess(empty, schema.optional());
const optString = () => opt(z.string());
const list = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean)
      : [],
  z.array(z.string()),
);

const AuthEnv = z.object({
  THROUGHLINE_AUTH: z.preprocess(empty, z.enum(["auto", "local", "password", "sso"]).default("auto")),
  HOST: z.preprocess(empty, z.string().default("127.0.0.1")),
  AUTH_URL: opt(z.url("AUTH_URL must be the server's public URL, e.g. https://throughline.example.com")),
  OIDC_ISSUER: opt(z.url("OIDC_ISSUER must be the issuer URL, e.g. https://login.example.com/realms/acme")),
  OIDC_CLIENT_ID: optString(),
  OIDC_CLIENT_SECRET: optString(),
  OIDC_NAME: z.preprocess(empty, z.string().default("Single sign-on")),
  OIDC_SCOPES: z.preprocess(empty, z.string().default("openid email profile")),
  OIDC_GROUPS_CLAIM: z.preprocess(empty, z.string().default("groups")),
  OIDC_ADMIN_GROUPS: list,
  GITHUB_OAUTH_CLIENT_ID: optString(),
  GITHUB_OAUTH_CLIENT_SECRET: optString(),
  GITHUB_OAUTH_ORGS: list,
  GITHUB_OAUTH_URL: z.preprocess(empty, z.url().default("https://github.com")),
  GITHUB_API_URL: z.preprocess(empty, z.url().default("https://api.github.com")),
  THROUGHLINE_ADMINS: list,
  OIDC_ALLOWED_DOMAINS: list,
  THROUGHLINE_SESSION_HOURS: z.preprocess(
    empty,
    z.coerce
      .number()
      // Down to ~2 seconds: the end-to-end tests let a session expire (test/e2e/oidc.test.ts).
      .min(0.0005)
      .max(24 * 30)
      .default(12),
  ),
});

export type AuthMode = "local" | "password" | "sso";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  scopes: string;
  groupsClaim: string;
  adminGroups: string[];
}

export interface GithubSettings {
  clientId: string;
  clientSecret: string;
  orgs: string[];
  webUrl: string;
  apiUrl: string;
}

export interface AuthConfig {
  mode: AuthMode;
  /** The public URL when set (behind a proxy); else each request's own origin. */
  publicUrl: string | null;
  oidc: OidcSettings | null;
  github: GithubSettings | null;
  admins: string[];
  allowedDomains: string[];
  sessionHours: number;
}

export class AuthConfigError extends Error {}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Parsed per call, like lib/env.ts: tests change process.env. Never logs a secret. */
export function readAuthConfig(source: NodeJS.ProcessEnv = process.env): AuthConfig {
  const parsed = AuthEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new AuthConfigError(`Invalid sign-in settings:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean))
    throw new AuthConfigError(
      "OpenID Connect needs all three of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.",
    );
  if (Boolean(e.GITHUB_OAUTH_CLIENT_ID) !== Boolean(e.GITHUB_OAUTH_CLIENT_SECRET))
    throw new AuthConfigError(
      "GitHub sign-in needs both GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET.",
    );
  const oidc: OidcSettings | null = e.OIDC_ISSUER
    ? {
        issuer: e.OIDC_ISSUER,
        clientId: e.OIDC_CLIENT_ID as string,
        clientSecret: e.OIDC_CLIENT_SECRET as string,
        name: e.OIDC_NAME,
        scopes: e.OIDC_SCOPES,
        groupsClaim: e.OIDC_GROUPS_CLAIM,
        adminGroups: e.OIDC_ADMIN_GROUPS,
      }
    : null;
  const github: GithubSettings | null = e.GITHUB_OAUTH_CLIENT_ID
    ? {
        clientId: e.GITHUB_OAUTH_CLIENT_ID,
        clientSecret: e.GITHUB_OAUTH_CLIENT_SECRET as string,
        orgs: e.GITHUB_OAUTH_ORGS,
        webUrl: e.GITHUB_OAUTH_URL.replace(/\/+$/, ""),
        apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ""),
      }
    : null;
  const sso = Boolean(oidc || github);
  let mode: AuthMode;
  if (e.THROUGHLINE_AUTH === "auto") mode = sso ? "sso" : isLoopback(e.HOST) ? "local" : "password";
  else mode = e.THROUGHLINE_AUTH;
  if (mode === "sso" && !sso)
    throw new AuthConfigError(
      "THROUGHLINE_AUTH=sso needs OIDC_ISSUER/OIDC_CLIENT_ID/OIDC_CLIENT_SECRET or GITHUB_OAUTH_CLIENT_ID/GITHUB_OAUTH_CLIENT_SECRET.",
    );
  if (mode === "local" && !isLoopback(e.HOST))
    throw new AuthConfigError(
      `THROUGHLINE_AUTH=local lets everyone who reaches the server in as admin, so it needs HOST to be a loopback address (127.0.0.1), not ${e.HOST}. Configure single sign-on or use THROUGHLINE_AUTH=password.`,
    );
  return {
    mode,
    publicUrl: e.AUTH_URL ? e.AUTH_URL.replace(/\/+$/, "") : null,
    oidc,
    github,
    admins: e.THROUGHLINE_ADMINS,
    allowedDomains: e.OIDC_ALLOWED_DOMAINS,
    sessionHours: e.THROUGHLINE_SESSION_HOURS,
  };
}

/**
 * The address the server process was told to listen on (`next start -H …` / `next dev -H …`), from its own command
 * line; null when none was given, which for `next start` and `next dev` means every interface. `undefined` when
 * this process is not a Next CLI (tests, scripts).
 */
export function listenAddress(argv: readonly string[] = process.argv): string | null | undefined {
  const command = argv.slice(2).find((a) => !a.startsWith("-"));
  if (command !== "start" && command !== "dev") return undefined;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "-H" || a === "--hostname") return argv[i + 1] ?? null;
    if (a.startsWith("--hostname=")) return a.slice("--hostname=".length);
  }
  return null;
}
