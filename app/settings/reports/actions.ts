"use server";

import { revalidatePath } from "next/cache";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { runDueDeliveries } from "@/lib/delivery/runner";
import { parseSchedule } from "@/lib/delivery/schedule";
import { SecretKeyMissingError } from "@/lib/delivery/secret-box";
import {
  createSchedule,
  deleteSchedule,
  requestSendNow,
  ScheduleError,
  setPaused,
} from "@/lib/delivery/store";
import { resubscribe } from "@/lib/delivery/unsubscribe";
import { getOrgSettings } from "@/lib/settings/org";
import { formProblem } from "@/lib/validation/input";
import type { FormState } from "../form-state";

const PATH = "/settings/reports";

export interface ScheduleFormState extends FormState {
  values?: Record<string, string>;
}

export async function createScheduleAction(
  _prev: ScheduleFormState,
  form: FormData,
): Promise<ScheduleFormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const db = await getDb();
  const { timeZone } = await getOrgSettings(db);
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = parseSchedule(
    {
      name: text("name") ?? "",
      team: text("team") ?? "",
      channel: text("channel"),
      preset: text("preset"),
      cron: text("cron") || undefined,
      period: text("period") || undefined,
      formats: form.getAll("formats").filter((v): v is string => typeof v === "string"),
      recipients: text("recipients") ?? "",
      webhookUrl: text("webhookUrl") || undefined,
    },
    timeZone,
  );
  // What was typed comes back with the errors, so the form keeps it (React resets a form after its action); the
  // webhook URL does not: it is a credential, and is entered again.
  const values = {
    name: text("name") ?? "",
    team: text("team") ?? "",
    channel: text("channel") ?? "email",
    preset: text("preset") ?? "weekly",
    cron: text("cron") ?? "",
    period: text("period") ?? "",
    recipients: text("recipients") ?? "",
    formats: form
      .getAll("formats")
      .filter((v): v is string => typeof v === "string")
      .join(","),
  };
  if (!parsed.ok)
    return { errors: parsed.errors, message: "Please correct the fields marked below.", values };
  try {
    const row = await createSchedule(db, parsed.spec, actor.name);
    // The audit log names the schedule and where it goes, never the webhook URL.
    await audit(db, actor, "report-schedule.create", parsed.spec.name, {
      channel: parsed.spec.channel,
      team: parsed.spec.team,
      recipients: parsed.spec.recipients.length,
      cron: parsed.spec.cron,
    });
    revalidatePath(PATH);
    return { ok: true, message: `Scheduled “${row?.name}”.` };
  } catch (error) {
    if (error instanceof ScheduleError) return { errors: { [error.field]: [error.message] }, values };
    if (error instanceof SecretKeyMissingError) return { errors: { webhookUrl: [error.message] }, values };
    throw error;
  }
}

const idOf = (form: FormData) => {
  const n = Number(form.get("id"));
  return Number.isSafeInteger(n) && n > 0 && n < 2 ** 31 ? n : 0;
};

export async function pauseScheduleAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  const paused = form.get("paused") === "true";
  const row = await setPaused(db, idOf(form), paused).catch(ignoreGone);
  if (row) await audit(db, actor, paused ? "report-schedule.pause" : "report-schedule.resume", row.name, {});
  revalidatePath(PATH);
}

export async function deleteScheduleAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  const row = await deleteSchedule(db, idOf(form)).catch(ignoreGone);
  if (row) await audit(db, actor, "report-schedule.delete", row.name, {});
  revalidatePath(PATH);
}

/** "Send now": a delivery due at the click, sent before the page answers; its outcome shows in the list. */
export async function sendNowAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  const id = await requestSendNow(db, idOf(form)).catch(ignoreGone);
  if (id) {
    await audit(db, actor, "report-schedule.send-now", String(idOf(form)), {});
    await runDueDeliveries(db, { log: console.log });
  }
  revalidatePath(PATH);
}

/** "Re-add": an address that unsubscribed receives its schedules' e-mails again (an override: audited by name). */
export async function resubscribeAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const email = String(form.get("email") ?? "").slice(0, 320);
  const db = await getDb();
  if (await resubscribe(db, email))
    await audit(db, actor, "report-schedule.resubscribe", email.toLowerCase(), {});
  revalidatePath(PATH);
}

/** A schedule deleted in another tab: nothing to do, the page reloads without it. */
function ignoreGone(error: unknown): null {
  if (error instanceof ScheduleError) return null;
  throw error;
}
