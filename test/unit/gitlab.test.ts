import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { gitlabClient } from "@/lib/ingest/gitlab/api";
import { type JobFacts, mapJob, numberAttempts, ruleDeployments } from "@/lib/ingest/gitlab/ci";
import { glMergeMethod, isIncident, landedSha, mapPipeline } from "@/lib/ingest/gitlab/map";
import type { GqlMergeRequest } from "@/lib/ingest/gitlab/queries";
import { readsProject } from "@/lib/ingest/gitlab/webhook";
import { nextLink } from "@/lib/ingest/source/paginate";
import { GitLabModel, GL_TOKEN, startFakeGitLab } from "@/test/fakes/gitlab";
import { sha } from "@/test/fixtures/sha";

const mr = (o: Partial<GqlMergeRequest>): GqlMergeRequest =>
  ({
    state: "merged",
    mergeCommitSha: null,
    squashCommitSha: null,
    diffHeadSha: sha("head"),
    ...o,
  }) as GqlMergeRequest;

describe("GitLab mapping", () => {
  it("merge method and the commit that landed: squash, merge commit, fast-forward", () => {
    expect([
      glMergeMethod(mr({ squashCommitSha: sha("sq") })),
      landedSha(mr({ squashCommitSha: sha("sq") })),
    ]).toEqual(["squash", sha("sq")]);
    // squash and a merge commit: the merge commit is what the target branch got
    expect(landedSha(mr({ squashCommitSha: sha("sq"), mergeCommitSha: sha("m") }))).toBe(sha("m"));
    expect(glMergeMethod(mr({ mergeCommitSha: sha("m") }))).toBe("merge");
    expect([glMergeMethod(mr({})), landedSha(mr({}))]).toEqual(["rebase", sha("head")]);
    expect([glMergeMethod(mr({ state: "opened" })), landedSha(mr({ state: "opened" }))]).toEqual([
      null,
      null,
    ]);
  });

  it("pipelines: statuses, queue and run instants", () => {
    const base = {
      id: 7,
      sha: sha("a"),
      ref: "main",
      source: "push",
      createdAt: "2026-01-01T00:00:00Z",
      startedAt: "2026-01-01T00:01:00Z",
      url: null,
    };
    expect(mapPipeline({ ...base, status: "failed", finishedAt: "2026-01-01T00:05:00Z" })).toMatchObject({
      externalId: "pipeline:7",
      status: "completed",
      conclusion: "failure",
      queuedAt: "2026-01-01T00:00:00Z",
      finishedAt: "2026-01-01T00:05:00Z",
    });
    expect(mapPipeline({ ...base, status: "running", finishedAt: null })).toMatchObject({
      status: "in_progress",
      conclusion: null,
      finishedAt: null,
    });
    expect(mapPipeline({ ...base, status: "pending", startedAt: null, finishedAt: null })).toMatchObject({
      status: "queued",
    });
  });

  it("incidents and the projects a config reads", () => {
    expect(isIncident({ issue_type: "incident", labels: [] }, ["incident"])).toBe(true);
    expect(isIncident({ issue_type: "issue", labels: ["sev1"] }, ["sev1"])).toBe(true);
    expect(isIncident({ issue_type: "issue", labels: ["bug"] }, ["incident"])).toBe(false);
    const config = parseConfig(
      "gitlab: { groups: [acme/platform], projects: [other/cli], exclude: ['acme/platform/sandbox-*'] }\n",
    );
    expect(readsProject(config, "acme/platform/api")).toBe(true);
    expect(readsProject(config, "acme/platform/deep/er")).toBe(true);
    expect(readsProject(config, "acme/platform/sandbox-1")).toBe(false);
    expect(readsProject(config, "acme/web")).toBe(false);
    expect(readsProject(config, "other/cli")).toBe(true);
    expect(readsProject(null, "other/cli")).toBe(false);
  });
});

