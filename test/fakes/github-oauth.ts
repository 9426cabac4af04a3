import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * GitHub's OAuth web flow and the three API calls sign-in makes, for sign-in tests: an authorize page where one picks
 * a login (GitHub's own page asks for a password and consent; the fake only asks who), the token exchange (client
 * secret and PKCE checked; a code works once), and GET /user, /user/emails, /user/orgs for the token. Like GitHub,
 * the token endpoint answers errors with 200 and an `error` field.
 */

export interface FakeGitHubAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
  orgs: string[];
}

export interface FakeGitHubOAuth {
  url: string;
  /** Token-endpoint errors answered, e.g. `incorrect_client_credentials`. */
  errors: string[];
  /** What the OAuth app's secret is now (as if it were regenerated on GitHub). */
  setClientSecret: (secret: string) => void;
  stop: () => Promise<void>;
}

interface PendingCode {
  login: string;
  redirectUri: string;
  challenge: string;
}

const page = (body: string) =>
  `<!doctype html><html><head><title>Sign in to GitHub</title></head><body><h1>Sign in to GitHub</h1>${body}</body></html>`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

export async function startFakeGitHubOAuth(options: {
  clientId: string;
  clientSecret: string;
  accounts: FakeGitHubAccount[];
}): Promise<FakeGitHubOAuth> {
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, string>();
  const errors: string[] = [];
  let clientSecret = options.clientSecret;
  const account = (login: string) => options.accounts.find((a) => a.login === login);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      if (url.pathname === "/login/oauth/authorize" && req.method === "GET") {
        const q = url.searchParams;
        if (q.get("client_id") !== options.clientId || !q.get("redirect_uri"))
          return json(404, { message: "Not Found" });
        const hidden = ["redirect_uri", "state", "code_challenge", "code_challenge_method"]
          .map((n) => `<input type="hidden" name="${n}" value="${esc(q.get(n) ?? "")}">`)
          .join("");
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(
          page(
            `<form method="post" action="/login/oauth/authorize">${hidden}<label>Username <input name="login"></label> <button type="submit">Authorize</button></form>`,
          ),
        );
      }
      if (url.pathname === "/login/oauth/authorize" && req.method === "POST") {
        const form = await readForm(req);
        const login = form.get("login") ?? "";
        if (!account(login)) {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(page("<p>Incorrect username or password.</p>"));
        }
        if (form.get("code_challenge_method") !== "S256") return json(400, { message: "PKCE S256 expected" });
        const code = randomBytes(10).toString("hex");
        const redirectUri = form.get("redirect_uri") ?? "";
        codes.set(code, { login, redirectUri, challenge: form.get("code_challenge") ?? "" });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", form.get("state") ?? "");
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
        const form = await readForm(req);
        let clientId = form.get("client_id");
        let secret = form.get("client_secret");
        const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
        if (basic) {
          const [id, pw] = Buffer.from(basic[1] as string, "base64")
            .toString()
            .split(":")
            .map(decodeURIComponent);
          clientId = id ?? null;
          secret = pw ?? null;
        }
        const fail = (error: string) => {
          errors.push(error);
          return json(200, { error, error_description: error.replaceAll("_", " ") });
        };
        if (clientId !== options.clientId || secret !== clientSecret)
          return fail("incorrect_client_credentials");
        const code = form.get("code") ?? "";
        const pending = codes.get(code);
        codes.delete(code);
        if (!pending) return fail("bad_verification_code");
        if (form.get("redirect_uri") && form.get("redirect_uri") !== pending.redirectUri)
          return fail("redirect_uri_mismatch");
        const verifier = form.get("code_verifier") ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== pending.challenge)
          return fail("bad_verification_code");
        const token = `gho_${randomBytes(16).toString("hex")}`;
        tokens.set(token, pending.login);
        return json(200, {
          access_token: token,
          token_type: "bearer",
          scope: "read:org,read:user,user:email",
        });
      }
      const auth = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? "");
      const who = auth ? account(tokens.get(auth[1] as string) ?? "") : undefined;
      if (["/user", "/user/emails", "/user/orgs"].includes(url.pathname) && req.method === "GET") {
        if (!who) return json(401, { message: "Requires authentication" });
        if (url.pathname === "/user")
          return json(200, { id: who.id, login: who.login, name: who.name, email: null });
        if (url.pathname === "/user/emails") return json(200, who.emails);
        return json(
          200,
          who.orgs.map((login, i) => ({ login, id: 1000 + i })),
        );
      }
      return json(404, { message: "Not Found" });
    } catch (error) {
      json(500, { message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    errors,
    setClientSecret: (secret) => {
      clientSecret = secret;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
