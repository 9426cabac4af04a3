import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "octokit";

/**
 * The one way the ingest talks to GitHub: octokit with its throttling (rate limits: honours `retry-after` and
 * `x-ratelimit-reset`, spaces GraphQL and writes) and retry (5xx) plugins, plus what they leave to us:
 * - a timeout per HTTP request (a hung connection must not hang the sync);
 * - a truncated body comes back from octokit as a 200 with the partial text as `data`: we check every response is
 *   JSON of the expected shape and retry it;
 * - conditional requests (ETag → 304, which GitHub does not count against the rate limit);
 * - counting: every HTTP request, per resource, and the rate limit left, for progress and the benchmark.
 * Retries are bounded everywhere: a sync that cannot make progress fails with a clear error, it never spins.
 */

export type GitHubAuth =
  | { kind: "token"; token: string }
  | { kind: "app"; appId: string; privateKey: string; installationId: number };

export interface ClientOptions {
  auth: GitHubAuth;
  /** GITHUB_API_URL: GitHub Enterprise Server or a test server. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Attempts for a request that timed out or came back truncated (octokit retries 5xx itself). */
  attempts?: number;
  /** Base of every wait, in ms per "second" GitHub asks for (tests make it small). */
  retryBaseMs?: number;
  /** The longest rate-limit wait we accept before giving up (resumable: the next run continues). */
  maxRateLimitWaitSeconds?: number;
  /** Extra octokit throttle options (tests pass a no-delay write group). */
  throttle?: Record<string, unknown>;
  log?: (line: string) => void;
}

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "GitHubError";
  }
}

export class RateLimitExhaustedError extends GitHubError {
  constructor(readonly resetAt: Date | null) {
    super(
      `GitHub's rate limit is exhausted${resetAt ? ` until ${resetAt.toISOString()}` : ""}; the sync stopped where it was and continues from there on the next run`,
      403,
    );
    this.name = "RateLimitExhaustedError";
  }
}

/**
 * GitHub's secondary rate limit: too many requests in a short time (or too many at once), whatever is left of the
 * hourly quota. Reported as what it is, with the quota left, so nobody waits for an hourly reset that is not due.
 */
export class SecondaryRateLimitError extends RateLimitExhaustedError {
  constructor(
    readonly retryAfterSeconds: number | null,
    readonly remaining: number | null,
  ) {
    super(null);
    this.message =
      `GitHub's secondary rate limit (too many requests in a short time, not the hourly quota` +
      `${remaining !== null ? `: ${remaining} requests of it are left` : ""}) stopped the sync where it was; run it ` +
      `again ${retryAfterSeconds !== null ? `in ${retryAfterSeconds} s` : "in a few minutes"} and it continues from there`;
    this.name = "SecondaryRateLimitError";
  }
}

export interface RateLimitState {
  remaining: number | null;
  limit: number | null;
  resetAt: Date | null;
}

export type RestResult<T> =
  | { status: 200; data: T; etag: string | null; headers: Record<string, string> }
  | { status: 304; etag: string };

class RetryableError extends Error {}

export class GitHubClient {
  readonly octokit: Octokit;
  /** HTTP requests actually sent (retries included), in total and per resource. */
  requests = 0;
  notModified = 0;
  readonly byResource = new Map<string, number>();
  readonly rateLimit: RateLimitState = { remaining: null, limit: null, resetAt: null };
  private resource = "other";
  /** GitHub Enterprise Server serves GraphQL at /api/graphql, beside its REST root /api/v3 (as @octokit/graphql does). */
  private readonly graphqlUrl: { url?: string };
  private readonly attempts: number;
  private readonly baseMs: number;

