import { createHash, createVerify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Budget } from "./budget";
import { type Fault, faultOutcome, matches, type RecordedRequest } from "./faults";
import { type GraphQLRequest, handleGraphQL, parseQuery } from "./graphql";
import { emptyData, type FakeData } from "./model";
import { handleRest, type RestReply } from "./rest";
import { operationOf } from "./schema";

/**
 * A local GitHub on node:http: token auth, rate-limit budgets and headers, ETags and 304s on REST GETs, injected
 * faults, and a log of every request. Use `url` as octokit's `baseUrl` (GraphQL is at `${url}/graphql`).
 */

export interface FakeGitHubOptions {
  /** The token requests must carry (`token …` or `bearer …`); default "test-token". */
  token?: string;
  /**
   * A GitHub App: `POST /app/installations/{installationId}/access_tokens` with an RS256 JWT signed by the App's
   * key (issuer = appId, not expired) returns `token`, which then authorises requests like any token.
   */
  app?: { appId: string; publicKey: string; installationId: number };
  data?: FakeData;
  /** Points per hour, per resource (default 5,000 for both). */
  rateLimit?: { core?: number; graphql?: number };
}

export interface FakeGitHub {
  url: string;
  /** Mutable: the next request sees changes. */
  data: FakeData;
  requests: RecordedRequest[];
  budgets: { core: Budget; graphql: Budget };
  inject(fault: Fault): void;
  /** Clears the request log and pending faults, and refills the budgets. */
  reset(): void;
  close(): Promise<void>;
}

