import { createHash } from "node:crypto";
import { z } from "zod";
import type { OpsgenieConfig } from "@/lib/config/connectors";
import type { Db, Tx } from "@/lib/db";
import { storedIncident, upsertKeepingCauses } from "@/lib/ingest/incidents/stored";
import {
  checkSharedSecret,
  parseJsonObject,
  receiveWebhook,
  type WebhookOutcome,
} from "@/lib/ingest/source/webhook";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { HttpError } from "@/lib/push/http";
import type { OgItem } from "./api";
import { mapItem, placeItem } from "./map";

/**
 * POST /api/webhooks/opsgenie: the Webhook integration's alert actions (Create, Acknowledge, AddNote, Close…), on
 * the shared receiver. Opsgenie signs nothing: the integration sends a custom header we check in constant time
 * (`X-Throughline-Token`, or Basic auth in the URL). It sends no delivery id either: the body's hash is one. In
 * `read: alerts` mode an alert of a counted priority is an incident; in `read: incidents` mode incidents come
 * from the API on each sync and alert deliveries are acknowledged and left alone.
 */

export const MAX_OPSGENIE_BYTES = 1_048_576;

/**
 * Opsgenie's payloads write times as epoch numbers, not always in milliseconds (updatedAt has been seen in
 * nanoseconds): the magnitude says which.
 */
export function epochToIso(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "string" && !/^\d+$/.test(value)) {
    const t = Date.parse(value);
    return Number.isFinite(t) ? new Date(t).toISOString() : null;
  }
  const n = Number(value);
  const ms = n > 1e17 ? n / 1e6 : n > 1e14 ? n / 1e3 : n > 1e11 ? n : n * 1e3;
  return new Date(Math.floor(ms)).toISOString();
}

const Time = z.union([z.number(), z.string()]).nullish();
export const OpsgenieAlertEvent = z.object({
  action: z.string().min(1),
  alert: z.object({
    alertId: z.string().min(1),
    tinyId: z.string().nullish(),
    message: z.string().nullish(),
    description: z.string().nullish(),
    note: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
    teams: z.array(z.string()).nullish(),
    responders: z
      .array(z.object({ id: z.string(), type: z.string(), name: z.string().optional() }))
      .nullish(),
    priority: z.string().nullish(),
    details: z.record(z.string(), z.string()).nullish(),
    createdAt: Time,
    updatedAt: Time,
  }),
});
type OpsgenieAlertEvent = z.output<typeof OpsgenieAlertEvent>;

export function receiveOpsgenieWebhook(
  db: Db,
  request: Request,
  o: { secret: string | undefined; config: OpsgenieConfig | null },
): Promise<Response> {
  return receiveWebhook<OpsgenieAlertEvent>(db, request, {
    source: "opsgenie",
    label: "Opsgenie",
    secret: o.secret,
    secretEnv: "OPSGENIE_WEBHOOK_SECRET",
    maxBytes: MAX_OPSGENIE_BYTES,
    verify: (request, _body, secret) =>
      checkSharedSecret(request, secret, {
        secretEnv: "OPSGENIE_WEBHOOK_SECRET",
        how: "add the header X-Throughline-Token to the Opsgenie Webhook integration",
      }),
    parse(_request, body) {
      const parsed = OpsgenieAlertEvent.safeParse(parseJsonObject(body));
      if (!parsed.success)
        throw new HttpError(400, "invalid_payload", "not an Opsgenie Webhook integration payload");
      return parsed.data;
    },
    identify: (_request, p, body) => ({
      deliveryId: `sha256:${createHash("sha256").update(body).digest("hex")}`,
      event: "alert",
      action: p.action,
      repository: null,
    }),
    handle: (tx, d) => handle(tx, o.config, d.payload),
    after: () => deriveSoon(db),
  });
}

async function handle(tx: Tx, config: OpsgenieConfig | null, p: OpsgenieAlertEvent): Promise<WebhookOutcome> {
  if (!config) return { status: "ignored", note: "throughline.config.yaml has no opsgenie section" };
  if (config.read !== "alerts") {
    return {
      status: "ignored",
      note: "opsgenie.read is incidents: incidents are read from the API on each sync",
    };
  }
  const a = p.alert;
  const createdAt = epochToIso(a.createdAt);
  if (!createdAt) return { status: "ignored", note: "the alert has no createdAt" };
  const stored = await storedIncident(tx, "opsgenie", a.alertId);
  // A closed alert stays closed in Opsgenie (a recurrence is a new alert): later actions keep its close time.
  const closedAt =
    p.action === "Close"
      ? (epochToIso(a.updatedAt) ?? new Date().toISOString())
      : ((stored?.resolvedAt as Date | null | undefined) ?? null);
  const item: OgItem = {
    id: a.alertId,
    tinyId: a.tinyId ?? undefined,
    message: a.message ?? "",
    // An AddNote delivery carries the note: "caused by: <sha>" in it names the cause like the description does.
    description: [a.description, a.note].filter(Boolean).join("\n") || null,
    status: closedAt ? "closed" : "open",
    tags: a.tags ?? [],
    createdAt,
    priority: a.priority ?? undefined,
    responders: a.responders ?? [],
    details: a.details ?? undefined,
  };
  const place = placeItem(config, item, a.teams ?? []);
  if ("excluded" in place) return { status: "ignored", note: place.excluded };
  const record = mapItem(config, "alerts", item, place, { resolvedAt: closedAt });
  await upsertKeepingCauses(tx, "opsgenie", [record]);
  return { status: "processed", repository: place.repository };
}
