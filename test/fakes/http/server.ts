import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A kit for local fakes of REST APIs (GitLab, Jenkins, PagerDuty, Opsgenie): routes with `:params`, an auth
 * check, a rate-limit budget with its headers, ETags and 304s, injectable faults (5xx, 429 with Retry-After, a
 * body cut off mid-way, a hang, a dropped connection) and a log of every request. Each source's fake declares its
 * routes and answers in the shapes its vendor documents; the protocol mechanics live here once.
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

export interface FakeReply {
  status?: number;
  /** An object goes out as JSON, a string as it is (with `contentType`). */
  body?: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

export type Handler = (req: FakeRequest, params: Record<string, string>) => FakeReply | Promise<FakeReply>;

export interface Route {
  method: string;
  /** `/api/v4/projects/:id/merge_requests`; a param matches one path segment (URL-decoded). */
  path: string;
  handle: Handler;
}

export interface RecordedRequest extends FakeRequest {
  /** What the fake answered (200 for a cut-off answer: the status line went out). */
  status: number;
}

export type FaultSpec =
  | { status: 500 | 502 | 503 | 504; body?: unknown }
  /** `retryAfter: null`: no Retry-After header (PagerDuty's 429s sometimes come without any). */
  | { status: 429; retryAfter?: number | null; headers?: Record<string, string>; body?: unknown }
  /** Headers with the full content-length, half the body, then the socket is destroyed. */
  | { truncate: true }
  /** Answers normally after a delay (client timeouts). */
  | { delayMs: number }
  /** Closes the connection without answering. */
  | { hangUp: true };

export interface Fault {
  match?: { path?: RegExp; method?: string } | ((req: FakeRequest) => boolean);
  /** How many requests it hits (default 1). */
  times?: number;
  fault: FaultSpec;
}

export interface RateLimitOptions {
  /** Requests per window. */
  limit: number;
  windowSeconds?: number;
  /** The headers every answer carries, from the budget's state. */
  headers(state: { limit: number; remaining: number; resetAt: number }): Record<string, string>;
  /** The answer once the budget is spent (default 429 with Retry-After). */
  exhausted?(state: { limit: number; remaining: number; resetAt: number }): FakeReply;
}

export interface FakeHttpOptions {
  routes: Route[];
  /** Null when the request is authorised, else the answer (401 …). Default: everything is authorised. */
  authorize?: (req: FakeRequest) => FakeReply | null;
  rateLimit?: RateLimitOptions;
  /** GET answers with a JSON body carry an ETag; a matching If-None-Match gets 304. Default true. */
  etags?: boolean;
  /** The answer for an unknown route (default 404 `{ message: "404 Not found" }`). */
  notFound?: (req: FakeRequest) => FakeReply;
}

export interface FakeHttp {
  url: string;
  requests: RecordedRequest[];
  inject(fault: Fault): void;
  /** Clears the request log and pending faults, and refills the budget. */
  reset(): void;
  /** Spends the budget (the next request is refused until the window ends). */
  spendBudget(): void;
  close(): Promise<void>;
}

export async function startFakeHttp(options: FakeHttpOptions): Promise<FakeHttp> {
  const compiled = options.routes.map((r) => ({ ...r, ...compile(r.path) }));
  const faults: { fault: Fault; left: number }[] = [];
  const budget = { used: 0, resetAt: 0 };
  const windowMs = (options.rateLimit?.windowSeconds ?? 60) * 1000;
  const refill = () => {
    budget.used = 0;
    budget.resetAt = Date.now() + windowMs;
  };
  refill();
  const state = () => {
    if (Date.now() >= budget.resetAt) refill();
    const limit = options.rateLimit?.limit ?? 0;
    return { limit, remaining: Math.max(0, limit - budget.used), resetAt: Math.ceil(budget.resetAt / 1000) };
  };

  const fake: FakeHttp = {
    url: "",
    requests: [],
    inject: (fault) => void faults.push({ fault, left: fault.times ?? 1 }),
    reset: () => {
      fake.requests.length = 0;
      faults.length = 0;
      refill();
    },
    spendBudget: () => {
      budget.used = options.rateLimit?.limit ?? 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(", ") : (v ?? ""),
      ]),
    );
    const request: FakeRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    const rec: RecordedRequest = { ...request, status: 0 };
    fake.requests.push(rec);

