import { createHash, randomBytes } from "node:crypto";
import { eq, lt } from "drizzle-orm";
import { NextResponse } from "next/server";
import * as oidc from "openid-client";
import type { Db } from "@/lib/db";
import { signInAttempts } from "@/lib/db/schema";
import type { AuthConfig, GithubSettings, OidcSettings } from "./config";
import { isLoopback } from "./config";
import type { Identity } from "./roles";

/**
 * The authorization-code flow with PKCE for both providers, through openid-client (a certified OpenID Connect
 * relying party; plain OAuth 2.0 for GitHub). A sign-in in progress is a row keyed by the hash of a random value
 * in the browser's `tl_signin` cookie: the callback must come back to the same browser (no login CSRF), with the
 * state it was given, within 10 minutes, once. Errors say what went wrong without echoing a secret or a token.
 */

export type Provider = "oidc" | "github";
export const SIGNIN_COOKIE = "tl_signin";
const ATTEMPT_MINUTES = 10;

export class SignInError extends Error {}

/** Back to the sign-in page, which shows the message (never a secret: SignInError messages are written for people). */
export function signInFailed(origin: string, message: string): NextResponse {
  return NextResponse.redirect(`${origin}/signin?error=${encodeURIComponent(message)}`, 303);
}

const hash = (v: string) => createHash("sha256").update(v).digest("hex");

const g = globalThis as unknown as {
  __tlOidcConfig?: Map<string, { at: number; config: Promise<oidc.Configuration> }>;
};
g.__tlOidcConfig ??= new Map();

/** Discovery is cached for 10 minutes; a failure is not cached. Plain http only for a provider on this machine. */
function oidcConfiguration(s: OidcSettings): Promise<oidc.Configuration> {
  const key = `${s.issuer} ${s.clientId} ${hash(s.clientSecret)}`;
  const cache = g.__tlOidcConfig as Map<string, { at: number; config: Promise<oidc.Configuration> }>;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < 600_000) return hit.config;
  const url = new URL(s.issuer);
  const insecure = url.protocol === "http:" && isLoopback(url.hostname);
  const config = oidc
    .discovery(
      url,
      s.clientId,
      s.clientSecret,
      undefined,
      insecure ? { execute: [oidc.allowInsecureRequests] } : {},
    )
    .then((found) => {
      // openid-client sends the secret in the form body (client_secret_post) unless told otherwise; providers that
      // register clients for client_secret_basic (the OpenID Connect default, e.g. Okta) refuse that. Basic unless
      // the provider offers only post.
      const meta = found.serverMetadata();
      const methods = meta.token_endpoint_auth_methods_supported;
      const auth =
        !methods || methods.includes("client_secret_basic")
          ? oidc.ClientSecretBasic(s.clientSecret)
          : oidc.ClientSecretPost(s.clientSecret);
      const configured = new oidc.Configuration(meta, s.clientId, s.clientSecret, auth);
      if (insecure) oidc.allowInsecureRequests(configured);
      return configured;
    })
    .catch((error: unknown) => {
      cache.delete(key);
      throw new SignInError(
        `The identity provider at ${s.issuer} could not be reached or described itself wrongly (${describe(error)}).`,
      );
    });
  cache.set(key, { at: Date.now(), config });
  return config;
}

function githubConfiguration(s: GithubSettings): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: s.webUrl,
      authorization_endpoint: `${s.webUrl}/login/oauth/authorize`,
      token_endpoint: `${s.webUrl}/login/oauth/access_token`,
    },
    s.clientId,
    s.clientSecret,
  );
  const url = new URL(s.webUrl);
  if (url.protocol === "http:" && isLoopback(url.hostname)) oidc.allowInsecureRequests(config);
  return config;
}

export function callbackUrl(base: string, provider: Provider): string {
  return `${base}/auth/callback/${provider}`;
}

/** Starts a sign-in: the provider's URL to send the browser to, and the value for the `tl_signin` cookie. */
export async function startSignIn(
  db: Db,
  auth: AuthConfig,
  provider: Provider,
  base: string,
  returnTo: string,
): Promise<{ url: string; browserToken: string }> {
  const settings = provider === "oidc" ? auth.oidc : auth.github;
  if (!settings)
    throw new SignInError(
      `Sign-in with ${provider === "oidc" ? "OpenID Connect" : "GitHub"} is not configured.`,
    );
  const config =
    provider === "oidc"
      ? await oidcConfiguration(auth.oidc as OidcSettings)
      : githubConfiguration(auth.github as GithubSettings);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = provider === "oidc" ? oidc.randomNonce() : null;
  const params: Record<string, string> = {
    redirect_uri: callbackUrl(base, provider),
    scope: provider === "oidc" ? (auth.oidc as OidcSettings).scopes : "read:user user:email read:org",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
  };
  if (nonce) params.nonce = nonce;
  const browserToken = randomBytes(32).toString("base64url");
  await db.delete(signInAttempts).where(lt(signInAttempts.expiresAt, new Date()));
  await db.insert(signInAttempts).values({
    browserHash: hash(browserToken),
    provider,
    state,
    nonce,
    codeVerifier,
    returnTo,
    expiresAt: new Date(Date.now() + ATTEMPT_MINUTES * 60_000),
  });
  return { url: oidc.buildAuthorizationUrl(config, params).href, browserToken };
}

