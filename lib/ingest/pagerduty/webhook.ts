import { createHash } from "node:crypto";
import { z } from "zod";
import type { PagerDutyConfig } from "@/lib/config/connectors";
import type { Db, Tx } from "@/lib/db";
import { causedByShaField, causedByShaIn } from "@/lib/domain/incidents";
import { storedIncident, upsertKeepingCauses } from "@/lib/ingest/incidents/stored";
import { anySignatureMatches } from "@/lib/ingest/source/secrets";
import { parseJsonObject, receiveWebhook, type WebhookOutcome } from "@/lib/ingest/source/webhook";
import { upsertIncidents } from "@/lib/ingest/store";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { HttpError } from "@/lib/push/http";
import type { PdIncident } from "./api";
import { excluded, mapIncident } from "./map";

/**
 * POST /api/webhooks/pagerduty: webhooks v3 on the shared receiver. Each delivery is signed
 * (`X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>`, several during a secret rotation: any may match)
 * and carries one event; `X-Webhook-Id` is the same on every retry, so a retried delivery changes nothing. An
 * incident event writes the incident as the poller would; a note or custom field naming the cause adds it.
 */

/** PagerDuty guarantees delivery up to 55 KB and drops anything above 256 KB. */
export const MAX_PAGERDUTY_BYTES = 256 * 1024;

const Ref = z.object({ id: z.string(), summary: z.string().nullish() });
export const PagerDutyEvent = z.object({
  event: z.object({
    id: z.string(),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
});
type PagerDutyEvent = z.output<typeof PagerDutyEvent>;

const IncidentData = z.object({
  id: z.string(),
  type: z.literal("incident"),
  title: z.string().nullish(),
  status: z.enum(["triggered", "acknowledged", "resolved"]),
  urgency: z.enum(["high", "low"]).optional(),
  priority: Ref.nullish(),
  service: Ref,
  html_url: z.string().nullish(),
  created_at: z.string(),
});
const NoteData = z.object({ type: z.literal("incident_note"), incident: Ref, content: z.string() });
const FieldsData = z.object({
  type: z.literal("incident_field_values"),
  incident: Ref,
  custom_fields: z.array(z.object({ name: z.string(), value: z.unknown() })),
});

export function receivePagerDutyWebhook(
  db: Db,
  request: Request,
  o: { secret: string | undefined; config: PagerDutyConfig | null },
): Promise<Response> {
  return receiveWebhook<PagerDutyEvent>(db, request, {
    source: "pagerduty",
    label: "PagerDuty",
    secret: o.secret,
    secretEnv: "PAGERDUTY_WEBHOOK_SECRET",
    maxBytes: MAX_PAGERDUTY_BYTES,
    verify(request, body, secret) {
      const header = request.headers.get("x-pagerduty-signature");
      if (!header) {
        throw new HttpError(401, "unsigned", "missing X-PagerDuty-Signature: send v3 webhooks (signed)");
      }
      const signatures = header
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.startsWith("v1="))
        .map((s) => s.slice(3));
      if (!anySignatureMatches(secret, body, signatures)) {
        throw new HttpError(401, "bad_signature", "no signature matches: check PAGERDUTY_WEBHOOK_SECRET");
      }
    },
    parse(_request, body) {
      const parsed = PagerDutyEvent.safeParse(parseJsonObject(body));
      if (!parsed.success) throw new HttpError(400, "invalid_payload", "not a PagerDuty v3 webhook event");
      return parsed.data;
    },
    identify: (request, p, body) => ({
      deliveryId:
        request.headers.get("x-webhook-id")?.slice(0, 200) ||
        `sha256:${createHash("sha256").update(body).digest("hex")}`,
      event: p.event.event_type,
      action: null,
      repository: null,
    }),
    handle: (tx, d) => (o.config ? handle(tx, o.config, d.payload) : notConfigured()),
    after: () => deriveSoon(db),
  });
}

function notConfigured(): Promise<WebhookOutcome> {
  return Promise.resolve({
    status: "ignored",
    note: "throughline.config.yaml has no pagerduty section: nothing says which services are whose",
  });
}

async function handle(tx: Tx, config: PagerDutyConfig, p: PagerDutyEvent): Promise<WebhookOutcome> {
  const { event } = p;
  const incident = IncidentData.safeParse(event.data);
  if (incident.success) {
    const i = incident.data;
    const why = excluded(config, i);
    if (why) return { status: "ignored", note: why };
    const stored = await storedIncident(tx, "pagerduty", i.id);
    // The payload has no resolution time: the resolve event is it; other events of a resolved incident keep it.
    const resolvedAt =
      i.status !== "resolved"
        ? null
        : event.event_type === "incident.resolved"
          ? event.occurred_at
          : ((stored?.resolvedAt as Date | null | undefined) ?? event.occurred_at);
    const record = mapIncident(config, { ...i, title: i.title ?? "" } as PdIncident, { resolvedAt });
    await upsertKeepingCauses(tx, "pagerduty", [record]);
    return { status: "processed", repository: record.repository };
  }
  const note = NoteData.safeParse(event.data);
  const fields = FieldsData.safeParse(event.data);
  const target = note.success ? note.data.incident.id : fields.success ? fields.data.incident.id : null;
  if (!target) return { status: "ignored", note: `${event.event_type} events are not used` };
  const sha = note.success
    ? causedByShaIn(note.data.content)
    : causedByShaField(
        fields.data?.custom_fields.find((f) => config.causeField && f.name === config.causeField)?.value,
      );
  if (!sha) return { status: "ignored", note: "names no cause (caused by: <sha>)" };
  const stored = await storedIncident(tx, "pagerduty", target);
  if (!stored)
    return {
      status: "ignored",
      note: `incident ${target} is not stored (yet): the next sync reads its notes`,
    };
  await upsertIncidents(tx, [{ ...stored, causedBySha: sha }]);
  return { status: "processed", repository: stored.repository ?? null };
}
