"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { currentSync, startSync } from "@/lib/ingest/activity";
import { findSource } from "@/lib/ingest/sources";

/** "Sync now" of one connector (Jenkins, PagerDuty, Opsgenie): starts it in the background; the page follows its log. */
export async function syncSourceAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  const source = String(form.get("source") ?? "");
  if (findSource(source) && !currentSync()?.running) {
    const db = await getDb();
    startSync(db, "manual", { source });
    await audit(db, actor, "sync.start", source);
  }
  revalidatePath("/settings/sources");
  redirect("/settings/sources");
}
