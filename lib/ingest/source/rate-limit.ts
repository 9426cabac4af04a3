/**
 * Rate-limit headers, as the sources send them. Names differ in case and prefix; `*-Reset` is a Unix time on
 * GitLab and GitHub but a number of seconds on PagerDuty, so a value below ~2001-09-09 (1e9) is read as seconds.
 *
 * | source    | remaining                 | reset                                  | on 429         |
 * |-----------|---------------------------|----------------------------------------|----------------|
 * | GitLab    | RateLimit-Remaining       | RateLimit-Reset (Unix), -ResetTime     | Retry-After    |
 * | PagerDuty | ratelimit-remaining       | ratelimit-reset (seconds)              | (may lack all) |
 * | GitHub    | x-ratelimit-remaining     | x-ratelimit-reset (Unix)               | retry-after    |
 * | Opsgenie  | X-RateLimit-State         | X-RateLimit-Period-In-Sec              | -              |
 */

export interface RateLimitState {
  remaining: number | null;
  limit: number | null;
  resetAt: Date | null;
}

export const EMPTY_RATE_LIMIT: RateLimitState = { remaining: null, limit: null, resetAt: null };

const UNIX_THRESHOLD = 1e9;

function header(headers: Headers, ...names: string[]): string | null {
  for (const name of names) {
    const v = headers.get(name);
    if (v !== null && v.trim() !== "") return v.trim();
  }
  return null;
}

function int(value: string | null): number | null {
  if (value === null || !/^\d+(\.\d+)?$/.test(value)) return null;
  return Number(value);
}

/** A reset header: a Unix time, or seconds from now. */
export function resetFrom(value: string | null, now: number): Date | null {
  const n = int(value);
  if (n === null) return null;
  return new Date(n >= UNIX_THRESHOLD ? n * 1000 : now + n * 1000);
}

/** Reads the rate-limit headers any of our sources send (the first family present wins). */
export function readRateLimit(headers: Headers, now = Date.now()): Partial<RateLimitState> {
  const remaining = int(header(headers, "ratelimit-remaining", "x-ratelimit-remaining"));
  const limit = int(header(headers, "ratelimit-limit", "x-ratelimit-limit"));
  let resetAt = resetFrom(header(headers, "ratelimit-reset", "x-ratelimit-reset"), now);
  if (!resetAt) {
    const at = header(headers, "ratelimit-resettime");
    const parsed = at ? Date.parse(at) : Number.NaN;
    if (Number.isFinite(parsed)) resetAt = new Date(parsed);
  }
  // Opsgenie says THROTTLED instead of a count, with the window's length.
  if (remaining === null && /throttled/i.test(header(headers, "x-ratelimit-state") ?? "")) {
    const period = int(header(headers, "x-ratelimit-period-in-sec")) ?? 60;
    return { remaining: 0, limit, resetAt: new Date(now + period * 1000) };
  }
  const out: Partial<RateLimitState> = {};
  if (remaining !== null) out.remaining = remaining;
  if (limit !== null) out.limit = limit;
  if (resetAt) out.resetAt = resetAt;
  return out;
}

/**
 * How long to wait before retrying a throttled request, in seconds: `Retry-After` (seconds or an HTTP date),
 * else the reset header. Null when the answer says nothing (the caller backs off on its own).
 */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | null {
  const value = header(headers, "retry-after");
  if (value !== null) {
    const n = int(value);
    if (n !== null) return n;
    const at = Date.parse(value);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const reset = readRateLimit(headers, now).resetAt;
  return reset ? Math.max(0, Math.ceil((reset.getTime() - now) / 1000)) : null;
}