    const send = (reply: FakeReply, opts: { truncate?: boolean } = {}) => {
      const status = reply.status ?? 200;
      rec.status = status;
      if (res.destroyed) return;
      const isText = typeof reply.body === "string";
      const text =
        reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
      const buf = Buffer.from(text, "utf8");
      res.writeHead(status, {
        "content-type": reply.contentType ?? (isText ? "text/plain; charset=utf-8" : "application/json"),
        ...(status === 304 ? {} : { "content-length": String(buf.length) }),
        ...(options.rateLimit ? options.rateLimit.headers(state()) : {}),
        ...reply.headers,
      });
      if (!opts.truncate) return void res.end(status === 304 ? undefined : buf);
      res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.destroy());
    };

    const denied = options.authorize?.(request);
    if (denied) return send({ status: 401, ...denied });

    const fault = takeFault(request);
    if (fault && "hangUp" in fault) return void res.destroy();
    if (fault && "delayMs" in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && "status" in fault) {
      const retry =
        fault.status === 429
          ? {
              ...(fault.retryAfter === null ? {} : { "retry-after": String(fault.retryAfter ?? 1) }),
              ...fault.headers,
            }
          : {};
      return send({
        status: fault.status,
        body: fault.body ?? { message: statusText(fault.status) },
        headers: retry,
      });
    }

    if (options.rateLimit) {
      const s = state();
      if (s.remaining <= 0) {
        const wait = Math.max(1, s.resetAt - Math.floor(Date.now() / 1000));
        return send(
          options.rateLimit.exhausted?.(s) ?? {
            status: 429,
            body: "Retry later\n",
            headers: { "retry-after": String(wait) },
          },
        );
      }
      budget.used++;
    }

    const route = compiled.find((r) => r.method === request.method && r.regex.test(request.path));
    if (!route) {
      return send(options.notFound?.(request) ?? { status: 404, body: { message: "404 Not found" } });
    }
    const m = route.regex.exec(request.path) as RegExpExecArray;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
    let reply: FakeReply;
    try {
      reply = await route.handle(request, params);
    } catch (error) {
      reply = { status: 500, body: { message: `fake error: ${(error as Error).message}` } };
    }
    const status = reply.status ?? 200;
    if (
      (options.etags ?? true) &&
      request.method === "GET" &&
      status === 200 &&
      typeof reply.body === "object"
    ) {
      const etag = `W/"${createHash("sha1").update(JSON.stringify(reply.body)).digest("hex")}"`;
      if (request.headers["if-none-match"] === etag) return send({ status: 304, headers: { etag } });
      reply = { ...reply, headers: { etag, ...reply.headers } };
    }
    send(reply, { truncate: fault !== null && "truncate" in fault });
  }

  function takeFault(req: FakeRequest): FaultSpec | null {
    for (const f of faults) {
      if (f.left <= 0) continue;
      const m = f.fault.match;
      const hit =
        !m ||
        (typeof m === "function"
          ? m(req)
          : (!m.path || m.path.test(req.path)) && (!m.method || m.method.toUpperCase() === req.method));
      if (hit) {
        f.left--;
        return f.fault.fault;
      }
    }
    return null;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function compile(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = path
    .split("/")
    .map((seg) => {
      if (seg.startsWith(":")) {
        names.push(seg.slice(1));
        return "([^/]+)";
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${pattern}$`), names };
}

function statusText(status: number): string {
  return (
    {
      429: "Too Many Requests",
      500: "Internal Server Error",
      502: "Bad Gateway",
      503: "Service Unavailable",
    }[status] ?? "Gateway Timeout"
  );
}

/** A `Link` header from rel → URL (RFC 8288), as GitLab sends it. */
export function linkHeader(links: Record<string, string | null>): string {
  return Object.entries(links)
    .filter(([, url]) => url !== null)
    .map(([rel, url]) => `<${url}>; rel="${rel}"`)
    .join(", ");
}

/** The request's URL on the fake with some query parameters replaced (for next/prev links). */
export function withQuery(
  fake: { url: string },
  req: FakeRequest,
  changes: Record<string, string | number>,
): string {
  const url = new URL(req.path, fake.url);
  for (const [k, v] of req.query) url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(changes)) url.searchParams.set(k, String(v));
  return url.toString();
}
