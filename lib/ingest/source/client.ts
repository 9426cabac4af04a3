import { RateLimitExhaustedError, SourceAuthError, SourceError, SourceNotFoundError } from "./errors";
import { EMPTY_RATE_LIMIT, type RateLimitState, readRateLimit, retryAfterSeconds } from "./rate-limit";
import { redactor } from "./secrets";

/**
 * The one way a REST source (GitLab, Jenkins, PagerDuty, Opsgenie) talks to its API, on plain `fetch`: what the
 * GitHub client gets from octokit's plugins, once for every other source.
 * - a timeout per request (a hung connection must not hang the sync);
 * - bounded retries with backoff for network errors, timeouts, 5xx and truncated bodies (a 200 whose JSON does
 *   not parse is retried, never stored);
 * - rate limits: `Retry-After` (seconds or a date) and the reset headers are honoured when the wait is short; a
 *   long one stops the sync resumably (RateLimitExhaustedError); a spent budget waits before the next request
 *   instead of earning a 429;
 * - conditional requests (ETag → 304);
 * - counting: every HTTP request, per resource, and the rate limit left, for progress lines and benchmarks;
 * - credentials only ever go to the configured origin (redirects elsewhere are refused) and never appear in an
 *   error message or a log line.
 */

/** Environment variables a source reads its credentials from (process.env, or a test's own). */
export type Env = Record<string, string | undefined>;

export interface SourceClientOptions {
  /** For messages: "GitLab", "Jenkins", "PagerDuty", "Opsgenie". */
  name: string;
  /** API root, e.g. https://gitlab.example.com/api/v4 (paths are appended to it). */
  baseUrl: string;
  /** Sent with every request (authentication). Their values are secrets: redacted from every message. */
  headers?: Record<string, string>;
  /** Appended to the 401/403 message: what to check, e.g. "check GITLAB_TOKEN (a token with read_api)". */
  authHint?: string;
  timeoutMs?: number;
  /** Attempts per request for retryable failures (network, timeout, 5xx, truncated body, short 429 waits). */
  attempts?: number;
  /** Milliseconds per "second" the server asks us to wait, and the base of backoffs (tests make it small). */
  retryBaseMs?: number;
  /** The longest rate-limit wait accepted before stopping the sync (resumable). */
  maxWaitSeconds?: number;
  log?: (line: string) => void;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  /** A JSON body (POST). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Conditional GET: a 304 answer comes back as `{ status: 304 }`. */
  etag?: string | null;
  /** `json` (default): the body must parse; `text`: returned as it is. */
  parse?: "json" | "text";
  /** Statuses answered as data instead of errors (e.g. 404 for "this job has no builds yet"). */
  accept?: readonly number[];
}

export interface SourceResponse<T> {
  status: number;
  data: T;
  headers: Headers;
  etag: string | null;
  /** The URL answered (after same-origin redirects). */
  url: string;
}

export type ConditionalResponse<T> = SourceResponse<T> | { status: 304; etag: string };

