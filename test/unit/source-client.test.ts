import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SourceClient } from "@/lib/ingest/source/client";
import {
  RateLimitExhaustedError,
  SourceAuthError,
  SourceError,
  SourceNotFoundError,
} from "@/lib/ingest/source/errors";
import { nextLink, timeSlices } from "@/lib/ingest/source/paginate";
import { readRateLimit, retryAfterSeconds } from "@/lib/ingest/source/rate-limit";
import { anySignatureMatches, hmacSha256Hex, redactor, secretsEqual } from "@/lib/ingest/source/secrets";
import { type FakeHttp, linkHeader, startFakeHttp, withQuery } from "@/test/fakes/http/server";

const TOKEN = "glpat-SECRET-token-0123456789";
const ITEMS = Array.from({ length: 45 }, (_, i) => ({ id: i + 1 }));

describe("SourceClient against a local fake", () => {
  let fake: FakeHttp;
  let log: string[];
  const client = (o: Partial<ConstructorParameters<typeof SourceClient>[0]> = {}) =>
    new SourceClient({
      name: "Fake",
      baseUrl: `${fake.url}/api/v4`,
      headers: { "private-token": TOKEN },
      authHint: "check FAKE_TOKEN",
      retryBaseMs: 2,
      timeoutMs: 10_000,
      log: (l) => log.push(l),
      ...o,
    });

  beforeAll(async () => {
    fake = await startFakeHttp({
      authorize: (req) =>
        req.headers["private-token"] === TOKEN
          ? null
          : { status: 401, body: { message: "401 Unauthorized" } },
      rateLimit: {
        limit: 1_000,
        headers: (s) => ({
          "ratelimit-limit": String(s.limit),
          "ratelimit-remaining": String(s.remaining),
          "ratelimit-reset": String(s.resetAt),
        }),
      },
      routes: [
        {
          method: "GET",
          path: "/api/v4/items",
          handle: (req) => {
            const page = Number(req.query.get("page") ?? 1);
            const per = Number(req.query.get("per_page") ?? 20);
            const slice = ITEMS.slice((page - 1) * per, page * per);
            const next = page * per < ITEMS.length ? withQuery(fake, req, { page: page + 1 }) : null;
            return {
              body: slice,
              headers: { link: linkHeader({ next, first: withQuery(fake, req, { page: 1 }) }) },
            };
          },
        },
        { method: "GET", path: "/api/v4/projects/:id", handle: (_r, p) => ({ body: { id: p.id } }) },
        {
          method: "GET",
          path: "/api/v4/moved",
          handle: () => ({ status: 302, headers: { location: "/api/v4/projects/7" } }),
        },
        {
          method: "GET",
          path: "/api/v4/away",
          handle: () => ({ status: 302, headers: { location: "http://example.invalid/steal" } }),
        },
        {
          method: "GET",
          path: "/api/v4/forbidden",
          handle: () => ({ status: 403, body: { message: "403 Forbidden" } }),
        },
        {
          method: "POST",
          path: "/api/v4/echo",
          handle: (req) => ({ status: 201, body: JSON.parse(req.body) }),
        },
      ],
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    log = [];
  });

  it("follows Link rel=next to the end, counting requests per resource", async () => {
    const c = client().as("items");
    const seen: number[] = [];
    let url: string | null = "items";
    while (url) {
      const r: Awaited<ReturnType<typeof c.get<{ id: number }[]>>> = await c.get<{ id: number }[]>(url, {
        query: url === "items" ? { per_page: 20 } : undefined,
      });
      seen.push(...r.data.map((i) => i.id));
      url = nextLink(r.headers.get("link"));
    }
    expect(seen).toEqual(ITEMS.map((i) => i.id));
    expect(c.requests).toBe(3);
    expect(c.byResource.get("items")).toBe(3);
    expect(c.rateLimit.remaining).toBe(997);
  });

  it("retries 5xx, a cut-off body, a dropped connection and a timeout, within its attempts", async () => {
    for (const fault of [
      { status: 502 as const },
      { truncate: true as const },
      { hangUp: true as const },
      // Far longer than the client waits, so that a busy machine cannot make the answer come in time.
      { delayMs: 30_000 },
    ]) {
      fake.reset();
      fake.inject({ match: { path: /projects/ }, fault });
      const c = client("delayMs" in fault ? { timeoutMs: 1_000 } : {});
      const r = await c.get<{ id: string }>("projects/1");
      expect(r.data).toEqual({ id: "1" });
      expect(c.requests).toBe(2);
    }
    expect(log.some((l) => /retrying/.test(l))).toBe(true);
  });

  it("gives up after its attempts with a clear error", async () => {
    fake.inject({ match: { path: /projects/ }, times: 10, fault: { status: 503 } });
    const c = client({ attempts: 3 });
    await expect(c.get("projects/1")).rejects.toThrow(
      /server error 503 on GET \/api\/v4\/projects\/1, 3 attempts/,
    );
    expect(c.requests).toBe(3);
  });

  it("honours Retry-After on 429 when the wait is short, and stops resumably when it is long", async () => {
    fake.inject({ fault: { status: 429, retryAfter: 3 } });
    const c = client();
    await c.get("projects/2");
    expect(c.requests).toBe(2);
    expect(c.waitedMs).toBe(6); // 3 "seconds" of 2 ms

    fake.inject({ fault: { status: 429, retryAfter: 3_600 } });
    const d = client({ maxWaitSeconds: 60 });
    const error = await d.get("projects/2").catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitExhaustedError);
    expect((error as Error).message).toMatch(/Fake's rate limit is exhausted until .* continues from there/);
  });

  it("waits for a spent budget to reset instead of earning a 429", async () => {
    const c = client();
    await c.get("projects/3");
    c.rateLimit.remaining = 0;
    c.rateLimit.resetAt = new Date(Date.now() + 2_000);
    await c.get("projects/3");
    expect(c.requests).toBe(2);
    expect(c.waitedMs).toBe(4);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("says which credentials to check, and never prints the token", async () => {
    const bad = new SourceClient({
      name: "Fake",
      baseUrl: `${fake.url}/api/v4`,
      headers: { "private-token": "nope-nope" },
    });
    await expect(bad.get("projects/1")).rejects.toBeInstanceOf(SourceAuthError);
    const forbidden = (await client()
      .get("forbidden")
      .catch((e) => e)) as Error;
    expect(forbidden).toBeInstanceOf(SourceAuthError);
    expect(forbidden.message).toBe(
      "Fake refused GET /api/v4/forbidden (403: no permission): check FAKE_TOKEN",
    );
    const missing = (await client()
      .get("nothing/here")
      .catch((e) => e)) as Error;
    expect(missing).toBeInstanceOf(SourceNotFoundError);
    for (const e of [forbidden, missing]) expect(e.message).not.toContain(TOKEN);
  });

  it("answers 304 for an unchanged resource with its ETag", async () => {
    const c = client();
    const first = await c.getConditional<{ id: string }>("projects/4", null);
    expect(first.status).toBe(200);
    const etag = (first as { etag: string }).etag;
    const again = await c.getConditional("projects/4", etag);
    expect(again).toEqual({ status: 304, etag });
    expect(c.notModified).toBe(1);
  });

  it("follows redirects on its own origin only, and posts JSON", async () => {
    const c = client();
    expect((await c.get<{ id: string }>("moved")).data).toEqual({ id: "7" });
    await expect(c.get("away")).rejects.toThrow(/another host .*refusing to send credentials/);
    await expect(c.get("http://example.invalid/x")).rejects.toBeInstanceOf(SourceError);
    expect((await c.post("echo", { a: 1 })).data).toEqual({ a: 1 });
  });
});

describe("source helpers", () => {
  it("reads rate-limit headers of every family", () => {
    const now = Date.UTC(2026, 0, 1);
    const gitlab = readRateLimit(
      new Headers({ "RateLimit-Remaining": "5", "RateLimit-Limit": "2000", "RateLimit-Reset": "1767225660" }),
      now,
    );
    expect(gitlab).toEqual({ remaining: 5, limit: 2000, resetAt: new Date(1767225660 * 1000) });
    // PagerDuty's reset is in seconds.
    expect(
      readRateLimit(new Headers({ "ratelimit-remaining": "0", "ratelimit-reset": "30" }), now).resetAt,
    ).toEqual(new Date(now + 30_000));
    expect(
      readRateLimit(
        new Headers({ "X-RateLimit-State": "THROTTLED", "X-RateLimit-Period-In-Sec": "10" }),
        now,
      ),
    ).toEqual({ remaining: 0, limit: null, resetAt: new Date(now + 10_000) });
    expect(retryAfterSeconds(new Headers({ "retry-after": "7" }), now)).toBe(7);
    expect(retryAfterSeconds(new Headers({ "retry-after": new Date(now + 20_000).toUTCString() }), now)).toBe(
      20,
    );
    expect(retryAfterSeconds(new Headers(), now)).toBeNull();
  });

  it("parses Link headers and splits time windows", () => {
    expect(nextLink('<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"')).toBe(
      "https://x/a?page=2",
    );
    expect(nextLink('<https://x/a?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
    const slices = timeSlices(new Date("2026-01-01"), new Date("2026-12-31"), 180);
    expect(slices.map((s) => s.since.toISOString().slice(0, 10))).toEqual([
      "2026-01-01",
      "2026-06-30",
      "2026-12-27",
    ]);
    expect(slices.at(-1)?.until.toISOString().slice(0, 10)).toBe("2026-12-31");
  });

  it("compares secrets in constant time and redacts them", () => {
    expect(secretsEqual("abc", "abc")).toBe(true);
    expect(secretsEqual("abc", "abcd")).toBe(false);
    const body = '{"event":{}}';
    const good = hmacSha256Hex("s3cret", body);
    expect(anySignatureMatches("s3cret", body, ["deadbeef", good])).toBe(true);
    expect(anySignatureMatches("s3cret", body, ["deadbeef"])).toBe(false);
    const redact = redactor(["glpat-xyz-123", null]);
    expect(redact("token glpat-xyz-123 at https://u:p@host/x, Authorization: Basic dXNlcjp0b2tlbg==")).toBe(
      "token *** at https://***@host/x, Authorization: Basic ***",
    );
  });
});
