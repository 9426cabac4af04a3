import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { RateLimitExhaustedError } from "@/lib/ingest/github/client";
import { fakeData, sampleRepository, startFakeGitHub } from "@/test/fakes/github";
import { describeDb } from "@/test/helpers/db";
import { config, snapshot, sync } from "@/test/helpers/github";

const CONFIG = config(`
github: { repositories: [acme/api], since: 2026-01-01 }
incidents: { labels: [incident, Incident] }
`);

describeDb("GitHub sync under faults", ({ db }) => {
  async function cleanSnapshot() {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      await sync(db(), fake, CONFIG);
      return await snapshot(db());
    } finally {
      await fake.close();
      await db().execute(
        sql`truncate repositories, teams, environments, incidents, sync_state restart identity cascade`,
      );
    }
  }

  it("survives 5xx, truncated bodies, a timeout, secondary and GraphQL rate limits: same rows as a clean sync", async () => {
    const clean = await cleanSnapshot();
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      fake.inject({ match: { operationName: "PullRequests" }, times: 2, fault: { status: 502 } });
      fake.inject({ match: { path: /actions\/runs/ }, fault: { truncate: true } });
      fake.inject({ match: { operationName: "History" }, fault: { delayMs: 1_500 } });
      fake.inject({
        match: { operationName: "Deployments" },
        fault: { rateLimit: "secondary", retryAfter: 1 },
      });
      fake.inject({ match: { operationName: "Issues" }, fault: { rateLimit: "primary", resetInSeconds: 1 } });
      const logs: string[] = [];
      const s = await sync(db(), fake, CONFIG, { client: { timeoutMs: 500 }, log: (l) => logs.push(l) });
      expect(s.repositories[0]).toMatchObject({ ok: true });
      expect(await snapshot(db())).toEqual(clean);
      // A clean sync of this config is 6 requests (probe, history, pulls, deployments, runs, issues); each fault
      // cost exactly one more per occurrence: 2 × 502, the timeout, the truncated body, two rate limits.
      expect(s.requests).toBe(12);
      const statuses = fake.requests.map((r) => r.status);
      expect(statuses.filter((x) => x === 502)).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it("stops with a clear error when the rate limit is exhausted for longer than it may wait, and resumes", async () => {
    const clean = await cleanSnapshot();
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      fake.inject({
        match: { operationName: "PullRequests" },
        times: 5,
        fault: { rateLimit: "primary", resetInSeconds: 3_600 },
      });
      await expect(sync(db(), fake, CONFIG, { client: { maxRateLimitWaitSeconds: 60 } })).rejects.toThrow(
        RateLimitExhaustedError,
      );
      // Commits were written before it stopped; the next run goes on from there.
      const partial = await snapshot(db());
      expect(partial.commits).toHaveLength(11);
      expect(partial.pullRequests).toHaveLength(0);
      fake.reset();
      await sync(db(), fake, CONFIG);
      expect(await snapshot(db())).toEqual(clean);
    } finally {
      await fake.close();
    }
  });

  it("never puts the token in the database, the logs or an error", async () => {
    const token = "ghp_SecretTokenThatMustNotLeak1234567890";
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b), token });
    try {
      const logs: string[] = [];
      fake.inject({ match: { operationName: "Deployments" }, times: 10, fault: { status: 500 } });
      const s = await sync(db(), fake, CONFIG, {
        client: { auth: { kind: "token", token } },
        log: (l) => logs.push(l),
      });
      expect(s.repositories[0]?.ok).toBe(false);
      const { client: _client, ...summary } = s;
      const text = JSON.stringify([
        logs,
        summary,
        await queryRows(db(), sql`select * from sync_state`),
        await snapshot(db()),
      ]);
      expect(text).not.toContain(token);
      expect(s.repositories[0]?.error).toMatch(/GitHub request failed \(500\)/);
    } finally {
      await fake.close();
    }
  });

  it("a wrong token is a clear error per repository", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b), token: "right" });
    try {
      await expect(
        sync(db(), fake, CONFIG, { client: { auth: { kind: "token", token: "wrong" } } }),
      ).rejects.toThrow(/401|Bad credentials/);
    } finally {
      await fake.close();
    }
  });
});
