"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { currentSync, startSync } from "@/lib/ingest/activity";

/** "Sync now": starts a sync in the background; the page follows its log. */
export async function syncNowAction(): Promise<void> {
  if (!currentSync()?.running) startSync(await getDb(), "manual");
  revalidatePath("/settings/sources");
  redirect("/settings/sources");
}
