import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "@/lib/db";
import { webhookDeliveries } from "@/lib/db/schema";

/**
 * Webhook delivery bookkeeping, per source: each delivery is claimed in the same transaction as its writes, so a
 * redelivery (or the same delivery racing itself, which waits on the row lock) finds it and changes nothing, and a
 * failed delivery leaves nothing half-written and may be claimed again by a redelivery.
 */

export type DeliveryStatus = "processing" | "processed" | "ignored" | "failed";

export interface DeliveryRef {
  source: string;
  deliveryId: string;
  event: string;
  action?: string | null;
  repository?: string | null;
}

const KEEP_DAYS = 30;

/** Claims the delivery inside `tx`. False when it was received before (and did not fail). */
export async function claimDelivery(tx: Tx, d: DeliveryRef): Promise<boolean> {
  const claimed = await tx
    .insert(webhookDeliveries)
    .values({ ...row(d), status: "processing" })
    .onConflictDoUpdate({
      target: [webhookDeliveries.source, webhookDeliveries.deliveryId],
      set: { status: "processing", error: null, receivedAt: new Date() },
      setWhere: eq(webhookDeliveries.status, "failed"),
    })
    .returning({ id: webhookDeliveries.deliveryId });
  return claimed.length > 0;
}

/** Records what became of a claimed delivery, in its transaction. */
export async function finishDelivery(
  tx: Tx,
  d: DeliveryRef,
  status: "processed" | "ignored",
  note: string | null,
): Promise<void> {
  await tx
    .update(webhookDeliveries)
    .set({
      status,
      error: note,
      processedAt: new Date(),
      ...(d.repository ? { repository: d.repository } : {}),
    })
    .where(and(eq(webhookDeliveries.source, d.source), eq(webhookDeliveries.deliveryId, d.deliveryId)));
}

/** Records a failure outside the rolled-back transaction, so Settings shows it and a redelivery may retry. */
export async function failDelivery(db: Db, d: DeliveryRef, message: string): Promise<void> {
  const error = message.slice(0, 2_000);
  await db
    .insert(webhookDeliveries)
    .values({ ...row(d), status: "failed", error, processedAt: new Date() })
    .onConflictDoUpdate({
      target: [webhookDeliveries.source, webhookDeliveries.deliveryId],
      set: { status: "failed", error, processedAt: new Date() },
    });
}

/** Forgets deliveries older than 30 days (redeliveries that old are not expected). */
export async function pruneDeliveries(db: Db, source: string): Promise<void> {
  await db
    .delete(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.source, source),
        lt(webhookDeliveries.receivedAt, sql`now() - make_interval(days => ${KEEP_DAYS})`),
      ),
    );
}

export interface DeliverySummary {
  recent: (typeof webhookDeliveries.$inferSelect)[];
  total: number;
  failed: number;
  last: Date | null;
}

/** The latest deliveries of one endpoint and its totals (Settings → Sources). */
export async function deliverySummary(db: Db, source: string, limit = 20): Promise<DeliverySummary> {
  const recent = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.source, source))
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(limit);
  const [totals] = await db
    .select({
      total: sql<number>`count(*)::int`,
      failed: sql<number>`(count(*) filter (where ${webhookDeliveries.status} = 'failed'))::int`,
      last: sql<string | null>`max(${webhookDeliveries.receivedAt})::text`,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.source, source));
  return {
    recent,
    total: Number(totals?.total ?? 0),
    failed: Number(totals?.failed ?? 0),
    last: totals?.last ? new Date(totals.last) : null,
  };
}

function row(d: DeliveryRef) {
  return {
    source: d.source,
    deliveryId: d.deliveryId,
    event: d.event,
    action: d.action ?? null,
    repository: d.repository ?? null,
  };
}
