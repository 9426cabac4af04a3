import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { repositorySyncStatus } from "@/lib/ingest/status";
import { type LocalDate, period } from "@/lib/metrics/period";
import { getPipeline } from "@/lib/pipeline";
import { startFakeGitLab } from "@/test/fakes/gitlab";
import { GITLAB_YAML, gitlabFixture } from "@/test/fakes/gitlab/fixture";
import { sha } from "@/test/fixtures/sha";
import { deploymentRows, domainSnapshot, incidentRows } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";
import { gitlabBuilds, syncGitLabFake } from "@/test/helpers/gitlab";

const prRows = (db: Db) =>
  queryRows<Record<string, unknown>>(
    db,
    sql.raw(`select r.full_name as repo, p.number, p.is_bot, p.merge_sha, p.merge_method,
      p.first_commit_at::text as first_commit, p.first_review_at::text as first_review,
      p.approved_at::text as approved, p.merged_at::text as merged, p.is_revert
     from pull_requests p join repositories r on r.id = p.repository_id order by r.full_name, p.number`),
  );

const requestsOf = (fake: { requests: { method: string; path: string }[] }) =>
  fake.requests.map((r) => `${r.method} ${r.path}`);

describeDb("GitLab sync against a local GitLab", ({ db }) => {
  it("stores projects, merge requests, pipelines, deployments and incidents exactly, and re-syncs quietly", async () => {
    const fake = await startFakeGitLab(gitlabFixture(), { rateLimit: 2_000 });
    try {
      const s = await syncGitLabFake(db(), fake.url, GITLAB_YAML);
      expect(s.scopes.map((r) => [r.scope, r.ok, r.counts])).toEqual([
        ["(project list)", true, { projects: 3 }],
        ["acme/gone", false, {}],
        [
          "acme/platform/api",
          true,
          { commits: 8, "merge-requests": 4, pipelines: 3, deployments: 4, issues: 2 },
        ],
        ["acme/web", true, { commits: 2, pipelines: 3, releases: 1 }],
      ]);
      expect(s.scopes[1]?.error).toBe(
        "GitLab project acme/gone not found or not visible to this token (404)",
      );
      // Listing; per project: the probe, commits, MRs, pipelines with their jobs (GraphQL), deployments, issues or
      // rule streams (releases); job and pipeline-source rules cost nothing more: they read the pipelines' jobs.
      expect(s.requests).toBe(1 + 1 + 6 + 5);
      expect(s.client.rateLimit.remaining).toBe(2_000 - 13);

      expect(await prRows(db())).toEqual([
        {
          repo: "acme/platform/api",
          number: 1,
          is_bot: false,
          merge_sha: sha("m1"),
          merge_method: "merge",
          first_commit: "2026-02-02 08:00:00+00", // the earliest authored of its two commits
          first_review: "2026-02-02 15:00:00+00", // Bob's note; Alice's own note is not a review
          approved: "2026-02-03 09:00:00+00",
          merged: "2026-02-03 12:00:00+00",
          is_revert: false,
        },
        expect.objectContaining({
          number: 2,
          merge_sha: sha("sq2"),
          merge_method: "squash",
          first_commit: "2026-02-04 09:00:00+00",
          first_review: "2026-02-05 09:00:00+00",
          approved: "2026-02-05 09:00:00+00",
        }),
        expect.objectContaining({
          number: 3,
          is_bot: true,
          merge_sha: sha("b1"),
          merge_method: "rebase",
          first_review: null,
        }),
        expect.objectContaining({ number: 4, merge_sha: sha("m4"), merge_method: "merge", is_revert: true }),
      ]);

      const deps = await deploymentRows(db());
      expect(
        deps.map((d) => [
          d.repo,
          d.environment,
          d.id,
          d.sha,
          d.status,
          d.finished,
          d.is_counted,
          d.is_failed,
        ]),
      ).toEqual([
        [
          "acme/platform/api",
          "staging",
          "deployment:1",
          sha("sq2"),
          "success",
          "2026-02-05 11:00:30+00",
          true,
          false,
        ],
        [
          "acme/platform/api",
          "production",
          "deployment:2",
          sha("sq2"),
          "success",
          "2026-02-05 12:00:30+00",
          true,
          true,
        ],
        [
          "acme/platform/api",
          "production",
          "deployment:3",
          sha("b1"),
          "failure",
          "2026-02-06 10:00:30+00",
          false,
          false,
        ],
        [
          "acme/platform/api",
          "production",
          "deployment:4",
          sha("m4"),
          "success",
          "2026-02-07 12:00:30+00",
          true,
          true,
        ],
        [
          "acme/web",
          "production",
          "release:v1.0.0",
          sha("w1"),
          "success",
          "2026-02-09 12:00:00+00",
          true,
          false,
        ],
        // deploy-staging on main; the same job on a feature branch and the test job are not deployments
        ["acme/web", "staging", "job:7001", sha("w2"), "success", "2026-02-10 10:05:00+00", true, false],
        // The scheduled pipeline on main (source rule); a push pipeline is not a deployment
        ["acme/web", "nightly", "pipeline:603", sha("w2"), "success", "2026-02-11 02:06:00+00", true, false],
      ]);
      // The incident (closed 15:00) recovers deployment 2 (live 12:00:30): 2 h 59 min 30 s.
      expect(deps[1]?.recovery_seconds).toBe(10_770);

      // A pipeline is a run; its jobs are builds of it with their stage, queue (GitLab's queued_duration) and run
      // times; a retried job is attempt 2.
      const builds = await gitlabBuilds(db());
      const row = (b: Record<string, unknown>) => [
        b.id,
        b.workflow,
        b.stage,
        b.parent,
        b.status,
        b.conclusion,
        b.queued,
        b.started,
        b.finished,
        b.attempt,
      ];
      const P1 = "pipeline:501";
      const P2 = "pipeline:502";
      expect(builds.filter((b) => b.repo === "acme/platform/api").map(row)).toEqual([
        [
          "job:8001",
          "build",
          "build",
          P1,
          "completed",
          "success",
          "2026-02-03 12:00:20+00",
          "2026-02-03 12:01:00+00",
          "2026-02-03 12:02:00+00",
          1,
        ],
        [
          "job:8002",
          "rspec",
          "test",
          P1,
          "completed",
          "success",
          "2026-02-03 12:02:00+00",
          "2026-02-03 12:02:30+00",
          "2026-02-03 12:06:00+00",
          1,
        ],
        [
          "job:8003",
          "build",
          "build",
          P2,
          "completed",
          "success",
          "2026-02-05 10:00:20+00",
          "2026-02-05 10:00:40+00",
          "2026-02-05 10:01:40+00",
          1,
        ],
        [
          "job:8004",
          "rspec",
          "test",
          P2,
          "completed",
          "failure",
          "2026-02-05 10:01:40+00",
          "2026-02-05 10:01:50+00",
          "2026-02-05 10:02:50+00",
          1,
        ],
        [
          "job:8005",
          "rspec",
          "test",
          P2,
          "completed",
          "failure",
          "2026-02-05 10:02:55+00",
          "2026-02-05 10:03:00+00",
          "2026-02-05 10:04:00+00",
          2,
        ],
        [
          "job:8006",
          "build",
          "build",
          "pipeline:503",
          "in_progress",
          null,
          "2026-02-07 11:00:10+00",
          "2026-02-07 11:00:30+00",
          null,
          1,
        ],
        [
          P1,
          "pipeline",
          null,
          null,
          "completed",
          "success",
          "2026-02-03 12:00:10+00",
          "2026-02-03 12:01:00+00",
          "2026-02-03 12:06:00+00",
          1,
        ],
        [
          P2,
          "pipeline",
          null,
          null,
          "completed",
          "failure",
          "2026-02-05 10:00:10+00",
          "2026-02-05 10:00:40+00",
          "2026-02-05 10:04:00+00",
          1,
        ],
        [
          "pipeline:503",
          "pipeline",
          null,
          null,
          "in_progress",
          null,
          "2026-02-07 11:00:10+00",
          "2026-02-07 11:00:30+00",
          null,
          1,
        ],
      ]);
      expect(
        builds.filter((b) => b.repo === "acme/web").map((b) => [b.id, b.branch, b.event, b.conclusion]),
      ).toEqual([
        ["job:7001", "main", "push", "success"],
        ["job:7002", "feature", "push", "success"],
        ["job:7003", "main", "push", "failure"],
        ["pipeline:601", "main", "push", "failure"],
        ["pipeline:602", "feature", "push", "success"],
        ["pipeline:603", "main", "schedule", "success"],
      ]);

      // The pipeline view: CI health counts pipelines (runs); "slowest" lists the GitLab jobs with their stage.
      const view = await getPipeline(db(), {
        slice: { team: "platform" },
        period: period("2026-02-01" as LocalDate, "2026-02-28" as LocalDate),
        now: new Date("2026-03-01T00:00:00Z"),
      });
      const ci = view.ci.current;
      expect([ci.runs, ci.defaultBranch.decided, ci.defaultBranch.passed, ci.reruns]).toEqual([6, 4, 2, 0]);
      expect(
        ci.slowest.map((w) => [w.repository, w.stage, w.workflow, w.kind, w.runs, w.duration.p50]),
      ).toEqual([
        ["acme/web", "test", "deploy-staging", "job", 1, 180],
        ["acme/platform/api", "build", "build", "job", 2, 60],
        ["acme/platform/api", "test", "rspec", "job", 3, 60], // 210, 60 and 60 s (a retry)
        ["acme/web", "test", "test", "job", 1, 40],
      ]);

      expect(await incidentRows(db())).toEqual([
        {
          source: "gitlab",
          id: "acme/platform/api#5",
          title: "Checkout returns 500",
          repo: "acme/platform/api",
          service: null,
          severity: null,
          opened: "2026-02-05 13:00:00+00",
          resolved: "2026-02-05 15:00:00+00",
          cause: sha("sq2").slice(0, 10),
          link_method: "sha",
          linked: "deployment:2",
        },
        expect.objectContaining({
          id: "acme/platform/api#7",
          severity: "sev2",
          resolved: null,
          link_method: "window",
        }),
      ]);
      const repos = await queryRows<{ full_name: string; provider: string; default_branch: string }>(
        db(),
        sql`select full_name, provider, default_branch from repositories order by full_name`,
      );
      expect(repos).toEqual([
        { full_name: "acme/platform/api", provider: "gitlab", default_branch: "main" },
        { full_name: "acme/web", provider: "gitlab", default_branch: "main" },
      ]);

      // Quiet re-sync: the listing, then per project the probe and the deployments check (+ each rule stream).
      const before = await domainSnapshot(db());
      fake.reset();
      const quiet = await syncGitLabFake(db(), fake.url, GITLAB_YAML);
      expect(quiet.scopes.filter((r) => r.ok).map((r) => [r.scope, r.requests])).toEqual([
        ["(project list)", 1],
        ["acme/platform/api", 2],
        ["acme/web", 2],
      ]);
      expect(quiet.scopes.slice(2).map((r) => r.counts)).toEqual([{}, {}]);
      expect(await domainSnapshot(db())).toEqual(before);
      const status = await repositorySyncStatus(db(), "gitlab");
      expect(status.map((x) => [x.repository, x.status])).toEqual(
        expect.arrayContaining([
          ["acme/platform/api", "ok"],
          ["acme/gone", "error"],
        ]),
      );
    } finally {
      await fake.close();
    }
  });

  it("an incremental sync reads only what changed", async () => {
    const model = gitlabFixture();
    const fake = await startFakeGitLab(model);
    try {
      await syncGitLabFake(db(), fake.url, GITLAB_YAML);
      const api = model.project("acme/platform/api");
      if (!api) throw new Error("fixture");
      api.commits.unshift({
        id: sha("n1"),
        parent_ids: [sha("m4")],
        title: "Faster login",
        author_name: "Bob",
        author_email: "bob@example.com",
        authored_date: "2026-02-08T09:00:00Z",
        committed_date: "2026-02-08T09:30:00Z",
      });
      api.mergeRequests.push({
        iid: 8,
        title: "Faster login",
        state: "merged",
        createdAt: "2026-02-08T09:05:00Z",
        updatedAt: "2026-02-08T09:30:05Z",
        mergedAt: "2026-02-08T09:30:00Z",
        sourceBranch: "faster",
        diffHeadSha: sha("n1"),
        author: { username: "bob" },
        commits: [{ sha: sha("n1"), authoredDate: "2026-02-08T09:00:00Z" }],
      });
      api.deployments.push({
        id: 5,
        iid: 5,
        ref: "main",
        sha: sha("n1"),
        created_at: "2026-02-08T10:00:00Z",
        updated_at: "2026-02-08T10:05:00Z",
        status: "success",
        environment: "production",
        deployable: {
          id: 9005,
          name: "deploy",
          started_at: "2026-02-08T10:00:00Z",
          finished_at: "2026-02-08T10:05:00Z",
        },
      });
      fake.reset();
      const s = await syncGitLabFake(db(), fake.url, GITLAB_YAML, { project: "acme/platform/api" });
      expect(s.scopes.map((r) => [r.scope, r.counts])).toEqual([
        ["(project list)", { projects: 3 }],
        ["acme/platform/api", { commits: 1, "merge-requests": 1, deployments: 1 }],
      ]);
      expect(requestsOf(fake)).toEqual([
        "GET /api/v4/groups/acme/projects",
        "POST /api/graphql",
        "GET /api/v4/projects/acme%2Fplatform%2Fapi/repository/commits",
        "POST /api/graphql",
        "GET /api/v4/projects/acme%2Fplatform%2Fapi/deployments",
      ]);
      const deps = await deploymentRows(db());
      expect(deps.find((d) => d.id === "deployment:5")).toMatchObject({
        id: "deployment:5",
        sha: sha("n1"),
        status: "success",
        is_counted: true,
      });
    } finally {
      await fake.close();
    }
  });

  it("re-reads the jobs of changed pipelines only; REST for a pipeline of many jobs; MR commits past 100", async () => {
    const model = gitlabFixture();
    const fake = await startFakeGitLab(model);
    try {
      await syncGitLabFake(db(), fake.url, GITLAB_YAML);
      const api = model.project("acme/platform/api");
      if (!api) throw new Error("fixture");
      // Pipeline 503 finishes: its running build job passes (GitLab bumps the pipeline's updated_at).
      const p503 = api.pipelines.find((x) => x.id === 503);
      const j8006 = api.jobs.find((j) => j.id === 8006);
      if (!p503 || !j8006) throw new Error("fixture");
      Object.assign(p503, {
        status: "success",
        finishedAt: "2026-02-07T11:05:00Z",
        updatedAt: "2026-02-07T11:05:00Z",
      });
      Object.assign(j8006, { status: "success", finished_at: "2026-02-07T11:05:00Z" });
      // A new pipeline with 120 jobs (more than a GraphQL page of 50): read by REST, 100 a page.
      api.pipelines.push({
        id: 504,
        iid: 4,
        sha: sha("m4"),
        ref: "main",
        source: "push",
        status: "success",
        createdAt: "2026-02-08T08:00:00Z",
        startedAt: "2026-02-08T08:00:10Z",
        finishedAt: "2026-02-08T08:30:00Z",
        updatedAt: "2026-02-08T08:30:00Z",
      });
      for (let k = 0; k < 120; k++)
        api.jobs.push({
          id: 9100 + k,
          name: `spec ${k + 1}/120`,
          stage: "test",
          status: "success",
          ref: "main",
          sha: sha("m4"),
          pipelineId: 504,
          created_at: "2026-02-08T08:00:00Z",
          started_at: "2026-02-08T08:01:00Z",
          finished_at: "2026-02-08T08:02:00Z",
          queued_duration: 3,
        });
      // A merge request of 250 commits; its earliest is the last one listed.
      api.mergeRequests.push({
        iid: 9,
        title: "Big migration",
        state: "opened",
        createdAt: "2026-02-08T09:00:00Z",
        updatedAt: "2026-02-08T09:00:00Z",
        sourceBranch: "big",
        diffHeadSha: sha("big-0"),
        author: { username: "bob" },
        commits: Array.from({ length: 250 }, (_, k) => ({
          sha: sha(`big-${k}`),
          authoredDate: new Date(Date.parse("2026-02-08T08:00:00Z") - k * 60_000).toISOString(),
        })),
      });
      fake.reset();
      const s = await syncGitLabFake(db(), fake.url, GITLAB_YAML, { project: "acme/platform/api" });
      expect(s.scopes.map((r) => [r.scope, r.counts])).toEqual([
        ["(project list)", { projects: 3 }],
        ["acme/platform/api", { "merge-requests": 1, pipelines: 2 }],
      ]);
      const pid = "acme%2Fplatform%2Fapi";
      expect(requestsOf(fake)).toEqual([
        "GET /api/v4/groups/acme/projects",
        "POST /api/graphql", // probe
        "POST /api/graphql", // merge requests (with the first 100 commits of each)
        "POST /api/graphql", // !9's commits 101–200
        "POST /api/graphql", // !9's commits 201–250
        "POST /api/graphql", // pipelines changed, with their jobs
        `GET /api/v4/projects/${pid}/pipelines/504/jobs`,
        `GET /api/v4/projects/${pid}/pipelines/504/jobs`,
        `GET /api/v4/projects/${pid}/deployments`,
      ]);
      const builds = await gitlabBuilds(db());
      expect(builds.filter((b) => b.parent === "pipeline:504")).toHaveLength(120);
      expect(builds.find((b) => b.id === "job:9100")).toMatchObject({
        workflow: "spec 1/120",
        stage: "test",
        queued: "2026-02-08 08:00:57+00",
        finished: "2026-02-08 08:02:00+00",
      });
      expect(builds.find((b) => b.id === "job:8006")).toMatchObject({
        status: "completed",
        conclusion: "success",
        finished: "2026-02-07 11:05:00+00",
      });
      const [mr] = await queryRows<{ first: string; n: number }>(
        db(),
        sql`select first_commit_at::text as first, commit_count::int as n from pull_requests where number = 9`,
      );
      expect(mr).toEqual({ first: "2026-02-08 03:51:00+00", n: 250 }); // 08:00 − 249 min (page 1 alone: 06:21)
    } finally {
      await fake.close();
    }
  });

  it("5xx, a cut-off answer and a 429 with Retry-After are retried: the same rows as an undisturbed sync", async () => {
    const fake = await startFakeGitLab(gitlabFixture());
    try {
      await syncGitLabFake(db(), fake.url, GITLAB_YAML);
      const expected = await domainSnapshot(db());
      const { resetDatabase } = await import("@/test/helpers/db");
      await resetDatabase(db());
      fake.reset();
      fake.inject({ match: { path: /graphql/ }, fault: { status: 502 } });
      fake.inject({ match: { path: /commits/ }, fault: { truncate: true } });
      fake.inject({ match: { path: /deployments/ }, fault: { status: 429, retryAfter: 1 } });
      fake.inject({ match: { path: /issues/ }, fault: { hangUp: true } });
      const s = await syncGitLabFake(db(), fake.url, GITLAB_YAML);
      expect(s.scopes.filter((r) => !r.ok).map((r) => r.scope)).toEqual(["acme/gone"]);
      expect(s.log.some((l) => /rate limited \(429\)/.test(l))).toBe(true);
      expect(await domainSnapshot(db())).toEqual(expected);
    } finally {
      await fake.close();
    }
  });

  it("a bad token stops the sync with a clear error and writes nothing", async () => {
    const fake = await startFakeGitLab(gitlabFixture());
    try {
      const s = await syncGitLabFake(db(), fake.url, GITLAB_YAML, { token: "glpat-wrong" });
      expect(s.stopped).toMatch(/GitLab refused the credentials \(401\): check GITLAB_TOKEN/);
      expect(s.stopped).not.toContain("glpat-wrong");
      expect(s.scopes.every((r) => !r.ok)).toBe(true);
      expect(fake.requests).toHaveLength(1);
      expect(await deploymentRows(db())).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