/** Finishes a sign-in at the callback: checks it, exchanges the code, and says who signed in. */
export async function finishSignIn(
  db: Db,
  auth: AuthConfig,
  provider: Provider,
  base: string,
  query: URLSearchParams,
  browserToken: string | undefined,
): Promise<{ identity: Identity; returnTo: string }> {
  if (query.get("error"))
    throw new SignInError(
      `The provider refused the sign-in: ${query.get("error_description") || query.get("error")}.`,
    );
  if (!browserToken)
    throw new SignInError(
      "This sign-in was not started in this browser, or took too long. Please start again.",
    );
  const [attempt] = await db
    .delete(signInAttempts)
    .where(eq(signInAttempts.browserHash, hash(browserToken)))
    .returning();
  if (!attempt || attempt.provider !== provider || attempt.expiresAt < new Date())
    throw new SignInError(
      "This sign-in was not started in this browser, or took too long. Please start again.",
    );
  const current = new URL(callbackUrl(base, provider));
  for (const [k, v] of query) current.searchParams.append(k, v);
  try {
    if (provider === "oidc") {
      const settings = auth.oidc as OidcSettings;
      const config = await oidcConfiguration(settings);
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce ?? undefined,
        idTokenExpected: true,
      });
      const claims = tokens.claims() as Record<string, unknown> | undefined;
      if (!claims?.sub) throw new SignInError("The provider's ID token names no subject.");
      let info: Record<string, unknown> = {};
      // Many providers put e-mail, name and groups in the ID token only when asked to; userinfo has them.
      if (
        !claims.email ||
        !claims.name ||
        (settings.adminGroups.length && !(settings.groupsClaim in claims))
      ) {
        info = (await oidc
          .fetchUserInfo(config, tokens.access_token, String(claims.sub))
          .catch(() => ({}))) as Record<string, unknown>;
      }
      const all = { ...info, ...claims };
      const groups = all[settings.groupsClaim];
      const email = typeof all.email === "string" ? all.email : null;
      return {
        identity: {
          provider,
          subject: `oidc:${String(claims.sub)}`,
          name: String(all.name ?? all.preferred_username ?? email ?? claims.sub),
          email,
          emailVerified: all.email_verified === true,
          login: null,
          groups: Array.isArray(groups) ? groups.map(String) : typeof groups === "string" ? [groups] : [],
          orgs: [],
        },
        returnTo: attempt.returnTo,
      };
    }
    const settings = auth.github as GithubSettings;
    const tokens = await oidc.authorizationCodeGrant(githubConfiguration(settings), current, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
    });
    return { identity: await githubIdentity(settings, tokens.access_token), returnTo: attempt.returnTo };
  } catch (error) {
    if (error instanceof SignInError) throw error;
    // A wrong client id or secret is the administrator's to fix: say so, name the settings, never their values.
    if (
      ["invalid_client", "incorrect_client_credentials", "unauthorized_client"].includes(
        oauthError(error) ?? "",
      )
    )
      throw new SignInError(
        `The ${provider === "oidc" ? "identity provider" : "GitHub OAuth app"} did not accept this server's client credentials (${provider === "oidc" ? "OIDC_CLIENT_ID / OIDC_CLIENT_SECRET" : "GITHUB_OAUTH_CLIENT_ID / GITHUB_OAUTH_CLIENT_SECRET"}). Ask whoever runs Throughline to check them.`,
      );
    throw new SignInError(`The sign-in could not be completed (${describe(error)}).`);
  }
}

async function githubIdentity(s: GithubSettings, accessToken: string): Promise<Identity> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${s.apiUrl}${path}`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: "application/vnd.github+json",
        "user-agent": "throughline",
      },
    });
    if (!res.ok) throw new SignInError(`GitHub answered ${res.status} to ${path}.`);
    return (await res.json()) as T;
  };
  const user = await get<{ id: number; login: string; name: string | null; email: string | null }>("/user");
  const emails = await get<{ email: string; primary: boolean; verified: boolean }[]>("/user/emails").catch(
    () => [],
  );
  const primary = emails.find((e) => e.primary && e.verified);
  const orgs = s.orgs.length ? await get<{ login: string }[]>("/user/orgs?per_page=100") : [];
  return {
    provider: "github",
    subject: `github:${user.id}`,
    name: user.name || user.login,
    email: primary?.email ?? null,
    emailVerified: Boolean(primary),
    login: user.login,
    groups: [],
    orgs: orgs.map((o) => o.login.toLowerCase()),
  };
}

/**
 * An error's kind and message for a person, without anything that could be a credential. The OAuth error code
 * (`invalid_grant`) where the provider gave one (in an error body, in a WWW-Authenticate challenge answering Basic
 * client authentication, or in a 200 body that is no token, as GitHub answers), else the innermost message of the
 * cause chain (openid-client's own checks: `unexpected "state" response parameter value`), with anything long
 * enough to be a token or a secret cut out.
 */
function oauthError(error: unknown): string | undefined {
  const codeLike = (v: unknown) =>
    typeof v === "string" && /^[a-z][a-z0-9_.]{0,63}$/.test(v) ? v : undefined;
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const x = e as { error?: unknown; cause?: unknown; body?: { error?: unknown } };
    const challenge = Array.isArray(x.cause)
      ? (x.cause as { parameters?: { error?: string } }[]).find((c) => c.parameters?.error)?.parameters?.error
      : undefined;
    const code = codeLike(x.error) ?? codeLike(x.body?.error) ?? codeLike(challenge);
    if (code) return code;
    e = Array.isArray(x.cause) ? undefined : x.cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const code = oauthError(error);
  if (code) return code;
  let detail: string | undefined;
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const x = e as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof x.message === "string" && x.message) detail = x.message;
    else if (!detail && typeof x.code === "string") detail = x.code;
    e = Array.isArray(x.cause) ? undefined : x.cause;
  }
  return String(detail ?? "unknown error")
    .replace(/[A-Za-z0-9_-]{24,}/g, "…")
    .slice(0, 200);
}
