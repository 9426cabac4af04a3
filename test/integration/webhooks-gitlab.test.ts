import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { receiveGitLabWebhook } from "@/lib/ingest/gitlab/webhook";
import { settleDerive } from "@/lib/metrics/derive/soon";
import {
  deploymentHook,
  incidentHook,
  jobHook,
  mergeRequestHook,
  pipelineHook,
  pipelineWithJobsHook,
  pushCommitsHook,
  pushHook,
  releaseHook,
} from "@/test/fixtures/gitlab-webhooks";
import { sha } from "@/test/fixtures/sha";
import { buildRows, deploymentRows, incidentRows } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";
import { gitlabBuilds } from "@/test/helpers/gitlab";

/** POST /api/webhooks/gitlab on the shared receiver: the token, replays, and what each event stores. */

const SECRET = "gitlab-webhook-secret-0123456789";
const PATH = "acme/platform/api";
const CONFIG = parseConfig(`
gitlab:
  groups: [acme]
`);

async function deliver(
  db: Db,
  event: string,
  payload: unknown,
  o: { token?: string | null; uuid?: string; hasToken?: boolean; config?: typeof CONFIG } = {},
) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-gitlab-event": event,
    "x-gitlab-event-uuid": o.uuid ?? randomUUID(),
  };
  if (o.token !== null) headers["x-gitlab-token"] = o.token ?? SECRET;
  const r = await receiveGitLabWebhook(
    db,
    new Request("http://localhost/api/webhooks/gitlab", {
      method: "POST",
      headers,
      body: JSON.stringify(payload),
    }),
    { secret: SECRET, config: o.config ?? CONFIG, hasToken: () => o.hasToken ?? false },
  );
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describeDb("GitLab webhooks", ({ db }) => {
  it("checks X-Gitlab-Token, stores deployments, pipelines and incidents once, and ignores the rest", async () => {
    expect((await deliver(db(), "Pipeline Hook", pipelineHook(PATH), { token: null })).status).toBe(401);
    expect(
      await deliver(db(), "Pipeline Hook", pipelineHook(PATH), { token: "wrong-secret-0123456789" }),
    ).toMatchObject({
      status: 401,
      body: { error: "bad_secret" },
    });

    const dep = deploymentHook(PATH, {
      id: 5,
      status: "success",
      env: "production",
      label: "n1",
      at: "2026-02-08 11:05:00 +0100",
    });
    const uuid = randomUUID();
    expect(await deliver(db(), "Deployment Hook", dep, { uuid })).toMatchObject({
      status: 202,
      body: { status: "processed" },
    });
    expect(await deliver(db(), "Deployment Hook", dep, { uuid })).toMatchObject({
      status: 200,
      body: { duplicate: true },
    });
    expect((await deliver(db(), "Pipeline Hook", pipelineHook(PATH))).status).toBe(202);
    expect((await deliver(db(), "Issue Hook", incidentHook(PATH))).status).toBe(202);
    expect(await deliver(db(), "Push Hook", pushHook(PATH))).toMatchObject({
      status: 202,
      body: { status: "processed", note: "1 commit(s) stored; GITLAB_TOKEN would let a sync complete it" },
    });
    expect(
      await deliver(db(), "Note Hook", { object_kind: "note", project: { path_with_namespace: PATH } }),
    ).toMatchObject({
      body: { status: "ignored" },
    });
    expect(await deliver(db(), "Pipeline Hook", pipelineHook("other/elsewhere"))).toMatchObject({
      body: { status: "ignored" },
    });
    expect(
      await deliver(db(), "Deployment Hook", {
        object_kind: "deployment",
        project: { path_with_namespace: PATH },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: "invalid_payload" },
    });
    await settleDerive(db());

    const deps = await deploymentRows(db());
    expect(deps.map((d) => [d.repo, d.environment, d.id, d.sha, d.status, d.finished, d.trigger])).toEqual([
      [PATH, "production", "deployment:5", sha("n1"), "success", "2026-02-08 10:05:00+00", "ci"],
    ]);
    expect((await buildRows(db())).map((b) => [b.id, b.conclusion, b.queued, b.started, b.finished])).toEqual(
      [
        [
          "pipeline:777",
          "success",
          "2026-02-08 09:31:00+00",
          "2026-02-08 09:32:00+00",
          "2026-02-08 09:40:00+00",
        ],
      ],
    );
    expect((await incidentRows(db())).map((i) => [i.id, i.opened, i.resolved, i.cause])).toEqual([
      [`${PATH}#12`, "2026-02-08 11:00:00+00", "2026-02-08 12:00:00+00", sha("n1")],
    ]);
  });

  it("maps push, merge request, pipeline (with its jobs), job and release events through the sync's mapping", async () => {
    const config = parseConfig(`
gitlab:
  groups: [acme]
deployments:
  rules:
    - { repositories: [acme/platform/api], source: schedule, job: "deploy-*", environment: nightly }
    - { repositories: [acme/platform/api], job: "release-*", environment: production }
    - { repositories: [acme/platform/api], release: "v*", environment: production }
`);
    const send = (event: string, payload: unknown, uuid?: string) =>
      deliver(db(), event, payload, { config, ...(uuid ? { uuid } : {}) });

    // Push: parents inferred as for GitHub's push (a "Merge branch" subject has two); a truncated push's first
    // listed commit has no parent we know.
    const push = pushCommitsHook(PATH, {
      before: sha("m4"),
      commits: [
        { label: "n1", title: "Faster login", at: "2026-02-08T09:30:00+00:00" },
        { label: "n2", title: "Merge branch 'faster' into 'main'", at: "2026-02-08T11:00:00+00:00" },
      ],
    });
    expect((await send("Push Hook", push)).body).toMatchObject({ status: "processed" });
    const truncated = pushCommitsHook(PATH, {
      before: sha("n2"),
      commits: [{ label: "n4", title: "Later", at: "2026-02-08T12:00:00+00:00" }],
      total: 25,
    });
    expect((await send("Push Hook", truncated)).status).toBe(202);
    expect((await send("Push Hook", { ...push, ref: "refs/heads/feature" })).body).toMatchObject({
      status: "ignored",
    });
    const commits = await queryRows<{ sha: string; parents: string[]; authored: string }>(
      db(),
      sql`select sha, parent_shas as parents, authored_at::text as authored from commits order by authored_at`,
    );
    expect(commits.map((c) => [c.sha, c.parents, c.authored])).toEqual([
      [sha("n1"), [sha("m4")], "2026-02-08 09:30:00+00"],
      [sha("n2"), [sha("m4"), sha("n1")], "2026-02-08 11:00:00+00"],
      [sha("n4"), [], "2026-02-08 12:00:00+00"],
    ]);

    // Merge request: opened by Alice, approved by Bob, merged by Bob with a merge commit; a redelivery is a no-op.
    const mr = (action: "open" | "approved" | "merge", user: string, at: string) =>
      mergeRequestHook(PATH, {
        iid: 11,
        action,
        state: action === "merge" ? "merged" : "opened",
        user,
        at,
        created: "2026-02-08 09:00:00 UTC",
        head: "n1",
        mergeCommit: action === "merge" ? sha("n2") : null,
      });
    expect((await send("Merge Request Hook", mr("open", "alice", "2026-02-08 09:00:00 UTC"))).status).toBe(
      202,
    );
    expect((await send("Merge Request Hook", mr("approved", "bob", "2026-02-08T10:00:00Z"))).status).toBe(
      202,
    );
    const uuid = randomUUID();
    expect(
      (await send("Merge Request Hook", mr("merge", "bob", "2026-02-08 11:00:00 UTC"), uuid)).status,
    ).toBe(202);
    expect(
      (await send("Merge Request Hook", mr("merge", "bob", "2026-02-08 11:00:00 UTC"), uuid)).body,
    ).toMatchObject({ duplicate: true });
    const prs = await queryRows<Record<string, unknown>>(
      db(),
      sql`select number, state, author_login as author, merge_sha, merge_method, created_at::text as created,
                 first_review_at::text as first_review, approved_at::text as approved, merged_at::text as merged
          from pull_requests`,
    );
    expect(prs).toEqual([
      {
        number: 11,
        state: "merged",
        author: "alice",
        merge_sha: sha("n2"),
        merge_method: "merge",
        created: "2026-02-08 09:00:00+00",
        first_review: "2026-02-08 10:00:00+00",
        approved: "2026-02-08 10:00:00+00",
        merged: "2026-02-08 11:00:00+00",
      },
    ]);

    // A scheduled pipeline with its jobs: the pipeline, two job builds, and deploy-nightly by the source + job rule.
    expect(
      (
        await send(
          "Pipeline Hook",
          pipelineWithJobsHook(PATH, { id: 801, label: "n2", source: "schedule", status: "success" }),
        )
      ).status,
    ).toBe(202);
    // Jobs: one more of the scheduled pipeline (its source is known from the stored pipeline), a release job of a
    // pipeline not seen yet (a job rule without source), and a deploy job of that unknown pipeline (its source
    // unknown: no deployment until the pipeline comes).
    for (const j of [
      { id: 8101, pipeline: 801, name: "deploy-extra", stage: "deploy", status: "success", label: "n2" },
      {
        id: 8201,
        pipeline: 802,
        name: "release-api",
        stage: "deploy",
        status: "failed",
        label: "n4",
        retries: 1,
      },
      { id: 8202, pipeline: 802, name: "deploy-x", stage: "deploy", status: "success", label: "n4" },
    ])
      expect((await send("Job Hook", jobHook(PATH, j))).status).toBe(202);
    expect(
      (
        await send(
          "Release Hook",
          releaseHook(PATH, { tag: "v2.0.0", label: "n2", at: "2026-02-09T12:00:00Z" }),
        )
      ).status,
    ).toBe(202);
    await settleDerive(db());

    const builds = await gitlabBuilds(db());
    expect(
      builds.map((b) => [
        b.id,
        b.workflow,
        b.stage,
        b.parent,
        b.event,
        b.conclusion,
        b.queued,
        b.started,
        b.finished,
        b.attempt,
      ]),
    ).toEqual([
      [
        "job:8011",
        "compile",
        "build",
        "pipeline:801",
        "schedule",
        "success",
        "2026-02-09 01:59:59.9+00", // started − queued_duration 30.1 s
        "2026-02-09 02:00:30+00",
        "2026-02-09 02:05:00+00",
        1,
      ],
      [
        "job:8012",
        "deploy-nightly",
        "deploy",
        "pipeline:801",
        "schedule",
        "success",
        "2026-02-09 02:05:40+00",
        "2026-02-09 02:06:00+00",
        "2026-02-09 02:10:00+00",
        1,
      ],
      [
        "job:8101",
        "deploy-extra",
        "deploy",
        "pipeline:801",
        "schedule",
        "success",
        "2026-02-09 03:00:47.5+00",
        "2026-02-09 03:01:00+00",
        "2026-02-09 03:04:00+00",
        1,
      ],
      [
        "job:8201",
        "release-api",
        "deploy",
        "pipeline:802",
        null,
        "failure",
        "2026-02-09 03:00:47.5+00",
        "2026-02-09 03:01:00+00",
        "2026-02-09 03:04:00+00",
        2,
      ],
      [
        "job:8202",
        "deploy-x",
        "deploy",
        "pipeline:802",
        null,
        "success",
        "2026-02-09 03:00:47.5+00",
        "2026-02-09 03:01:00+00",
        "2026-02-09 03:04:00+00",
        1,
      ],
      [
        "pipeline:801",
        "pipeline",
        null,
        null,
        "schedule",
        "success",
        "2026-02-09 02:00:00+00",
        "2026-02-09 02:00:30+00",
        "2026-02-09 02:10:00+00",
        1,
      ],
    ]);
    const deps = await deploymentRows(db());
    expect(deps.map((d) => [d.environment, d.id, d.sha, d.status, d.finished])).toEqual([
      ["nightly", "job:8012", sha("n2"), "success", "2026-02-09 02:10:00+00"],
      ["nightly", "job:8101", sha("n2"), "success", "2026-02-09 03:04:00+00"],
      ["production", "job:8201", sha("n4"), "failure", "2026-02-09 03:04:00+00"],
      ["production", "release:v2.0.0", sha("n2"), "success", "2026-02-09 12:00:00+00"],
    ]);
  });
});