/** Internal: a failure worth another attempt. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs: number | null = null,
  ) {
    super(message);
  }
}

const RETRY_STATUSES = new Set([500, 502, 503, 504]);
const MAX_REDIRECTS = 3;

export class SourceClient {
  requests = 0;
  notModified = 0;
  /** Time spent waiting for rate limits, in ms. */
  waitedMs = 0;
  readonly byResource = new Map<string, number>();
  readonly rateLimit: RateLimitState = { ...EMPTY_RATE_LIMIT };
  private resource = "other";
  private readonly base: URL;
  private readonly attempts: number;
  private readonly baseMs: number;
  private readonly timeoutMs: number;
  private readonly maxWaitMs: number;
  readonly redact: (text: string) => string;

  constructor(private readonly options: SourceClientOptions) {
    this.base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.attempts = options.attempts ?? 4;
    this.baseMs = options.retryBaseMs ?? 1_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxWaitMs = (options.maxWaitSeconds ?? 15 * 60) * 1_000;
    this.redact = redactor([...Object.values(options.headers ?? {}), this.base.password]);
  }

  get name(): string {
    return this.options.name;
  }

  /** Attribute the following requests to a resource (per-resource counts). */
  as(resource: string): this {
    this.resource = resource;
    return this;
  }

  /** GET returning parsed JSON (or text). */
  async get<T>(
    path: string,
    options: Omit<RequestOptions, "etag" | "body"> = {},
  ): Promise<SourceResponse<T>> {
    return (await this.send<T>("GET", path, options)) as SourceResponse<T>;
  }

  /** GET with If-None-Match: `{ status: 304 }` when nothing changed. */
  async getConditional<T>(
    path: string,
    etag: string | null,
    options: Omit<RequestOptions, "etag" | "body"> = {},
  ): Promise<ConditionalResponse<T>> {
    return this.send<T>("GET", path, { ...options, etag });
  }

  async post<T>(
    path: string,
    body: unknown,
    options: Omit<RequestOptions, "body"> = {},
  ): Promise<SourceResponse<T>> {
    return (await this.send<T>("POST", path, { ...options, body })) as SourceResponse<T>;
  }

  /**
   * The URL for a path (relative to the API root) or an absolute URL the API gave us (a `Link: rel="next"`).
   * Absolute URLs must be on the API's origin: credentials are never sent anywhere else.
   */
  url(path: string, query?: Query): URL {
    const absolute = /^https?:\/\//i.test(path);
    const url = absolute ? new URL(path) : new URL(path.replace(/^\/+/, ""), this.base);
    if (url.origin !== this.base.origin) {
      throw new SourceError(
        `${this.name} pointed to another host (${url.origin}): refusing to send credentials there`,
      );
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
      else url.searchParams.set(key, String(value));
    }
    return url;
  }

  async send<T>(method: string, path: string, o: RequestOptions = {}): Promise<ConditionalResponse<T>> {
    const url = this.url(path, o.query);
    const what = `${method} ${url.pathname}`;
    let last: Retryable | null = null;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      await this.waitIfSpent();
      try {
        return await this.once<T>(method, url, o);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        last = error;
        if (attempt === this.attempts) break;
        const wait = error.waitMs ?? this.baseMs * attempt * attempt;
        this.options.log?.(
          `${this.name}: ${error.message} on ${what}; retrying in ${fmtMs(wait)} (${attempt}/${this.attempts - 1})`,
        );
        await this.sleep(wait, error.waitMs !== null);
      }
    }
    throw new SourceError(
      `${this.name}: ${last?.message ?? "no answer"} on ${what}, ${this.attempts} attempts`,
      502,
    );
  }

  private async once<T>(method: string, start: URL, o: RequestOptions): Promise<ConditionalResponse<T>> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const response = await this.fetch(method, url, o);
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.headers.get("location");
        await response.body?.cancel().catch(() => {});
        if (!location || hop >= MAX_REDIRECTS) throw new SourceError(`${this.name}: too many redirects`, 502);
        url = this.url(new URL(location, url).toString());
        continue;
      }
      return this.read<T>(method, url, response, o);
    }
  }

  private async fetch(method: string, url: URL, o: RequestOptions): Promise<Response> {
    this.requests++;
    this.byResource.set(this.resource, (this.byResource.get(this.resource) ?? 0) + 1);
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": "throughline",
      ...this.options.headers,
      ...o.headers,
      ...(o.etag ? { "if-none-match": o.etag } : {}),
      ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
    };
    try {
      return await fetch(url, {
        method,
        headers,
        body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new Retryable(`no answer within ${fmtMs(this.timeoutMs)}`);
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Retryable(`connection failed${cause ? ` (${cause})` : ""}`);
    }
  }

  private async read<T>(
    method: string,
    url: URL,
    response: Response,
    o: RequestOptions,
  ): Promise<ConditionalResponse<T>> {
    const now = Date.now();
    Object.assign(this.rateLimit, readRateLimit(response.headers, now));
    const status = response.status;
    const what = `${method} ${url.pathname}`;
    if (status === 304 && o.etag) {
      this.notModified++;
      return { status: 304, etag: o.etag };
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new Retryable("the answer was cut off");
    }
    const ok = (status >= 200 && status < 300) || o.accept?.includes(status);
    if (ok) {
      const etag = response.headers.get("etag");
      if (o.parse === "text")
        return { status, data: text as T, headers: response.headers, etag, url: url.toString() };
      try {
        const data = (text.trim() === "" ? null : JSON.parse(text)) as T;
        return { status, data, headers: response.headers, etag, url: url.toString() };
      } catch {
        throw new Retryable(`the answer is not complete JSON (${text.length} characters)`);
      }
    }
    if (status === 429 || (status === 503 && response.headers.has("retry-after"))) {
      const seconds = retryAfterSeconds(response.headers, now);
      if (seconds !== null && seconds * 1000 > this.maxWaitMs) {
        throw new RateLimitExhaustedError(
          this.name,
          this.rateLimit.resetAt ?? new Date(now + seconds * 1000),
        );
      }
      throw new Retryable(
        `rate limited (${status})`,
        seconds === null ? null : Math.max(1, seconds) * this.baseMs,
      );
    }
    if (RETRY_STATUSES.has(status)) throw new Retryable(`server error ${status}`);
    const excerpt = this.redact(text.replace(/\s+/g, " ").slice(0, 200));
    const hint = this.options.authHint ? `: ${this.options.authHint}` : "";
    if (status === 401) throw new SourceAuthError(`${this.name} refused the credentials (401)${hint}`, 401);
    if (status === 403) {
      if (this.rateLimit.remaining === 0)
        throw new RateLimitExhaustedError(this.name, this.rateLimit.resetAt);
      throw new SourceAuthError(`${this.name} refused ${what} (403: no permission)${hint}`, 403);
    }
    if (status === 404) throw new SourceNotFoundError(`${this.name}: ${what} not found (404)`);
    throw new SourceError(`${this.name} refused ${what} (${status})${excerpt ? `: ${excerpt}` : ""}`, status);
  }

  /** A spent budget: wait for its reset (if short) instead of spending a request on a 429. */
  private async waitIfSpent(): Promise<void> {
    const { remaining, resetAt } = this.rateLimit;
    if (remaining !== 0 || !resetAt) return;
    const ms = resetAt.getTime() - Date.now();
    if (ms <= 0) return;
    if (ms > this.maxWaitMs) throw new RateLimitExhaustedError(this.name, resetAt);
    this.options.log?.(`${this.name}: rate limit spent; waiting ${fmtMs(ms)} for it to reset`);
    await this.sleep(Math.ceil(ms / 1000) * this.baseMs, true);
    this.rateLimit.remaining = null;
  }

  private async sleep(ms: number, rateLimit: boolean): Promise<void> {
    if (rateLimit) this.waitedMs += ms;
    await new Promise((r) => setTimeout(r, ms));
  }
}

function fmtMs(ms: number): string {
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${ms} ms`;
}
