import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { receiveJenkinsWebhook } from "@/lib/ingest/jenkins/webhook";
import { receiveOpsgenieWebhook } from "@/lib/ingest/opsgenie/webhook";
import { receivePagerDutyWebhook } from "@/lib/ingest/pagerduty/webhook";
import { deliverySummary } from "@/lib/ingest/source/deliveries";
import { hmacSha256Hex } from "@/lib/ingest/source/secrets";
import { upsertRepositories } from "@/lib/ingest/store";
import { settleDerive } from "@/lib/metrics/derive/soon";
import {
  jenkinsNotification,
  opsgenieAlertAction,
  PD_SERVICE,
  pagerDutyIncidentEvent,
  pagerDutyNoteEvent,
} from "@/test/fixtures/connector-webhooks";
import { sha } from "@/test/fixtures/sha";
import { buildRows, deploymentRows, incidentRows } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";

/**
 * The three connector endpoints on the shared receiver, with payloads written from the vendors' documented shapes:
 * signatures and shared secrets (valid, wrong, rotated, missing), replays, and what each delivery stores.
 */

const SECRET = "connector-webhook-secret-0123456789";
const CONFIG = parseConfig(`
jenkins:
  deployments:
    - { job: "payments/deploy", parameter: "ENV=prod", environment: production }
pagerduty:
  causeField: caused_by
  services: [ { id: PF9KMXH, repository: acme/payments-api } ]
opsgenie:
  read: alerts
  priorities: [P1, P2]
  map: [ { tag: "service:checkout", repository: acme/checkout } ]
`);

