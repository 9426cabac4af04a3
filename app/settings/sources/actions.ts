"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { enqueueSync } from "@/lib/queue/sync";

/** "Sync now": queues a GitHub sync; the page follows the job's state in the database. */
export async function syncNowAction(): Promise<void> {
  const { actor } = await requireAdmin();
  const db = await getDb();
  await enqueueSync("github", "manual");
  await audit(db, actor, "sync.start");
  revalidatePath("/settings/sources");
  redirect("/settings/sources");
}
