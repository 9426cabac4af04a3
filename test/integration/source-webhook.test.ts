import { count } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { incidents, webhookDeliveries } from "@/lib/db/schema";
import { deliverySummary } from "@/lib/ingest/source/deliveries";
import { secretsEqual } from "@/lib/ingest/source/secrets";
import { parseJsonObject, receiveWebhook, type WebhookReceiver } from "@/lib/ingest/source/webhook";
import { upsertIncidents } from "@/lib/ingest/store";
import { HttpError } from "@/lib/push/http";
import { describeDb } from "@/test/helpers/db";

/**
 * The shared webhook receiver (lib/ingest/source/webhook.ts) with a toy source: a shared-secret header, a
 * delivery id header, one incident per delivery. What it guarantees for every source: secrets checked before
 * parsing, bounded bodies, exactly-once processing per source and delivery id, nothing half-written.
 */

const SECRET = "toy-webhook-secret-0123456789";

function receiver(source: string, after: string[] = []): WebhookReceiver<Record<string, unknown>> {
  return {
    source,
    label: "Toy",
    secret: SECRET,
    secretEnv: "TOY_WEBHOOK_SECRET",
    maxBytes: 1_000,
    verify(request) {
      if (!secretsEqual(request.headers.get("x-toy-token") ?? "", SECRET)) {
        throw new HttpError(401, "bad_token", "X-Toy-Token does not match TOY_WEBHOOK_SECRET");
      }
    },
    parse: (_r, body) => parseJsonObject(body),
    identify: (request, payload) => ({
      deliveryId: request.headers.get("x-toy-delivery") ?? "",
      event: String(payload.event ?? "unknown"),
    }),
    async handle(tx, d) {
      if (d.event !== "incident") return { status: "ignored", note: `${d.event} events are not used` };
      await upsertIncidents(tx, [
        { source: "pagerduty", externalId: String(d.payload.id), openedAt: String(d.payload.openedAt) },
      ]);
      return { status: "processed", repository: null };
    },
    after: (_o, d) => void after.push(d.deliveryId),
  };
}

function post(body: string, headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/webhooks/toy", {
    method: "POST",
    headers: { "content-type": "application/json", "x-toy-token": SECRET, ...headers },
    body,
  });
}

const incident = (id: string, openedAt = "2026-11-02T10:00:00Z") =>
  JSON.stringify({ event: "incident", id, openedAt });

async function counts(d: Db) {
  const [i] = await d.select({ n: count() }).from(incidents);
  const [w] = await d.select({ n: count() }).from(webhookDeliveries);
  return { incidents: i?.n ?? 0, deliveries: w?.n ?? 0 };
}

describeDb("shared webhook receiver", ({ db }) => {
  it("processes a delivery once, per source, however often and however concurrently it arrives", async () => {
    const d = db();
    const after: string[] = [];
    const first = await receiveWebhook(
      d,
      post(incident("P1"), { "x-toy-delivery": "d-1" }),
      receiver("toy", after),
    );
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ delivery: "d-1", event: "incident", status: "processed" });
    const again = await receiveWebhook(
      d,
      post(incident("P1"), { "x-toy-delivery": "d-1" }),
      receiver("toy", after),
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      status: "ignored",
      note: "already received",
      duplicate: true,
    });
    const racing = await Promise.all(
      Array.from({ length: 8 }, () =>
        receiveWebhook(d, post(incident("P2"), { "x-toy-delivery": "d-2" }), receiver("toy", after)),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    // The same id from another source is another delivery.
    expect(
      (await receiveWebhook(d, post(incident("P3"), { "x-toy-delivery": "d-1" }), receiver("other"))).status,
    ).toBe(202);
    expect(await counts(d)).toEqual({ incidents: 3, deliveries: 3 });
    expect(after).toEqual(["d-1", "d-2"]);
    const log = await deliverySummary(d, "toy");
    expect(log.total).toBe(2);
    expect(log.recent.map((r) => r.status)).toEqual(["processed", "processed"]);
  });

  it("refuses what it cannot trust or read, before writing anything", async () => {
    const d = db();
    const off = { ...receiver("toy"), secret: undefined };
    const cases: [Request, WebhookReceiver<Record<string, unknown>>, number, RegExp][] = [
      [post(incident("X"), { "x-toy-delivery": "a" }), off, 503, /set TOY_WEBHOOK_SECRET/],
      [
        post(incident("X"), { "x-toy-delivery": "b", "x-toy-token": "wrong" }),
        receiver("toy"),
        401,
        /does not match/,
      ],
      [post("x".repeat(1_001), { "x-toy-delivery": "c" }), receiver("toy"), 413, /larger than/],
      [post("[1,2]", { "x-toy-delivery": "d" }), receiver("toy"), 400, /not a JSON object/],
    ];
    for (const [request, r, status, message] of cases) {
      const response = await receiveWebhook(d, request, r);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    }
    expect(await counts(d)).toEqual({ incidents: 0, deliveries: 0 });
  });

  it("a payload the store refuses is a 400 naming the field, recorded as failed, and may be redelivered", async () => {
    const d = db();
    const bad = await receiveWebhook(
      d,
      post(incident("P9", "not a date"), { "x-toy-delivery": "d-9" }),
      receiver("toy"),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/incident\[0\]\.openedAt: /);
    expect(await counts(d)).toEqual({ incidents: 0, deliveries: 1 });
    expect((await deliverySummary(d, "toy")).failed).toBe(1);
    // Fixed at the sender and redelivered with the same id: processed now.
    const fixed = await receiveWebhook(d, post(incident("P9"), { "x-toy-delivery": "d-9" }), receiver("toy"));
    expect(fixed.status).toBe(202);
    expect(await counts(d)).toEqual({ incidents: 1, deliveries: 1 });
  });
});
