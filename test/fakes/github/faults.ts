import type { Budget } from "./budget";
import { RATE_LIMITED_MESSAGE } from "./graphql";

/**
 * Failures a test can inject, each answered the way GitHub answers it (status, headers, body wording), so that
 * the ingest's retry and throttling code sees what it would see in production.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON when it parses, else the text ("" for none). */
  body: unknown;
  /** GraphQL: the operation's name (from the document when the body does not say). */
  operationName?: string;
  variables?: Record<string, unknown>;
  /** What the fake answered (200 for a truncated answer: the status line went out). */
  status: number;
  ifNoneMatch?: string;
}

export type FaultSpec =
  /** A server error. `body` replaces GitHub's (a string goes out as text/html, like GitHub's error pages). */
  | { status: 500 | 502 | 503; body?: unknown }
  /**
   * The primary limit spent: REST answers 403 with x-ratelimit-remaining 0; GraphQL answers 200 with a
   * RATE_LIMITED error (GitHub's documented behaviour for GraphQL), also with remaining 0.
   */
  | { rateLimit: "primary"; resetInSeconds?: number }
  /** 403 with `retry-after` and the "secondary rate limit" message (octokit's throttling keys on it). */
  | { rateLimit: "secondary"; retryAfter?: number }
  | { status: 429; retryAfter?: number }
  /** Headers with the full content-length, half the body, then the socket is destroyed. */
  | { truncate: true }
  /** Answers normally after a delay (client timeouts). */
  | { delayMs: number }
  /** 200 with `errors: [{ type }]` and normal headers (GitHub has been seen answering RATE_LIMIT too). */
  | { graphqlError: string; message?: string };

export type FaultMatch =
  | ((req: RecordedRequest) => boolean)
  | { path?: RegExp; method?: string; operationName?: string };

export interface Fault {
  /** Omitted: every request. */
  match?: FaultMatch;
  /** How many requests it hits (default 1). */
  times?: number;
  fault: FaultSpec;
}

export function matches(match: FaultMatch | undefined, req: RecordedRequest): boolean {
  if (!match) return true;
  if (typeof match === "function") return match(req);
  return (
    (!match.path || match.path.test(req.path)) &&
    (!match.method || match.method.toUpperCase() === req.method) &&
    (!match.operationName || match.operationName === req.operationName)
  );
}

export type FaultOutcome =
  | { kind: "reply"; status: number; body: unknown; headers: Record<string, string> }
  | { kind: "truncate" }
  | { kind: "delay"; ms: number };

const SECONDARY =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID";
const DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

export function faultOutcome(
  spec: FaultSpec,
  req: RecordedRequest,
  budget: Budget,
  requestId: string,
): FaultOutcome {
  const graphql = req.path === "/graphql";
  if ("truncate" in spec) return { kind: "truncate" };
  if ("delayMs" in spec) return { kind: "delay", ms: spec.delayMs };
  if ("graphqlError" in spec) {
    const message =
      spec.message ??
      (spec.graphqlError.startsWith("RATE_LIMIT") ? RATE_LIMITED_MESSAGE : "Something went wrong.");
    return {
      kind: "reply",
      status: 200,
      body: { data: null, errors: [{ type: spec.graphqlError, message }] },
      headers: budget.headers(),
    };
  }
  if ("rateLimit" in spec && spec.rateLimit === "primary") {
    const headers = {
      ...budget.headers(),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": String(budget.limit),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + (spec.resetInSeconds ?? 60)),
    };
    if (graphql)
      return {
        kind: "reply",
        status: 200,
        body: { errors: [{ type: "RATE_LIMITED", message: RATE_LIMITED_MESSAGE }] },
        headers,
      };
    const message = `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
    return { kind: "reply", status: 403, body: { message, documentation_url: DOCS }, headers };
  }
  if ("rateLimit" in spec || spec.status === 429) {
    const retryAfter = "retryAfter" in spec && spec.retryAfter !== undefined ? spec.retryAfter : 60;
    return {
      kind: "reply",
      status: "rateLimit" in spec ? 403 : 429,
      body: {
        message: `${SECONDARY} ${requestId}.`,
        documentation_url: `${DOCS}#about-secondary-rate-limits`,
      },
      headers: { ...budget.headers(), "retry-after": String(retryAfter) },
    };
  }
  return {
    kind: "reply",
    status: spec.status,
    body: spec.body ?? serverError(spec.status, graphql, requestId),
    headers: budget.headers(),
  };
}

/** GitHub's GraphQL answers a 502 (a query that timed out) in the GraphQL shape; REST with a JSON message. */
function serverError(status: number, graphql: boolean, requestId: string) {
  if (graphql && status === 502)
    return {
      data: null,
      errors: [
        {
          message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${requestId}\` when reporting this issue.`,
        },
      ],
    };
  return { message: status === 503 ? "Service Unavailable" : "Server Error" };
}
