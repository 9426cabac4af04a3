import { desc, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { webhookDeliveries } from "@/lib/db/schema";

/** The webhook delivery log (kept 30 days) for Settings → Sources: what arrived and what became of it. */
export async function recentDeliveries(db: Db, limit = 15) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .orderBy(desc(webhookDeliveries.receivedAt))
    .limit(limit);
  const [totals] = await db
    .select({
      total: sql<number>`count(*)::int`,
      failed: sql<number>`(count(*) filter (where ${webhookDeliveries.status} = 'failed'))::int`,
      last: sql<Date | null>`max(${webhookDeliveries.receivedAt})`,
    })
    .from(webhookDeliveries);
  return { rows, total: totals?.total ?? 0, failed: totals?.failed ?? 0 };
}
