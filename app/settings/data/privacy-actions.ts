"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { SecretKeyMissingError } from "@/lib/delivery/secret-box";
import { erasePerson, PrivacyError } from "@/lib/privacy/erase";
import { formProblem } from "@/lib/validation/input";
import type { FormState } from "../form-state";

export interface EraseFormState extends FormState {
  /** What the form showed, to show again after a refusal (React resets a form an action answered). */
  values?: { kind: "email" | "login"; identity: string };
}

/** Settings → Data → Forget a person: the same erasure as `npm run privacy -- erase`, audited as the admin. */
export async function erasePersonAction(_prev: EraseFormState, form: FormData): Promise<EraseFormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const kind = form.get("kind") === "login" ? "login" : "email";
  const identity = String(form.get("identity") ?? "");
  const values = { kind, identity } as const;
  if (form.get("confirm") !== "yes")
    return { errors: { confirm: ["Tick the box: an erasure cannot be undone."] }, values };
  try {
    const done = await erasePerson(await getDb(), { [kind]: identity }, actor);
    revalidatePath("/settings/data");
    // The erased value is not sent back: the form starts empty again.
    return {
      ok: true,
      values: { kind, identity: "" },
      message: done.alreadyErased
        ? `Already erased as ${done.erasure}: nothing left to change.`
        : `Erased as ${done.erasure}: ${Object.values(done.rows).reduce((a, b) => a + b, 0)} rows rewritten. Later syncs write the pseudonym.`,
    };
  } catch (error) {
    if (error instanceof PrivacyError) return { errors: { identity: [error.message] }, values };
    if (error instanceof SecretKeyMissingError) return { message: error.message, values };
    throw error;
  }
}
