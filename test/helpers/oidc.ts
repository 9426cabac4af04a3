import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type OidcContext } from "oidc-provider";

/**
 * A real OpenID Connect provider in the test process (oidc-provider, a certified implementation): authorization code
 * with PKCE required, one confidential client authenticating with client_secret_basic, accounts with e-mail, name
 * and groups, and its development login form (any password) so that a browser or a plain HTTP client can sign in.
 */

export interface OidcTestAccount {
  email: string;
  emailVerified?: boolean;
  name: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Errors the provider reported (`grant.error`, `server_error`…): `invalid_client` for a wrong secret. */
  errors: string[];
  /** How each token request authenticated the client: `basic` (Authorization header) or `post` (form body). */
  tokenAuth: string[];
  stop: () => Promise<void>;
}

export async function startOidcProvider(options: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** By login name: what one types in the provider's login form. */
  accounts: Record<string, OidcTestAccount>;
}): Promise<TestOidcProvider> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const errors: string[] = [];
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    // `groups` is a scope of its own, as on most providers: Throughline asks for it through OIDC_SCOPES.
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
          groups: account.groups ?? [],
        }),
      };
    },
    // A first-party client: the user is not asked to consent, the requested scopes are granted.
    async loadExistingGrant(ctx: OidcContext) {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId as string;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session?.accountId as string });
      grant.addOIDCScope(String(oidc.params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["test-cookie-key-not-secret"] },
  });
  for (const event of ["grant.error", "server_error", "authorization.error", "userinfo.error"])
    provider.on(event, (_ctx, error) => {
      const e = error as { error?: string; message?: string };
      errors.push(`${event}: ${e.error ?? e.message}`);
    });
  const tokenAuth: string[] = [];
  const handle = provider.callback();
  const server = http.createServer((req, res) => {
    if (req.method === "POST" && req.url?.startsWith("/token"))
      tokenAuth.push(req.headers.authorization?.startsWith("Basic ") ? "basic" : "post");
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    issuer: `http://127.0.0.1:${port}`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    errors,
    tokenAuth,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies by host, enough for following a sign-in across two servers on 127.0.0.1 (paths are ignored). */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  private jar(url: string): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.byHost.get(host);
    if (!jar) {
      jar = new Map();
      this.byHost.set(host, jar);
    }
    return jar;
  }

  header(url: string): string {
    return [...this.jar(url)].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get(url: string, name: string): string | undefined {
    return this.jar(url).get(name);
  }

  set(url: string, name: string, value: string): void {
    this.jar(url).set(name, value);
  }

  delete(url: string, name: string): void {
    this.jar(url).delete(name);
  }

  store(url: string, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone =
        value === "" ||
        attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) ||
        attributes.some((a) => {
          const m = /^\s*expires=(.*)$/i.exec(a);
          return m ? new Date(m[1] as string).getTime() < Date.now() : false;
        });
      if (gone) this.delete(url, name);
      else this.set(url, name, value);
    }
  }
}

export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

/** fetch() that follows redirects by hand, carrying cookies like a browser; returns every hop. */
export async function browse(
  jar: CookieJar,
  start: string,
  init: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    /** Stops before requesting a URL it matches; `url` is then that URL, `response` the redirect to it. */
    stopBefore?: (url: string) => boolean;
  } = {},
): Promise<{ response: Response; url: string; hops: Hop[] }> {
  let url = start;
  let method = init.method ?? "GET";
  let body = init.body;
  let headers = init.headers ?? {};
  const hops: Hop[] = [];
  for (let i = 0; i < 20; i++) {
    const cookie = jar.header(url);
    const response = await fetch(url, {
      method,
      body,
      redirect: "manual",
      headers: { ...headers, ...(cookie ? { cookie } : {}) },
    });
    jar.store(url, response);
    const location = response.headers.get("location");
    hops.push({ url, status: response.status, location });
    if (response.status < 300 || response.status >= 400 || !location) return { response, url, hops };
    await response.arrayBuffer();
    url = new URL(location, url).href;
    if (init.stopBefore?.(url)) return { response, url, hops };
    if (response.status !== 307 && response.status !== 308) {
      method = "GET";
      body = undefined;
      headers = {};
    }
  }
  throw new Error(`too many redirects from ${start}`);
}

/**
 * Goes through the provider's login form and stops where the provider sends the browser back to Throughline:
 * returns that callback URL (with the code and state) and the jar holding the `tl_signin` cookie.
 */
export async function oidcCallbackFor(
  serverUrl: string,
  login: string,
): Promise<{ jar: CookieJar; callback: string }> {
  const jar = new CookieJar();
  const start = await browse(jar, `${serverUrl}/auth/signin/oidc?next=%2F`);
  const html = await start.response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form at ${start.url} (${start.response.status})`);
  const end = await browse(jar, new URL(action.replaceAll("&amp;", "&"), start.url).href, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ prompt: "login", login, password: "any password" }).toString(),
    stopBefore: (url) => url.startsWith(`${serverUrl}/auth/callback/`),
  });
  if (!end.url.startsWith(`${serverUrl}/auth/callback/`))
    throw new Error(`the provider did not send back: ${end.url}`);
  return { jar, callback: end.url };
}

/**
 * Signs in to Throughline through the provider's login form without a browser, the way a browser would: start at
 * /auth/signin/oidc, post the provider's form, follow the redirects back through the callback. Returns the jar (with
 * tl_session when it worked) and the page it ended on.
 */
export async function signInWithOidc(
  serverUrl: string,
  login: string,
  next = "/",
): Promise<{ jar: CookieJar; session: string | undefined; url: string; status: number; hops: Hop[] }> {
  const jar = new CookieJar();
  const start = await browse(jar, `${serverUrl}/auth/signin/oidc?next=${encodeURIComponent(next)}`);
  const html = await start.response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action)
    throw new Error(`no login form at ${start.url} (${start.response.status}):\n${html.slice(0, 500)}`);
  const end = await browse(jar, new URL(action.replaceAll("&amp;", "&"), start.url).href, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ prompt: "login", login, password: "any password" }).toString(),
  });
  await end.response.arrayBuffer();
  return {
    jar,
    session: jar.get(serverUrl, "tl_session"),
    url: end.url,
    status: end.response.status,
    hops: [...start.hops, ...end.hops],
  };
}
