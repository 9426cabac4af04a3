import { expect, it } from "vitest";
import { repositorySyncStatus } from "@/lib/ingest/status";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { startFakeJenkins } from "@/test/fakes/jenkins";
import { jenkinsFixture, PAYMENTS, JENKINS_YAML as YAML } from "@/test/fakes/jenkins/fixture";
import { sha } from "@/test/fixtures/sha";
import { buildRows, deploymentRows, syncJenkinsFake } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";

const NOW = new Date("2026-03-05T12:00:00Z");
describeDb("Jenkins sync against a local Jenkins", ({ db }) => {
  it("stores every build as a CI build or a deployment, exactly, and the metrics count the deployments", async () => {
    const fake = await startFakeJenkins(jenkinsFixture());
    try {
      const s = await syncJenkinsFake(db(), fake.url, YAML, { now: NOW });
      expect(s.scopes.map((r) => [r.scope, r.ok, r.counts])).toEqual([
        ["(job list)", true, { jobs: 6 }],
        ["legacy/build", true, { builds: 1 }],
        ["payments/api/feature%2Fcheckout", true, { builds: 1 }],
        ["payments/api/main", true, { builds: 102 }],
        ["payments/deploy", true, { builds: 5 }],
        ["platform/tools/ci/nightly/lint", true, { builds: 1 }],
        ["tools/no-scm", true, { builds: 1 }],
      ]);
      // The job list (four levels) + the folder nested deeper, then one page per job and two for main.
      expect(s.requests).toBe(2 + 1 + 1 + 2 + 1 + 1 + 1);
      expect(fake.requests.every((r) => r.method === "GET" && !("jenkins-crumb" in r.headers))).toBe(true);
      expect(s.log).toContain("tools/no-scm: 1 not stored: no git revision (the build checked nothing out)");

      const deps = await deploymentRows(db());
      expect(deps).toEqual([
        {
          repo: "acme/Payments-API",
          service: "payments-api",
          environment: "production",
          id: "payments/deploy#1",
          sha: sha("p1"),
          status: "success",
          finished: "2026-03-02 10:05:00+00",
          trigger: "ci",
          is_counted: true,
          is_failed: false,
          recovery_seconds: null,
        },
        expect.objectContaining({
          environment: "staging",
          id: "payments/deploy#2",
          finished: "2026-03-03 09:04:00+00",
        }),
        expect.objectContaining({ id: "payments/deploy#3", status: "failure", is_counted: false }),
        expect.objectContaining({
          id: "payments/deploy#4",
          status: "success",
          trigger: "manual",
          is_counted: true,
        }),
        expect.objectContaining({ id: "payments/deploy#5", status: "in_progress", finished: null }),
      ]);

      const builds = await buildRows(db());
      expect(builds).toHaveLength(105);
      const byId = new Map(builds.map((b) => [b.id, b]));
      expect(byId.get("payments/api/main#150")).toEqual({
        repo: "acme/Payments-API",
        id: "payments/api/main#150",
        workflow: "payments/api/main",
        branch: "main",
        sha: sha("main-150"),
        event: "push",
        status: "completed",
        conclusion: "failure",
        queued: "2026-02-26 05:59:55+00",
        started: "2026-02-26 06:00:00+00",
        finished: "2026-02-26 06:02:00+00",
        attempt: 1,
      });
      expect(byId.has("payments/api/main#49")).toBe(true); // 2026-02-01 00:00, the horizon itself
      expect(byId.has("payments/api/main#48")).toBe(false);
      expect(byId.get("payments/api/feature%2Fcheckout#1")).toMatchObject({
        branch: "feature/checkout",
        conclusion: "unstable",
        queued: null, // no Metrics plugin: queue time unknown
      });
      expect(byId.get("platform/tools/ci/nightly/lint#1")).toMatchObject({ repo: "acme/platform-tools" });
      // Mapped by config (its remote names another repository); no BuildData: the change set's newest commit.
      expect(byId.get("legacy/build#1")).toMatchObject({ repo: "acme/legacy", sha: sha("g1") });

      const prod = await getDashboard(db(), {
        slice: { repo: "acme/Payments-API" },
        period: period("2026-03-01", "2026-03-07"),
      });
      expect(prod.metrics.deploymentFrequency.current.deployments).toBe(2);
      expect(prod.metrics.changeFailureRate.current).toEqual({ rate: 0, numerator: 0, deployments: 2 });

      const status = await repositorySyncStatus(db(), "jenkins");
      expect(status.map((r) => [r.repository, r.status])).toContainEqual(["payments/deploy", "ok"]);
    } finally {
      await fake.close();
    }
  });

  it("reads only new and still-running builds; a quiet Jenkins costs only its job list", async () => {
    const fake = await startFakeJenkins(jenkinsFixture());
    try {
      await syncJenkinsFake(db(), fake.url, YAML, { now: NOW });
      fake.model.update("payments/deploy", 5, { building: false, result: "SUCCESS", durationMs: 360_000 });
      fake.model.build("payments/api/main", {
        at: "2026-03-05T09:00:00Z",
        sha: sha("main-151"),
        branch: "main",
        remote: PAYMENTS,
        causes: ["org.jenkinsci.plugins.workflow.cps.replay.ReplayCause"],
      });
      fake.reset();
      const next = await syncJenkinsFake(db(), fake.url, YAML, { now: NOW });
      // The job list (two requests: one folder is nested deeper than the four levels listed at once), the deploy job
      // (build #5 was running) and main (a new build).
      expect(next.requests).toBe(4);
      expect(fake.requests.map((r) => r.query.get("tree")?.match(/\{\d+,\d+\}$/)?.[0] ?? "list")).toEqual([
        "list",
        "list",
        "{0,100}",
        "{0,100}",
      ]);
      const deps = await deploymentRows(db());
      expect(deps.find((d) => d.id === "payments/deploy#5")).toMatchObject({
        status: "success",
        finished: "2026-03-05 08:06:00+00",
        is_counted: true,
      });
      const builds = await buildRows(db());
      expect(builds.find((b) => b.id === "payments/api/main#151")).toMatchObject({
        event: "replay",
        attempt: 2,
      });

      fake.reset();
      const quiet = await syncJenkinsFake(db(), fake.url, YAML, { now: NOW });
      expect(quiet.requests).toBe(2);
      expect(quiet.scopes.every((r) => r.ok)).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it("retries server errors and cut-off answers; bad credentials stop the sync with a clear message", async () => {
    const fake = await startFakeJenkins(jenkinsFixture());
    try {
      fake.inject({ match: { path: /payments\/job\/api\/job\/main/ }, fault: { status: 502 } });
      fake.inject({ match: { path: /payments\/job\/deploy/ }, fault: { truncate: true } });
      const s = await syncJenkinsFake(db(), fake.url, YAML, { now: NOW });
      expect(s.scopes.every((r) => r.ok)).toBe(true);
      expect(await buildRows(db())).toHaveLength(105);
      expect(s.log.some((l) => /server error 502.*retrying/.test(l))).toBe(true);

      const wrong = await syncJenkinsFake(db(), fake.url, YAML, { now: NOW, token: "not-the-token-0000" });
      expect(wrong.scopes).toHaveLength(1);
      expect(wrong.scopes[0]?.ok).toBe(false);
      expect(wrong.scopes[0]?.error).toBe(
        "Jenkins refused the credentials (401): check JENKINS_USER and JENKINS_TOKEN (an API token of a user with Overall/Read and Job/Read)",
      );
      expect(wrong.stopped).toBe(wrong.scopes[0]?.error);
      const status = await repositorySyncStatus(db(), "jenkins");
      expect(status.find((r) => r.repository === "(job list)")).toMatchObject({ status: "error" });
    } finally {
      await fake.close();
    }
  });
});
