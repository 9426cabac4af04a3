import { ZodError } from "zod";
import type { Db, Tx } from "@/lib/db";
import { RecordError, UnknownReferenceError } from "@/lib/ingest/store";
import { errorResponse, HttpError, readBody } from "@/lib/push/http";
import { claimDelivery, type DeliveryRef, failDelivery, finishDelivery, pruneDeliveries } from "./deliveries";
import { presentedSecrets, secretsEqual } from "./secrets";

/**
 * One webhook receiver for every source (GitHub, GitLab, Jenkins, PagerDuty, Opsgenie). A source says how its
 * deliveries are authenticated, parsed and identified, and what one delivery writes; this does the rest the same
 * way for all of them:
 * - no secret configured → 503 (every delivery refused, nothing read);
 * - the body is read with a byte cap (413 naming it) before anything else looks at it, an empty one is a 400, and it
 *   is authenticated over the raw bytes (401) before it is parsed (400);
 * - the delivery is processed **exactly once**: claimed (per source and delivery id) in the same transaction as its
 *   writes, so a redelivery, or the same delivery arriving twice at once, changes nothing; a failure rolls
 *   everything back and is recorded as failed, which a redelivery may claim again;
 * - a payload the store refuses is a 400 naming the field; follow-up work (derive, a sync) runs after the commit.
 */

export interface WebhookOutcome {
  status: "processed" | "ignored";
  note?: string;
  /** The repository (or other scope) the delivery was about, for the delivery log. */
  repository?: string | null;
}

export interface WebhookDelivery<P> extends DeliveryRef {
  payload: P;
}

export interface WebhookReceiver<P> {
  /** webhook_deliveries.source and the endpoint's name: /api/webhooks/<source>. */
  source: string;
  label: string;
  secret: string | undefined;
  /** The environment variable that sets the secret (named in the 503). */
  secretEnv: string;
  maxBytes: number;
  /** Checks headers needed before the body is read; throws HttpError 400. */
  precheck?(request: Request): void;
  /** Authenticates the raw body; throws HttpError 401. */
  verify(request: Request, body: string, secret: string): void | Promise<void>;
  /** Parses the raw body; throws HttpError 400. */
  parse(request: Request, body: string): P;
  /** The delivery's identity (stable across redeliveries), event and action; throws HttpError 400. */
  identify(request: Request, payload: P, body: string): Omit<DeliveryRef, "source">;
  /** Answers 200 with this body without touching the database (e.g. GitHub's ping → `pong`), or null. */
  immediate?(delivery: WebhookDelivery<P>): { status: string; note?: string } | null;
  /** Writes what the delivery says, through the store, inside the delivery's transaction. */
  handle(tx: Tx, delivery: WebhookDelivery<P>): Promise<WebhookOutcome>;
  /** After the commit of a processed delivery: derive soon, a follow-up sync. Must not throw. */
  after?(outcome: WebhookOutcome, delivery: WebhookDelivery<P>): void;
}

export async function receiveWebhook<P>(db: Db, request: Request, r: WebhookReceiver<P>): Promise<Response> {
  try {
    if (!r.secret) {
      throw new HttpError(
        503,
        "not_configured",
        `${r.label} webhooks are off: set ${r.secretEnv} on the server`,
      );
    }
    r.precheck?.(request);
    const body = await readBody(request, r.maxBytes);
    // Nothing to verify or process: say so (400), rather than a misleading "signature does not match".
    if (body.length === 0) throw new HttpError(400, "empty_body", `the ${r.label} delivery has no body`);
    await r.verify(request, body, r.secret);
    const payload = r.parse(request, body);
    const delivery: WebhookDelivery<P> = { ...r.identify(request, payload, body), source: r.source, payload };
    const quick = r.immediate?.(delivery);
    if (quick) return answer(200, delivery, quick);
    const { outcome, duplicate } = await processOnce(db, r, delivery);
    if (!duplicate && outcome.status === "processed") r.after?.(outcome, delivery);
    return answer(duplicate ? 200 : 202, delivery, duplicate ? { ...outcome, duplicate: true } : outcome);
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
}

async function processOnce<P>(
  db: Db,
  r: WebhookReceiver<P>,
  d: WebhookDelivery<P>,
): Promise<{ outcome: WebhookOutcome; duplicate: boolean }> {
  await pruneDeliveries(db, r.source);
  try {
    return await db.transaction(async (tx) => {
      if (!(await claimDelivery(tx, d))) {
        return { outcome: { status: "ignored", note: "already received" }, duplicate: true };
      }
      const outcome = await r.handle(tx, d);
      const repository = outcome.repository ?? d.repository ?? null;
      await finishDelivery(tx, { ...d, repository }, outcome.status, outcome.note ?? null);
      return { outcome: { ...outcome, ...(repository ? { repository } : {}) }, duplicate: false };
    });
  } catch (error) {
    const message = describeError(error);
    await failDelivery(db, d, message);
    if (error instanceof ZodError || error instanceof RecordError || error instanceof UnknownReferenceError) {
      throw new HttpError(400, "invalid_payload", `${d.event}: ${message}`);
    }
    throw error;
  }
}

function answer<P>(
  status: number,
  d: WebhookDelivery<P>,
  outcome: { status: string; note?: string; duplicate?: boolean },
): Response {
  return Response.json(
    { delivery: d.deliveryId, event: d.event, ...outcome },
    { status, headers: { "cache-control": "no-store" } },
  );
}

function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "payload"}: ${i.message}`)
      .join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

/** A JSON object body, or a 400 that says so. */
export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new HttpError(400, "invalid_json", "the payload is not a JSON object");
}

/**
 * For senders that cannot sign: the shared secret (presentedSecrets) compared in constant time, every candidate
 * (no early exit). 401 naming how to send it, or that it does not match `secretEnv`.
 */
export function checkSharedSecret(
  request: Request,
  secret: string,
  o: { secretEnv: string; how: string },
): void {
  const given = presentedSecrets(request);
  if (given.length === 0) throw new HttpError(401, "unauthenticated", `no secret: ${o.how}`);
  if (!given.map((g) => secretsEqual(g, secret)).includes(true)) {
    throw new HttpError(401, "bad_secret", `the secret does not match ${o.secretEnv}`);
  }
}
