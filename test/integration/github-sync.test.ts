import { expect, it } from "vitest";
import { repositorySyncStatus } from "@/lib/ingest/status";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { fakeData, sampleRepository, startFakeGitHub } from "@/test/fakes/github";
import { describeDb } from "@/test/helpers/db";
import { config, snapshot, sync } from "@/test/helpers/github";

const H = 3_600;
const CONFIG = config(`
github: { repositories: [acme/api], since: 2026-01-01 }
deployments:
  rules: [ { release: "v*", environment: release } ]
incidents: { labels: [incident, Incident] }
`);
const MARCH = period("2026-03-01", "2026-03-08");
/** The sample happens in early March 2026: sync as if shortly after. */
const NOW = { now: new Date("2026-03-08T00:00:00Z") };

/**
 * The sample repository (test/fakes/github/fixture.ts) through the real GitHub protocol: squash, merge and rebase
 * merges, a bot PR, a revert, staging and production deployments, a failed deployment, releases, incidents.
 */
describeDb("GitHub sync against the fake GitHub", ({ db }) => {
  it("a full sync stores exactly what GitHub says, as the metrics need it", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      const s = await sync(db(), fake, CONFIG, NOW);
      expect(s.repositories.map((r) => [r.repository, r.ok])).toEqual([["acme/api", true]]);
      const snap = await snapshot(db());
      expect(snap.commits).toHaveLength(11);
      expect(
        snap.pullRequests.map((p) => {
          const r = p as Record<string, unknown>;
          return [
            r.number,
            r.state,
            r.merge_method,
            r.first_commit_at,
            r.is_bot,
            r.is_revert,
            r.reverts_number,
          ];
        }),
      ).toEqual([
        [1, "merged", "merge", "2026-03-02 11:00:00+00", false, false, null],
        [2, "merged", "squash", "2026-03-03 11:00:00+00", false, false, null],
        [3, "merged", "rebase", "2026-03-04 11:00:00+00", false, false, null],
        [4, "merged", null, "2026-03-05 06:00:00+00", true, false, null],
        [5, "merged", null, "2026-03-05 11:00:00+00", false, true, 2],
        [6, "open", null, "2026-03-05 14:00:00+00", false, false, null],
      ]);
      const pr2 = snap.pullRequests[1] as Record<string, unknown>;
      expect(pr2.ready_at).toBe("2026-03-03 14:00:00+00"); // left draft at 14:00
      const deps = snap.deployments.map((d) => {
        const r = d as Record<string, unknown>;
        return [
          r.environment,
          r.status,
          r.external_id,
          r.attribution,
          r.change_count,
          r.is_failed,
          r.trigger,
        ];
      });
      expect(deps).toEqual([
        ["staging", "success", "deployment:1036270001", "baseline", 0, false, "ci"],
        ["staging", "success", "deployment:1036270002", "graph", 3, false, "ci"],
        ["production", "success", "deployment:1036270003", "baseline", 0, true, "ci"],
        ["production", "failure", "deployment:1036270004", "none", 0, false, "manual"],
        ["release", "success", "release:v1.0.0", "baseline", 0, false, "unknown"],
        ["release", "success", "release:v1.1.0", "graph", 2, false, "unknown"],
      ]);
      expect(snap.incidents).toEqual([
        {
          external_id: "acme/api#7",
          opened_at: "2026-03-04 10:30:00+00",
          resolved_at: "2026-03-04 12:00:00+00",
          severity: "sev2",
          caused_by_sha: null,
          link_method: null,
          linked: null, // no production deployment in the 24 h before it
        },
        {
          external_id: "acme/api#9",
          opened_at: "2026-03-05 15:00:00+00",
          resolved_at: null,
          severity: null,
          caused_by_sha: null,
          link_method: "window",
          linked: "deployment:1036270003",
        },
      ]);
      expect(snap.builds).toHaveLength(6);

      // Staging shipped S2 (squash of #2: from its first commit 03-03 11:00 to 03-04 17:05) and R3a/R3b (rebased,
      // authored 03-04 11:00): 30 h 05 min, 6 h 05 min, 6 h 05 min.
      const staging = await getDashboard(db(), {
        slice: { repo: "acme/api", environment: "staging" },
        period: MARCH,
      });
      expect(staging.metrics.changeLeadTime.current).toMatchObject({
        changes: 3,
        median: 6 * H + 300,
        p90: 91_020,
      });
      // p90 of 21 900, 21 900, 108 300: 21 900 + 0.8 × 86 400
      expect(staging.metrics.deploymentFrequency.current.deployments).toBe(2);
      const production = await getDashboard(db(), { slice: { repo: "acme/api" }, period: MARCH });
      expect(production.metrics.changeFailureRate.current).toEqual({ rate: 1, numerator: 1, deployments: 1 });
      expect(production.metrics.recoveryTime.current).toMatchObject({ recovered: 0, unrecovered: 1 });

      const status = await repositorySyncStatus(db());
      expect(status).toMatchObject([{ repository: "acme/api", status: "ok", error: null }]);
      expect(s.requests).toBe(7); // probe, commits, pulls, deployments, runs, releases, issues: one page each
    } finally {
      await fake.close();
    }
  });

  it("an incremental sync fetches only what changed; a quiet one costs two requests and gets a 304", async () => {
    const sample = sampleRepository();
    const fake = await startFakeGitHub({ data: fakeData(sample.b) });
    try {
      await sync(db(), fake, CONFIG, NOW);
      // Later: PR #10 squash-merged and deployed to production; the open incident resolved; the running CI run ends.
      const { b, issues } = sample;
      b.squashPR({
        title: "Faster refunds",
        commits: 2,
        authoredAt: "2026-03-06T08:00:00Z",
        mergedAt: "2026-03-06T09:00:00Z",
      });
      b.deploy({ env: "production", at: "2026-03-06T12:00:00Z" });
      Object.assign(issues.open, {
        state: "CLOSED",
        closedAt: "2026-03-06T10:00:00Z",
        updatedAt: "2026-03-06T10:00:00Z",
      });
      for (const run of fake.data.repositories[0]?.workflowRuns ?? []) {
        if (run.status !== "completed")
          Object.assign(run, {
            status: "completed",
            conclusion: "success",
            updatedAt: "2026-03-06T12:30:00Z",
          });
      }
      fake.reset();
      const second = await sync(db(), fake, CONFIG, NOW);
      const ops = fake.requests.map((r) => r.operationName ?? r.path);
      expect(ops).toEqual([
        "Probe",
        "History",
        "PullRequests",
        "Deployments",
        "/repos/acme/api/actions/runs",
        "Issues",
      ]);
      expect(second.requests).toBe(6);

      // The new production deployment shipped S4 (bot: not a change), S5 (revert) and #10's squash commit.
      const snap = await snapshot(db());
      const d5 = snap.deployments.find(
        (d) => (d as { external_id: string }).external_id === "deployment:1036270005",
      ) as Record<string, unknown>;
      expect(d5).toMatchObject({ environment: "production", change_count: 3, prev: "deployment:1036270003" });
      // The incident's resolution recovers the deployment it was blamed on: 03-04 18:05 → 03-06 10:00.
      const d3 = snap.deployments.find(
        (d) => (d as { external_id: string }).external_id === "deployment:1036270003",
      );
      expect(d3).toMatchObject({ is_failed: true, recovery_seconds: 39 * H + 55 * 60 });

      fake.reset();
      const quiet = await sync(db(), fake, CONFIG, NOW);
      expect(quiet.requests).toBe(2);
      expect(fake.requests.map((r) => [r.operationName ?? r.path, r.status])).toEqual([
        ["Probe", 200],
        ["/repos/acme/api/actions/runs", 304],
      ]);
      expect(fake.requests[1]?.headers["if-none-match"]).toMatch(/^"/); // octokit really sent the ETag
      expect(await snapshot(db())).toEqual(snap);
    } finally {
      await fake.close();
    }
  });

  it("one repository failing does not stop the others, and its error is recorded", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      const cfg = config("github: { repositories: [acme/api, acme/gone], since: 2026-01-01 }");
      const s = await sync(db(), fake, cfg, NOW);
      expect(s.repositories.map((r) => [r.repository, r.ok])).toEqual([
        ["acme/api", true],
        ["acme/gone", false],
      ]);
      const status = await repositorySyncStatus(db());
      expect(status.find((r) => r.repository === "acme/gone")).toMatchObject({ status: "error" });
      expect(status.find((r) => r.repository === "acme/gone")?.error).toMatch(
        /Could not resolve to a Repository|not found/,
      );
    } finally {
      await fake.close();
    }
  });

  it("a dry run reads everything and writes nothing", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    try {
      const before = await snapshot(db());
      const s = await sync(db(), fake, CONFIG, { ...NOW, dryRun: true });
      expect(s.repositories[0]?.counts).toMatchObject({ commits: 11, pulls: 6, deployments: 4 });
      expect(await snapshot(db())).toEqual(before);
    } finally {
      await fake.close();
    }
  });
});