const JSON_TYPE = "application/json; charset=utf-8";

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const token = options.token ?? "test-token";
  const budgets = {
    core: new Budget("core", options.rateLimit?.core),
    graphql: new Budget("graphql", options.rateLimit?.graphql),
  };
  const faults: { fault: Fault; left: number }[] = [];
  let served = 0;

  const fake: FakeGitHub = {
    url: "",
    data: options.data ?? emptyData(),
    requests: [],
    budgets,
    inject: (fault) => {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    reset: () => {
      fake.requests.length = 0;
      faults.length = 0;
      budgets.core.restore();
      budgets.graphql.restore();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", fake.url);
    const rec = record(req, url, raw);
    fake.requests.push(rec);
    const requestId = `FAKE:${(++served).toString(16).toUpperCase().padStart(4, "0")}`;
    const graphql = url.pathname === "/graphql";
    const budget = graphql ? budgets.graphql : budgets.core;
    /** `json`: the body already serialised (for its ETag). */
    const send = (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
      opts: { truncate?: boolean; json?: string } = {},
    ) => {
      rec.status = status;
      if (res.destroyed) return; // the client gave up (a delay fault outlived its timeout)
      const text =
        opts.json ?? (body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body));
      const buf = Buffer.from(text, "utf8");
      res.writeHead(status, {
        "content-type": typeof body === "string" ? "text/html; charset=utf-8" : JSON_TYPE,
        "x-github-request-id": requestId,
        "x-github-media-type": "github.v3; format=json",
        ...(status === 304 ? {} : { "content-length": String(buf.length) }),
        ...headers,
      });
      if (!opts.truncate) return void res.end(status === 304 ? undefined : buf);
      res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.destroy());
    };

    const install = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (install && req.method === "POST" && options.app) {
      const ok =
        Number(install[1]) === options.app.installationId &&
        validAppJwt(req.headers.authorization, options.app);
      if (!ok)
        return send(
          401,
          { message: "A JSON web token could not be decoded", status: "401" },
          budget.headers(),
        );
      return send(
        201,
        { token, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} },
        budget.headers(),
      );
    }

    if (!authorized(req.headers.authorization, token)) {
      const message = graphql
        ? "This endpoint requires you to be authenticated."
        : req.headers.authorization
          ? "Bad credentials"
          : "Requires authentication";
      return send(
        401,
        { message, documentation_url: "https://docs.github.com/rest", status: "401" },
        budget.headers(),
      );
    }

    let truncate = false;
    const pending = faults.find((f) => f.left > 0 && matches(f.fault.match, rec));
    if (pending) {
      pending.left--;
      if (pending.left === 0) faults.splice(faults.indexOf(pending), 1);
      const outcome = faultOutcome(pending.fault.fault, rec, budget, requestId);
      if (outcome.kind === "reply") return send(outcome.status, outcome.body, outcome.headers);
      if (outcome.kind === "delay") await new Promise((r) => setTimeout(r, outcome.ms));
      truncate = outcome.kind === "truncate";
    }

    if (url.pathname === "/rate_limit") {
      // Free, as on GitHub.
      const usage = (b: Budget) => ({ limit: b.limit, used: b.used, remaining: b.remaining, reset: b.reset });
      return send(
        200,
        {
          resources: { core: usage(budgets.core), graphql: usage(budgets.graphql) },
          rate: usage(budgets.core),
        },
        budgets.core.headers(),
      );
    }
    if (budget.remaining <= 0 && !graphql) {
      const message = `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
      return send(
        403,
        { message, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
        budget.headers(),
      );
    }
    if (graphql) {
      if (req.method !== "POST")
        return send(
          404,
          { message: "Not Found", documentation_url: "https://docs.github.com/graphql" },
          budget.headers(),
        );
      if (typeof rec.body !== "object" || rec.body === null)
        return send(
          400,
          { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" },
          budget.headers(),
        );
      const reply = await handleGraphQL(rec.body as GraphQLRequest, fake.data, budget);
      return send(reply.status, reply.body, budget.headers(), { truncate });
    }
    const reply: RestReply = handleRest({ method: req.method ?? "GET", url, api: fake.url }, fake.data);
    if (reply.status === 200 && req.method === "GET") {
      const json = JSON.stringify(reply.body);
      const etag = `"${createHash("sha256").update(json).digest("hex").slice(0, 40)}"`;
      // A conditional request answered 304 costs nothing (GitHub's documented behaviour).
      if (rec.ifNoneMatch && etagMatches(rec.ifNoneMatch, etag))
        return send(304, undefined, { etag, ...budget.headers() });
      budget.charge(1);
      return send(
        200,
        reply.body,
        {
          etag,
          "cache-control": "private, max-age=60, s-maxage=60",
          vary: "Accept, Authorization, Cookie, X-GitHub-OTP",
          ...reply.headers,
          ...budget.headers(),
        },
        { truncate, json },
      );
    }
    budget.charge(1);
    return send(reply.status, reply.body, { ...reply.headers, ...budget.headers() }, { truncate });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug in the fake: say so loudly rather than hang the client.
      console.error("fake GitHub:", e);
      if (!res.headersSent) res.writeHead(500, { "content-type": JSON_TYPE });
      res.end(JSON.stringify({ message: `fake GitHub failed: ${String(e)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** An App's JWT: RS256-signed by its key, issued by its id, not expired (what GitHub checks). */
function validAppJwt(header: string | undefined, app: { appId: string; publicKey: string }): boolean {
  const jwt = /^bearer\s+(.+)$/i.exec(header ?? "")?.[1];
  const [head, payload, signature] = jwt?.split(".") ?? [];
  if (!head || !payload || !signature) return false;
  const verified = createVerify("RSA-SHA256")
    .update(`${head}.${payload}`)
    .verify(app.publicKey, Buffer.from(signature, "base64url"));
  if (!verified) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    iss?: string | number;
    exp?: number;
  };
  return String(claims.iss) === app.appId && (claims.exp ?? 0) * 1000 > Date.now();
}

function authorized(header: string | undefined, token: string): boolean {
  const m = /^(token|bearer)\s+(.+)$/i.exec(header ?? "");
  return m?.[2] === token;
}

/** `If-None-Match` may list several tags, weak or strong (a weak comparison, as for GET). */
function etagMatches(header: string, etag: string): boolean {
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return header.trim() === "*" || header.split(",").some((t) => strip(t) === strip(etag));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function record(req: IncomingMessage, url: URL, raw: string): RecordedRequest {
  let body: unknown = raw;
  try {
    body = raw ? JSON.parse(raw) : "";
  } catch {}
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
  const rec: RecordedRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    status: 0,
    ...(headers["if-none-match"] ? { ifNoneMatch: headers["if-none-match"] } : {}),
  };
  if (url.pathname === "/graphql" && typeof body === "object" && body !== null) {
    const g = body as GraphQLRequest;
    const doc = parseQuery(g);
    const named = typeof g.operationName === "string" ? g.operationName : undefined;
    rec.operationName = named ?? (doc && operationOf(doc)?.name?.value);
    if (g.variables && typeof g.variables === "object")
      rec.variables = g.variables as Record<string, unknown>;
  }
  return rec;
}
