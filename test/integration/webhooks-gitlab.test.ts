import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { receiveGitLabWebhook } from "@/lib/ingest/gitlab/webhook";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { deploymentHook, incidentHook, pipelineHook, pushHook } from "@/test/fixtures/gitlab-webhooks";
import { sha } from "@/test/fixtures/sha";
import { buildRows, deploymentRows, incidentRows } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";

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
  o: { token?: string | null; uuid?: string; hasToken?: boolean } = {},
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
    { secret: SECRET, config: CONFIG, hasToken: () => o.hasToken ?? false },
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
      body: { status: "ignored", note: "needs GITLAB_TOKEN: the payload lacks commit parents and reviews" },
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
});
