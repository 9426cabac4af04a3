"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { publicOrigin, requireAdmin } from "@/lib/auth/current";
import { parseAddressList } from "@/lib/calms/address-list";
import { BANK } from "@/lib/calms/bank";
import { RoundInput } from "@/lib/calms/inputs";
import { queueLinkMails, queueReminders } from "@/lib/calms/mail";
import { runSurveyMail } from "@/lib/calms/mail-send";
import {
  closeRound,
  createRespondentLinks,
  createRound,
  RoundError,
  renewLink,
  setMinGroupSize,
} from "@/lib/calms/rounds";
import { surveyPath } from "@/lib/calms/tokens";
import { type Db, getDb } from "@/lib/db";
import { SecretKeyMissingError } from "@/lib/delivery/secret-box";
import { requestSurveyMail } from "@/lib/queue";
import { formProblem } from "@/lib/validation/input";
import type { FormState } from "../form-state";
import type { SurveyAdminState } from "./state";

/**
 * Every CALMS admin mutation goes through this file and lib/calms/rounds.ts: admins only, each written to the audit
 * log (never a link's token). Parse with lib's zod schemas, call lib, map expected errors to fields.
 */

const WESTRUM_KEYS = BANK.filter((i) => i.block === "westrum").map((i) => i.key);
const CUSTOM_ROWS = 3;

/** Zod issue paths to form field names: customItems.1.text → custom-text-1. */
function fieldErrors(error: z.ZodError): SurveyAdminState {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const [head, index, leaf] = issue.path.map(String);
    const key = head === "customItems" ? `custom-${leaf ?? "text"}-${index}` : (head ?? "form");
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  return { errors, message: "Please correct the fields marked below." };
}

function formValues(form: FormData): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === "string" && !name.startsWith("$")) out[name] = [...(out[name] ?? []), value];
  }
  return out;
}

export async function createRoundAction(_prev: SurveyAdminState, form: FormData): Promise<SurveyAdminState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const customItems = Array.from({ length: CUSTOM_ROWS }, (_, i) => ({
    block: form.get(`custom-block-${i}`),
    text: String(form.get(`custom-text-${i}`) ?? "").trim(),
  })).filter((c) => c.text !== "");
  const itemKeys = form.getAll("itemKeys").map(String);
  if (form.get("westrum") === "on") itemKeys.push(...WESTRUM_KEYS);
  const parsed = RoundInput.safeParse({
    title: form.get("title"),
    opensOn: form.get("opensOn"),
    closesOn: form.get("closesOn"),
    teamIds: form.getAll("teamIds"),
    minGroupSize: form.get("minGroupSize") || undefined,
    linkMode: form.get("linkMode") || undefined,
    itemKeys,
    customItems,
  });
  if (!parsed.success) return { ...fieldErrors(parsed.error), values: formValues(form) };
  let created: Awaited<ReturnType<typeof createRound>>;
  try {
    const db = await getDb();
    created = await createRound(db, parsed.data);
    await audit(db, actor, "survey.round_create", parsed.data.title, {
      round: created.roundId,
      linkMode: parsed.data.linkMode,
      items: parsed.data.itemKeys.length,
      customItems: parsed.data.customItems.length,
    });
  } catch (error) {
    if (error instanceof RoundError)
      return { errors: { [error.field]: [error.message] }, values: formValues(form) };
    throw error;
  }
  revalidatePath("/settings/survey");
  revalidatePath("/calms");
  const base = await publicOrigin();
  return {
    ok: true,
    message:
      parsed.data.linkMode === "team"
        ? "Round created. Copy each team's link now: for your teams' safety, links are shown only once."
        : "Round created. Open the round and create one single-use link per person for each team.",
    roundId: created.roundId,
    links: created.links.map((l) => ({ team: l.name, url: `${base}${surveyPath(l.token)}` })),
  };
}

/** Ids come in hidden fields, not bound arguments: a stable action is what lets a form work without JavaScript. */
const ids = (form: FormData, ...names: string[]) => names.map((n) => Number(form.get(n)));

type Actor = Awaited<ReturnType<typeof requireAdmin>>["actor"];

/** The shared frame of a per-team link action: form checks, admins only, ids, expected errors to the form. */
async function teamLinkAction(
  form: FormData,
  run: (db: Db, actor: Actor, roundId: number, teamId: number) => Promise<SurveyAdminState>,
): Promise<SurveyAdminState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const [roundId, teamId] = ids(form, "roundId", "teamId") as [number, number];
  try {
    return await run(await getDb(), actor, roundId, teamId);
  } catch (error) {
    if (error instanceof RoundError)
      return { message: error.message, errors: { [error.field]: [error.message] } };
    if (error instanceof SecretKeyMissingError) return { message: error.message };
    throw error;
  }
}

