import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { ingestGitRepository } from "@/lib/ingest/git";
import { upsertDeployments, upsertIncidents } from "@/lib/ingest/store";
import { getDashboard } from "@/lib/metrics/dashboard";
import { deriveRepositories } from "@/lib/metrics/derive";
import { period } from "@/lib/metrics/period";
import { fakeData, fakeRepositoryFromGit, startFakeGitHub } from "@/test/fakes/github";
import { buildService, type Service, serviceOnGitHub } from "@/test/fixtures/service";
import { describeDb } from "@/test/helpers/db";
import { config, sync } from "@/test/helpers/github";

const H = 3_600;
const MARCH = period("2026-03-01", "2026-03-31");

/**
 * Redeploys, rollbacks inside and outside the rollback window, an incident after a redeploy, and pull requests whose
 * times are out of order (test/fixtures/service.ts), through the GitHub sync and through the local git ingest with
 * the deployments and the incident reported as a pipeline and a pager would (the push API's records).
 */
describeDb("a service's redeploys, rollbacks and incidents (real git)", ({ db }) => {
  let s: Service;
  beforeAll(() => {
    s = buildService();
  });
  afterAll(() => s?.repo.remove());

  async function viaGitHub() {
    const repo = serviceOnGitHub(s, fakeRepositoryFromGit(s.repo.dir, "acme/api"));
    const fake = await startFakeGitHub({ data: fakeData(repo) });
    try {
      const r = await sync(db(), fake, config("github: { repositories: [acme/api], since: 2026-01-01 }"));
      expect(r.repositories[0]).toMatchObject({ ok: true });
    } finally {
      await fake.close();
    }
  }

  async function viaGit() {
    await ingestGitRepository(db(), { path: s.repo.dir, repo: "acme/api" });
    await upsertDeployments(
      db(),
      s.deployments.map((d) => ({
        repository: "acme/api",
        environment: "production",
        sha: d.sha,
        status: "success" as const,
        createdAt: d.at,
        finishedAt: d.at,
        source: "api" as const,
        externalId: d.id,
      })),
    );
    await upsertIncidents(db(), [
      {
        source: "api",
        externalId: "I1",
        repository: "acme/api",
        openedAt: s.incident.openedAt,
        resolvedAt: s.incident.resolvedAt,
      },
    ]);
    await deriveRepositories(db());
  }

  async function outcomes() {
    const rows = await queryRows<Record<string, unknown>>(
      db(),
      sql`select d.sha, d.finished_at, d.kind, d.is_counted, d.is_failed, d.failure_reasons::text as reasons,
                 d.recovery_seconds, d.is_rework, d.discounted_reasons::text as discounted, d.change_count,
                 (select u.finished_at from deployments u where u.id = d.undoes_deployment_id) as undoes_at
          from deployments d order by d.finished_at`,
    );
    return rows.map((r) => [
      r.kind,
      r.is_counted,
      r.is_failed,
      r.reasons,
      r.recovery_seconds === null ? null : Number(r.recovery_seconds),
      r.is_rework,
      r.discounted,
      Number(r.change_count),
    ]);
  }

  const expected = [
    ["normal", true, false, "{}", null, false, "{}", 0], // D1 baseline
    ["normal", true, true, "{rollback}", 1_800, false, "{}", 1], // D2, rolled back by D3
    ["rollback", true, false, "{}", null, true, "{}", 0], // D3
    ["normal", true, true, "{incident}", 95_400, false, "{}", 2], // D4: c2 again, c3; the incident after D5
    ["redeploy", false, false, "{}", null, false, "{}", 0], // D5
    ["normal", true, false, "{}", null, false, "{}", 1], // D6: taken back 10 days later, not failed
    ["redeploy", false, false, "{}", null, false, "{rollback}", 0], // D7: a rollback beyond the window
    ["normal", true, false, "{}", null, false, "{}", 2], // D8: c4 again, c5
  ];

  for (const [source, load] of [
    ["GitHub sync", viaGitHub],
    ["local git ingest + pushed deployments", viaGit],
  ] as const) {
    it(`${source}: rollbacks within the window fail what they undo, an incident follows a redeploy`, async () => {
      await load();
      expect(await outcomes()).toEqual(expected);
      const dash = await getDashboard(db(), {
        slice: { repo: "acme/api" },
        period: MARCH,
        granularity: "month",
      });
      const m = dash.metrics;
      expect(m.deploymentFrequency.current.deployments).toBe(6); // D1 D2 D3 D4 D6 D8
      expect(m.changeFailureRate.current).toEqual({ rate: 2 / 6, numerator: 2, deployments: 6 });
      expect(m.recoveryTime.current).toMatchObject({ recovered: 2, median: (1_800 + 95_400) / 2 });
      expect(m.reworkRate.current).toEqual({ rate: 1 / 6, numerator: 1, deployments: 6 });
      expect(dash.quality.find((n) => n.code === "discounted_remedies")?.message).toMatch(
        /^1 rollback in this period/,
      );
      // c2 3 h, c3 2.5 h, c4 30 min (its squash; PR #8's commit is dated after the merge), c5: see below
      const lead = m.changeLeadTime.current;
      if (source === "GitHub sync") {
        // c5 squashes PR #7, whose earliest commit (r2, listed second) is 03-18 15:00: 43 h
        expect(lead).toMatchObject({ changes: 4, median: (2.5 * H + 3 * H) / 2 });
        const [c5] = await queryRows<{ lead: number; first: string }>(
          db(),
          sql`select c.lead_seconds as lead, p.first_commit_at::text as first from deployment_changes c
              join pull_requests p on p.id = c.pull_request_id where p.number = 7`,
        );
        expect(Number(c5?.lead)).toBe(43 * H);
        expect(new Date(String(c5?.first)).toISOString()).toBe("2026-03-18T15:00:00.000Z");
      } else {
        // Without pull requests a squash commit starts at its own author time: c5 1 h
        expect(lead).toMatchObject({ changes: 4, median: (H + 2.5 * H) / 2 });
      }
    });
  }

  it("GitHub sync: the PR breakdown drops stages that end before they start; a PR's total is never shorter than its deploy stage", async () => {
    await viaGitHub();
    const { breakdown } = await getDashboard(db(), {
      slice: { repo: "acme/api" },
      period: MARCH,
      granularity: "month",
    });
    // #7: coding 20 h, pickup 2 h, review 20 h, deploy 1 h, total 43 h
    // #8: coding — (its commit is dated after it was opened), pickup — (reviewed before it was opened),
    //     review 07:00 → 09:30 = 2.5 h, deploy 30 min, total 30 min (from its change's start, the squash)
    expect(breakdown.current).toEqual({
      prs: 2,
      unreviewed: 0,
      codingP50: 20 * H,
      pickupP50: 2 * H,
      reviewP50: (20 * H + 2.5 * H) / 2,
      deployP50: (H + 0.5 * H) / 2,
      totalP50: (43 * H + 0.5 * H) / 2,
    });
  });
});
