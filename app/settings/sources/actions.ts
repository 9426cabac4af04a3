"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { currentSync, startSync } from "@/lib/ingest/activity";

/** "Sync now": starts a sync in the background; the page follows its log. */
export async function syncNowAction(): Promise<void> {
  const { actor } = await requireAdmin();
  const db = await getDb();
  if (!currentSync()?.running) {
    startSync(db, "manual");
    await audit(db, actor, "sync.start");
  }
  revalidatePath("/settings/sources");
  redirect("/settings/sources");
}