/** The mails go as a queue job; a process without a queue (a CLI-started server in tests) sends them itself. */
async function sendMailsSoon(db: Db): Promise<void> {
  if (!(await requestSurveyMail())) await runSurveyMail(db, { log: console.log });
}

export async function renewLinkAction(_prev: SurveyAdminState, form: FormData): Promise<SurveyAdminState> {
  await requireAdmin(); // Checked here too, so that every action visibly starts with it (test/e2e/access.test.ts).
  return teamLinkAction(form, async (db, actor, roundId, teamId) => {
    const token = await renewLink(db, roundId, teamId);
    await audit(db, actor, "survey.link_renew", `round ${roundId}`, { team: teamId });
    return { ok: true, links: [{ team: "", url: `${await publicOrigin()}${surveyPath(token)}` }] };
  });
}

/** N single-use links for a team (ADR 0014), shown once; the audit log records how many, never a token. */
export async function respondentLinksAction(
  _prev: SurveyAdminState,
  form: FormData,
): Promise<SurveyAdminState> {
  await requireAdmin();
  return teamLinkAction(form, async (db, actor, roundId, teamId) => {
    const tokens = await createRespondentLinks(db, roundId, teamId, form.get("count"));
    await audit(db, actor, "survey.respondent_links", `round ${roundId}`, {
      team: teamId,
      count: tokens.length,
    });
    revalidatePath(`/settings/survey/${roundId}`);
    const base = await publicOrigin();
    return { ok: true, links: tokens.map((t) => ({ team: "", url: `${base}${surveyPath(t)}` })) };
  });
}

/**
 * "Mail the links": one single-use link per pasted address, sent by the queue job (ADR 0024). The audit log records
 * how many, never an address; the text comes back with errors so the form keeps it.
 */
export async function mailLinksAction(_prev: SurveyAdminState, form: FormData): Promise<SurveyAdminState> {
  await requireAdmin();
  const text = typeof form.get("emails") === "string" ? String(form.get("emails")) : "";
  const list = parseAddressList(form.get("emails"));
  if (!list.ok)
    return {
      message: "Please correct the addresses below.",
      errors: { emails: list.errors },
      values: { emails: [text] },
    };
  return teamLinkAction(form, async (db, actor, roundId, teamId) => {
    const base = await publicOrigin();
    const r = await queueLinkMails(db, roundId, teamId, list.addresses, base);
    await audit(db, actor, "survey.mail_links", `round ${roundId}`, { team: teamId, count: r.queued });
    if (r.queued > 0) await sendMailsSoon(db);
    revalidatePath(`/settings/survey/${roundId}`);
    const parts = [`${r.queued} ${r.queued === 1 ? "link" : "links"} queued for sending`];
    if (list.duplicates)
      parts.push(
        `${list.duplicates} repeated ${list.duplicates === 1 ? "address" : "addresses"} counted once`,
      );
    if (r.alreadyInvited.length)
      parts.push(
        `${r.alreadyInvited.length} already ${r.alreadyInvited.length === 1 ? "has" : "have"} an unused link (use Send reminder)`,
      );
    return { ok: true, message: `${parts.join("; ")}.` };
  });
}

/** "Send reminder": the same link again to every mailed address of the team whose link is still unused. */
export async function remindAction(_prev: SurveyAdminState, form: FormData): Promise<SurveyAdminState> {
  await requireAdmin();
  return teamLinkAction(form, async (db, actor, roundId, teamId) => {
    const n = await queueReminders(db, roundId, teamId);
    await audit(db, actor, "survey.remind", `round ${roundId}`, { team: teamId, count: n });
    if (n > 0) await sendMailsSoon(db);
    revalidatePath(`/settings/survey/${roundId}`);
    return {
      ok: true,
      message: n
        ? `Reminder queued for ${n === 1 ? "1 person who has" : `${n} people who have`} not answered yet.`
        : "Nobody to remind: every mailed link has answered, or is still being sent.",
    };
  });
}

export async function closeRoundAction(roundId: number): Promise<void> {
  const { actor } = await requireAdmin();
  const db = await getDb();
  await closeRound(db, roundId);
  await audit(db, actor, "survey.round_close", `round ${roundId}`);
  revalidatePath("/", "layout");
  redirect(`/settings/survey/${roundId}?closed=1`);
}

export async function setThresholdAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const [roundId] = ids(form, "roundId") as [number];
  try {
    const db = await getDb();
    await setMinGroupSize(db, roundId, form.get("minGroupSize"));
    await audit(db, actor, "survey.threshold", `round ${roundId}`, {
      minGroupSize: String(form.get("minGroupSize")),
    });
  } catch (error) {
    if (error instanceof RoundError) return { errors: { minGroupSize: [error.message] } };
    throw error;
  }
  revalidatePath("/", "layout");
  return { ok: true, message: "Saved. Results follow the new threshold at once." };
}
