import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { RateLimitExhaustedError, SecondaryRateLimitError } from "@/lib/ingest/github/client";
import { IngestIncompleteError, requireAllSynced } from "@/lib/ingest/run";
import { githubSummary } from "@/lib/ingest/sources";
import { fakeData, repoBuilder, sampleRepository, startFakeGitHub } from "@/test/fakes/github";
import { describeDb } from "@/test/helpers/db";
import { config, sync } from "@/test/helpers/github";

const CONFIG = config("github: { repositories: [acme/api], since: 2026-01-01 }");

/** What a GitHub sync says while it works and when it stops, and PRs with more commits than one page lists. */
describeDb("GitHub sync: progress, limits and long pull requests", ({ db }) => {
  it("prints a progress line every few seconds while a repository syncs", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      fake.inject({ match: { operationName: "History" }, fault: { delayMs: 400 } });
      const logs: string[] = [];
      await sync(db(), fake, CONFIG, { log: (l) => logs.push(l), progressEveryMs: 100 });
      const progress = logs.filter((l) => /^ {2}acme\/api: \d+ requests so far/.test(l));
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress[0]).toMatch(/ · rate limit \d+ left · \d+ s$/);
    } finally {
      await fake.close();
    }
  });

  it("reports a secondary rate limit as one, with the hourly quota left, and stops the sync", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      fake.inject({
        match: { operationName: "PullRequests" },
        times: 5,
        fault: { rateLimit: "secondary", retryAfter: 1 },
      });
      const error = await sync(db(), fake, CONFIG).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecondaryRateLimitError);
      expect(error).toBeInstanceOf(RateLimitExhaustedError); // it stops the run like the primary limit
      expect((error as Error).message).toMatch(
        /^GitHub's secondary rate limit \(too many requests in a short time, not the hourly quota: \d+ requests of it are left\) stopped the sync where it was; run it again in 1 s/,
      );
      expect((error as Error).message).not.toMatch(/exhausted/);
    } finally {
      await fake.close();
    }
  });

  it("a run in which a repository failed is an error for the command (npm run ingest exits 1)", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      const s = await sync(
        db(),
        fake,
        config("github: { repositories: [acme/api, acme/gone], since: 2026-01-01 }"),
      );
      expect(s.repositories.map((r) => r.ok)).toEqual([true, false]);
      const summary = { sources: [githubSummary(s)] };
      expect(() => requireAllSynced(summary)).toThrow(IngestIncompleteError);
      expect(() => requireAllSynced(summary)).toThrow(
        /^1 of 2 failed; the others were synced\. Run it again to retry them:\n {2}github acme\/gone: /,
      );
    } finally {
      await fake.close();
    }
  });

  it("a PR's first commit is the earliest authored of all its commits, past the first page of 100", async () => {
    const b = repoBuilder("acme/api", { start: "2026-03-02T09:00:00Z" });
    // 130 commits half an hour apart from 03-02 10:00; the 120th, listed late, was authored first (a rebase).
    const times = Array.from(
      { length: 130 },
      (_, i) => new Date(Date.parse("2026-03-02T10:00:00Z") + i * 1_800_000),
    );
    times[119] = new Date("2026-02-20T08:00:00Z");
    b.squashPR({ title: "Big change", authoredAt: times, mergedAt: "2026-03-06T09:00:00Z" });
    b.squashPR({ title: "Small change", authoredAt: ["2026-03-06T12:00:00Z", "2026-03-06T10:00:00Z"] });
    const fake = await startFakeGitHub({ data: fakeData(b) });
    try {
      const s = await sync(db(), fake, CONFIG);
      const rows = await queryRows<{ number: number; first: string }>(
        db(),
        sql`select number, to_char(first_commit_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as first
            from pull_requests order by number`,
      );
      expect(rows).toEqual([
        { number: 1, first: "2026-02-20T08:00Z" },
        { number: 2, first: "2026-03-06T10:00Z" },
      ]);
      // One page of pull requests, and one more request for the rest of #1's commits.
      expect(s.client.byResource.get("pulls")).toBe(2);
    } finally {
      await fake.close();
    }
  });
});