describe("GitLab jobs and the job and pipeline-source rules", () => {
  const pipeline = {
    id: 9,
    sha: sha("p"),
    ref: "main",
    source: "schedule",
    status: "success",
    createdAt: "2026-01-01T00:00:00Z",
    startedAt: "2026-01-01T00:00:10Z",
    finishedAt: "2026-01-01T00:10:00Z",
    url: null,
  };
  const job = (o: Partial<JobFacts>): JobFacts => ({
    id: 1,
    name: "deploy",
    stage: "deploy",
    status: "success",
    createdAt: "2026-01-01T00:00:00Z",
    startedAt: "2026-01-01T00:05:00Z",
    finishedAt: null,
    queuedSeconds: 12,
    runSeconds: 60,
    url: null,
    attempt: 1,
    ...o,
  });

  it("a job is a build of its pipeline: queue from queued_duration, end from duration, statuses", () => {
    expect(mapJob(pipeline, job({}))).toMatchObject({
      externalId: "job:1",
      parentExternalId: "pipeline:9",
      workflow: "deploy",
      stage: "deploy",
      event: "schedule",
      status: "completed",
      conclusion: "success",
      queuedAt: "2026-01-01T00:04:48.000Z",
      finishedAt: "2026-01-01T00:06:00.000Z",
    });
    expect(mapJob(pipeline, job({ status: "manual", startedAt: null }))).toMatchObject({
      conclusion: "action_required",
      queuedAt: null,
    });
    expect(mapJob(pipeline, job({ status: "running" }))).toMatchObject({
      status: "in_progress",
      finishedAt: null,
    });
    expect(mapJob(pipeline, job({ status: "pending", startedAt: null }))).toMatchObject({ status: "queued" });
    expect(mapJob(pipeline, job({ status: "canceled" }))).toMatchObject({ conclusion: "cancelled" });
    expect(
      numberAttempts([job({ id: 5, name: "a" }), job({ id: 3, name: "a" }), job({ id: 4, name: "b" })]).map(
        (j) => j.attempt,
      ),
    ).toEqual([2, 1, 1]);
  });

  it("rules: source alone (the pipeline), source with job, job alone; default branch only", () => {
    const config = parseConfig(`deployments:
  rules:
    - { repositories: [acme/a], source: schedule, environment: nightly }
    - { repositories: [acme/b], source: web, job: "deploy*", environment: production }
    - { repositories: [acme/c], job: "deploy*", branch: "release/*", environment: production }
`);
    const ids = (repo: string, p: typeof pipeline, jobs = [job({})]) =>
      ruleDeployments(config, { path: repo, defaultBranch: "main" }, p, jobs).map((d) => [
        d.environment,
        d.externalId,
        d.status,
      ]);
    expect(ids("acme/a", pipeline)).toEqual([["nightly", "pipeline:9", "success"]]);
    expect(ids("acme/a", { ...pipeline, source: "push" })).toEqual([]);
    expect(ids("acme/a", { ...pipeline, status: "running" })).toEqual([]);
    expect(ids("acme/a", { ...pipeline, status: "failed" })).toEqual([["nightly", "pipeline:9", "failure"]]);
    expect(ids("acme/a", { ...pipeline, ref: "feature" })).toEqual([]);
    expect(ids("acme/b", { ...pipeline, source: "web" })).toEqual([["production", "job:1", "success"]]);
    expect(ids("acme/b", pipeline)).toEqual([]);
    expect(ids("acme/c", { ...pipeline, ref: "release/2" })).toEqual([["production", "job:1", "success"]]);
    expect(ids("acme/c", pipeline)).toEqual([]);
    // A Job Hook does not know its pipeline's source: a source rule waits for the pipeline.
    expect(
      ruleDeployments(
        config,
        { path: "acme/b", defaultBranch: "main" },
        { ...pipeline, source: null },
        [job({})],
        {
          pipelineKnown: false,
        },
      ),
    ).toEqual([]);
  });
});

describe("the fake GitLab speaks GitLab's pagination", () => {
  it("offset pages carry Link and X-* headers; jobs page by keyset", async () => {
    const m = new GitLabModel();
    const p = m.addProject("acme/sub/api");
    for (let k = 0; k < 5; k++)
      p.jobs.push({
        id: 100 + k,
        name: "deploy",
        status: "success",
        ref: "main",
        sha: sha(`j${k}`),
        pipelineId: 1,
        created_at: "2026-01-01T00:00:00Z",
        started_at: null,
        finished_at: null,
      });
    m.addProject("acme/web");
    const fake = await startFakeGitLab(m);
    try {
      const client = gitlabClient({ GITLAB_URL: fake.url, GITLAB_TOKEN: GL_TOKEN });
      const r = await client.get<unknown[]>("groups/acme/projects", {
        query: { include_subgroups: true, per_page: 1 },
      });
      expect(r.data).toHaveLength(1);
      expect(r.headers.get("x-total")).toBe("2");
      expect(r.headers.get("x-next-page")).toBe("2");
      expect(r.headers.get("x-total-pages")).toBe("2");
      const second = await client.get<unknown[]>(nextLink(r.headers.get("link")) as string);
      expect(second.headers.get("x-next-page")).toBe("");
      expect(nextLink(second.headers.get("link"))).toBeNull();

      const ids: number[] = [];
      let url: string | null =
        "projects/acme%2Fsub%2Fapi/jobs?pagination=keyset&order_by=id&sort=desc&per_page=2";
      while (url) {
        const page: { data: { id: number }[]; headers: Headers } = await client.get<{ id: number }[]>(url);
        ids.push(...page.data.map((j) => j.id));
        expect(page.headers.get("x-total")).toBeNull();
        url = nextLink(page.headers.get("link"));
      }
      expect(ids).toEqual([104, 103, 102, 101, 100]);
      await expect(client.get("projects/acme%2Fnope/jobs")).rejects.toThrow(
        "GitLab: GET /api/v4/projects/acme%2Fnope/jobs not found (404)",
      );
    } finally {
      await fake.close();
    }
  });
});