type Answer = { status: number; body: Record<string, unknown> };
const answer = async (r: Response): Promise<Answer> => ({
  status: r.status,
  body: (await r.json()) as Record<string, unknown>,
});
const post = (path: string, body: string, headers: Record<string, string>) =>
  new Request(`http://localhost/api/webhooks/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

function pagerDuty(
  db: Db,
  payload: unknown,
  o: { id?: string; signature?: string | null; secret?: string | null; body?: string } = {},
): Promise<Answer> {
  const body = o.body ?? JSON.stringify(payload);
  const signature = o.signature === undefined ? `v1=${hmacSha256Hex(SECRET, body)}` : o.signature;
  const request = post("pagerduty", body, {
    "x-webhook-id": o.id ?? randomUUID(),
    ...(signature === null ? {} : { "x-pagerduty-signature": signature }),
  });
  return receivePagerDutyWebhook(db, request, {
    secret: o.secret === null ? undefined : (o.secret ?? SECRET),
    config: CONFIG.pagerduty ?? null,
  }).then(answer);
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function jenkins(
  db: Db,
  payload: unknown,
  headers: Record<string, string> = { authorization: basic("jenkins", SECRET) },
) {
  return receiveJenkinsWebhook(db, post("jenkins", JSON.stringify(payload), headers), {
    secret: SECRET,
    config: CONFIG,
  }).then(answer);
}

function opsgenie(
  db: Db,
  payload: unknown,
  headers: Record<string, string> = { "x-throughline-token": SECRET },
  config = CONFIG,
) {
  return receiveOpsgenieWebhook(db, post("opsgenie", JSON.stringify(payload), headers), {
    secret: SECRET,
    config: config.opsgenie ?? null,
  }).then(answer);
}

describeDb("connector webhooks", ({ db }) => {
  it("PagerDuty: signed events store the incident, its cause and its resolution; rotation, replays, refusals", async () => {
    await upsertRepositories(db(), [{ fullName: "acme/payments-api", source: "config" }]);
    const triggered = await pagerDuty(
      db(),
      pagerDutyIncidentEvent("incident.triggered", { occurredAt: "2026-03-04T13:00:00Z" }),
    );
    expect(triggered).toMatchObject({
      status: 202,
      body: { event: "incident.triggered", status: "processed" },
    });
    const note = await pagerDuty(
      db(),
      pagerDutyNoteEvent(`caused by: ${sha("p2").slice(0, 12)}`, "2026-03-04T13:20:00Z"),
    );
    expect(note.body.status).toBe("processed");

    // During a secret rotation PagerDuty signs with both secrets: any one matching is enough.
    const resolvedEvent = pagerDutyIncidentEvent("incident.resolved", {
      status: "resolved",
      occurredAt: "2026-03-04T14:00:00Z",
    });
    const body = JSON.stringify(resolvedEvent);
    const id = randomUUID();
    const rotated = `v1=${hmacSha256Hex("the-old-secret-0123456789", body)},v1=${hmacSha256Hex(SECRET, body)}`;
    expect((await pagerDuty(db(), null, { body, id, signature: rotated })).status).toBe(202);
    expect(await incidentRows(db())).toEqual([
      {
        source: "pagerduty",
        id: "PGR0VU2",
        title: "A little bump in the road",
        repo: "acme/payments-api",
        service: null,
        severity: "P1",
        opened: "2026-03-04 13:00:00+00",
        resolved: "2026-03-04 14:00:00+00",
        cause: sha("p2").slice(0, 12),
        link_method: null,
        linked: null,
      },
    ]);

    // A retry carries the same X-Webhook-Id: acknowledged, nothing changes.
    const replay = await pagerDuty(db(), null, { body, id, signature: rotated });
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });

    const wrong = await pagerDuty(db(), resolvedEvent, {
      signature: `v1=${hmacSha256Hex("not-the-secret-000000", body)}`,
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: "bad_signature" } });
    expect((await pagerDuty(db(), resolvedEvent, { signature: null })).body.error).toBe("unsigned");
    expect((await pagerDuty(db(), resolvedEvent, { signature: "v0=abc" })).status).toBe(401);
    expect((await pagerDuty(db(), resolvedEvent, { secret: null })).status).toBe(503);
    const tampered = await pagerDuty(db(), null, {
      body: body.replace("14:00:00Z", "15:00:00Z"),
      signature: `v1=${hmacSha256Hex(SECRET, body)}`,
    });
    expect(tampered.status).toBe(401);

    const other = await pagerDuty(
      db(),
      pagerDutyIncidentEvent("incident.triggered", {
        id: "PXYZ123",
        occurredAt: "2026-03-04T15:00:00Z",
        service: { ...PD_SERVICE, id: "POTHER1", summary: "Other" },
      }),
    );
    expect(other.body).toMatchObject({
      status: "ignored",
      note: "service Other (POTHER1) is not in pagerduty.services",
    });
    expect((await incidentRows(db())).length).toBe(1);
    const log = await deliverySummary(db(), "pagerduty");
    expect(log).toMatchObject({ total: 4, failed: 0 }); // triggered, note, resolved (once), other
    await settleDerive(db());
  });

  it("Jenkins: the Notification plugin's phases become a deployment or a CI build; secrets in Basic auth or a header", async () => {
    const deploy = (phase: "QUEUED" | "STARTED" | "COMPLETED", status?: string) =>
      jenkinsNotification({
        job: ["payments", "deploy"],
        number: 7,
        phase,
        status,
        timestamp: Date.parse(phase === "COMPLETED" ? "2026-03-06T10:05:00Z" : "2026-03-06T10:00:00Z"),
        duration: phase === "COMPLETED" ? 300_000 : 0,
        commit: sha("p7"),
        parameters: { ENV: "prod" },
      });
    expect((await jenkins(db(), deploy("QUEUED"))).body).toMatchObject({ status: "ignored" });
    expect((await jenkins(db(), deploy("STARTED"))).body).toMatchObject({
      status: "processed",
      repository: "acme/payments-api",
    });
    expect((await deploymentRows(db()))[0]).toMatchObject({ id: "payments/deploy#7", status: "in_progress" });
    expect((await jenkins(db(), deploy("COMPLETED", "SUCCESS"))).status).toBe(202);
    expect(await jenkins(db(), deploy("COMPLETED", "SUCCESS"))).toMatchObject({
      status: 200,
      body: { duplicate: true },
    });
    await settleDerive(db());
    expect(await deploymentRows(db())).toEqual([
      expect.objectContaining({
        repo: "acme/payments-api",
        environment: "production",
        id: "payments/deploy#7",
        sha: sha("p7"),
        status: "success",
        finished: "2026-03-06 10:05:00+00",
        is_counted: true,
      }),
    ]);

    const ci = jenkinsNotification({
      job: ["payments", "api", "main"],
      number: 151,
      phase: "COMPLETED",
      status: "FAILURE",
      timestamp: Date.parse("2026-03-06T11:02:00Z"),
      duration: 120_000,
      commit: sha("main-151"),
    });
    expect((await jenkins(db(), ci, { "x-throughline-token": SECRET })).status).toBe(202);
    expect(await buildRows(db())).toEqual([
      expect.objectContaining({
        id: "payments/api/main#151",
        branch: "main",
        conclusion: "failure",
        started: "2026-03-06 11:00:00+00",
        finished: "2026-03-06 11:02:00+00",
      }),
    ]);

    expect(
      (await jenkins(db(), ci, { authorization: basic("jenkins", "wrong-secret-0000000000") })).body.error,
    ).toBe("bad_secret");
    expect((await jenkins(db(), ci, {})).body.error).toBe("unauthenticated");
    // A URL's user-info is percent-encoded: https://jenkins:se%2Fcret@… sends Basic with the encoded password.
    const encoded = await receiveJenkinsWebhook(
      db(),
      post("jenkins", JSON.stringify(ci), {
        authorization: basic("jenkins", encodeURIComponent("a/secret+with=signs0")),
      }),
      { secret: "a/secret+with=signs0", config: CONFIG },
    ).then(answer);
    expect(encoded).toMatchObject({ status: 200, body: { duplicate: true } });
  });

  it("Opsgenie: alert actions in alerts mode; incidents mode leaves them to the sync; shared-secret header", async () => {
    const createdAt = Date.parse("2026-03-04T10:00:00Z");
    expect((await opsgenie(db(), opsgenieAlertAction("Create", { createdAt }))).body).toMatchObject({
      status: "processed",
      repository: "acme/checkout",
    });
    await opsgenie(
      db(),
      opsgenieAlertAction("AddNote", { createdAt, note: `Caused by: ${sha("c1").slice(0, 9)}` }),
    );
    // updatedAt as Opsgenie sends it here: nanoseconds.
    const closedNs = Date.parse("2026-03-04T10:45:00Z") * 1_000_000;
    await opsgenie(db(), opsgenieAlertAction("Close", { createdAt, updatedAt: closedNs }));
    await opsgenie(db(), opsgenieAlertAction("Acknowledge", { createdAt, updatedAt: closedNs + 1 }));
    expect(await incidentRows(db())).toEqual([
      expect.objectContaining({
        source: "opsgenie",
        id: "8418d193-2dab-4490-b331-8c02cdd196b7",
        repo: "acme/checkout",
        severity: "P1",
        opened: "2026-03-04 10:00:00+00",
        resolved: "2026-03-04 10:45:00+00",
        cause: sha("c1").slice(0, 9),
      }),
    ]);
    const p3 = await opsgenie(db(), opsgenieAlertAction("Create", { id: "a-p3", priority: "P3", createdAt }));
    expect(p3.body).toMatchObject({ status: "ignored", note: "priority P3 is not in opsgenie.priorities" });

    const incidentsMode = parseConfig(`
opsgenie: { map: [ { tag: "service:checkout", repository: acme/checkout } ] }
`);
    const left = await opsgenie(
      db(),
      opsgenieAlertAction("Create", { id: "a-im", createdAt }),
      undefined,
      incidentsMode,
    );
    expect(left.body).toMatchObject({ status: "ignored" });

    expect(
      (
        await opsgenie(db(), opsgenieAlertAction("Create", { createdAt }), {
          "x-throughline-token": "nope-nope-nope-nope",
        })
      ).status,
    ).toBe(401);
    expect((await opsgenie(db(), opsgenieAlertAction("Create", { createdAt }), {})).status).toBe(401);
    // The same delivery twice (Opsgenie retries after a timeout): the body's hash is its id.
    expect((await opsgenie(db(), opsgenieAlertAction("Create", { createdAt }))).body).toMatchObject({
      duplicate: true,
    });
    await settleDerive(db());
  });
});