  constructor(private readonly options: ClientOptions) {
    this.attempts = options.attempts ?? 3;
    this.graphqlUrl =
      options.baseUrl && /\/api\/v3\/?$/.test(options.baseUrl)
        ? { url: `${options.baseUrl.replace(/\/api\/v3\/?$/, "")}/api/graphql` }
        : {};
    this.baseMs = options.retryBaseMs ?? 1_000;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const maxWait = options.maxRateLimitWaitSeconds ?? 15 * 60;
    const log = options.log ?? (() => {});
    const counted: typeof fetch = async (input, init) => {
      this.requests++;
      this.byResource.set(this.resource, (this.byResource.get(this.resource) ?? 0) + 1);
      const signal = init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs);
      const response = await fetch(input, { ...init, signal });
      this.readRateLimit(response.headers);
      if (response.status === 304) this.notModified++;
      return response;
    };
    const retryLimited =
      (kind: string) =>
      (retryAfter: number, opts: { method: string; url: string }, _o: unknown, retryCount: number) => {
        if (retryCount >= 2 || retryAfter > maxWait) {
          log(`GitHub ${kind} rate limit on ${opts.method} ${opts.url}: not retrying (wait ${retryAfter} s)`);
          return false;
        }
        log(`GitHub ${kind} rate limit: waiting ${retryAfter} s before retrying ${opts.method} ${opts.url}`);
        return true;
      };
    // A token, or a GitHub App installation (octokit mints and refreshes its installation tokens).
    const authOptions =
      options.auth.kind === "token"
        ? { auth: options.auth.token }
        : {
            authStrategy: createAppAuth,
            auth: {
              appId: options.auth.appId,
              privateKey: options.auth.privateKey,
              installationId: options.auth.installationId,
            },
          };
    this.octokit = new Octokit({
      ...authOptions,
      baseUrl: options.baseUrl,
      userAgent: "throughline",
      request: { fetch: counted },
      log: { debug: () => {}, info: () => {}, warn: (m: string) => log(m), error: (m: string) => log(m) },
      retry: { retries: this.attempts, retryAfterBaseValue: this.baseMs },
      throttle: {
        onRateLimit: retryLimited("primary"),
        onSecondaryRateLimit: retryLimited("secondary"),
        retryAfterBaseValue: this.baseMs,
        ...options.throttle,
      },
    });
  }

  /** Attribute the following requests to a resource (for the per-resource counts). */
  as(resource: string): this {
    this.resource = resource;
    return this;
  }

  /** A GraphQL query. Returns data and GraphQL errors (some queries tolerate NOT_FOUND for one alias). */
  async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data: T; errors: GraphQLIssue[] }> {
    return this.withRetries(async () => {
      const response = await this.send(() =>
        this.octokit.request("POST /graphql", { query, variables, ...this.graphqlUrl }),
      );
      const body = response.data as unknown;
      if (!body || typeof body !== "object" || !("data" in body || "errors" in body)) {
        throw new RetryableError("GitHub sent an incomplete GraphQL response");
      }
      const { data, errors } = body as { data?: T; errors?: GraphQLIssue[] };
      if (!data)
        throw new GitHubError(`GitHub GraphQL error: ${(errors ?? []).map((e) => e.message).join("; ")}`);
      return { data, errors: errors ?? [] };
    });
  }

  /** A REST GET, conditional on `etag` when given: a 304 means nothing changed (and cost no rate limit). */
  async get<T>(route: string, params: Record<string, unknown>, etag?: string | null): Promise<RestResult<T>> {
    return this.withRetries(async () => {
      try {
        const response = await this.send(() =>
          this.octokit.request(`GET ${route}`, { ...params, headers: etag ? { "if-none-match": etag } : {} }),
        );
        if (!response.data || typeof response.data !== "object") {
          throw new RetryableError(`GitHub sent an incomplete response for ${route}`);
        }
        const headers = response.headers as Record<string, string>;
        return { status: 200, data: response.data as T, etag: headers.etag ?? null, headers };
      } catch (error) {
        if ((error as { status?: number }).status === 304 && etag) return { status: 304, etag };
        throw error;
      }
    });
  }

  private async send<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (error instanceof RetryableError || status === 304) throw error;
      if (status === 403 || status === 429) {
        const headers =
          (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
        const retryAfter = headers["retry-after"] !== undefined ? Number(headers["retry-after"]) : null;
        const text = (error as Error).message ?? "";
        if (this.rateLimit.remaining === 0) throw new RateLimitExhaustedError(this.rateLimit.resetAt);
        if (/secondary rate limit|abuse/i.test(text) || retryAfter !== null || status === 429)
          throw new SecondaryRateLimitError(retryAfter, this.rateLimit.remaining);
        if (/rate limit/i.test(text)) throw new RateLimitExhaustedError(this.rateLimit.resetAt);
        throw new GitHubError(
          `GitHub refused the request (403): ${redact(text)}. Does the token have read access to it?`,
          403,
          { cause: error },
        );
      }
      if (
        (error as Error).name === "GraphQL Rate Limit Exceeded" ||
        /Rate Limit Exceeded/i.test((error as Error).message)
      ) {
        throw new RateLimitExhaustedError(this.rateLimit.resetAt);
      }
      if ((error as Error).name === "AbortError" || (error as Error).name === "TimeoutError") {
        throw new RetryableError(`GitHub did not answer within ${this.options.timeoutMs ?? 30_000} ms`);
      }
      const message = (error as Error).message ?? String(error);
      throw new GitHubError(
        `GitHub request failed${status ? ` (${status})` : ""}: ${redact(message)}`,
        status,
        {
          cause: error,
        },
      );
    }
  }

  private async withRetries<R>(fn: () => Promise<R>): Promise<R> {
    let last: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        last = error;
        this.options.log?.(`${error.message}; retrying (${attempt}/${this.attempts})`);
        await new Promise((r) => setTimeout(r, this.baseMs * attempt * attempt));
      }
    }
    throw new GitHubError(`${(last as Error).message} after ${this.attempts} attempts`, 502, { cause: last });
  }

  private readRateLimit(headers: Headers) {
    const remaining = headers.get("x-ratelimit-remaining");
    const limit = headers.get("x-ratelimit-limit");
    const reset = headers.get("x-ratelimit-reset");
    if (remaining !== null) this.rateLimit.remaining = Number(remaining);
    if (limit !== null) this.rateLimit.limit = Number(limit);
    if (reset !== null) this.rateLimit.resetAt = new Date(Number(reset) * 1000);
  }
}

export interface GraphQLIssue {
  type?: string;
  message: string;
  path?: (string | number)[];
}

/** Error text from GitHub never carries our token, but a URL with credentials might: strip them. */
function redact(message: string): string {
  return message
    .replace(/(https?:\/\/)[^/@\s]+@/g, "$1***@")
    .replace(/\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g, "***");
}
