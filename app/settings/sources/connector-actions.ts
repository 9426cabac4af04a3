"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { findSource } from "@/lib/ingest/sources";
import { enqueueSync } from "@/lib/queue/sync";

/** "Sync now" of one connector (Jenkins, PagerDuty, Opsgenie): queues it; the page follows the job's state. */
export async function syncSourceAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  const source = String(form.get("source") ?? "");
  if (findSource(source)) {
    const db = await getDb();
    await enqueueSync(source, "manual");
    await audit(db, actor, "sync.start", source);
  }
  revalidatePath("/settings/sources");
  redirect("/settings/sources");
}
