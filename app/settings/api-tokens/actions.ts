"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { ApiTokenError, ApiTokenInput, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { requireAdmin } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { formProblem } from "@/lib/validation/input";
import type { FormState } from "../form-state";

export interface TokenFormState extends FormState {
  /** The new token: in this one answer only, never stored or shown again. */
  token?: string;
}

export async function createTokenAction(_prev: TokenFormState, form: FormData): Promise<TokenFormState> {
  const { actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const parsed = ApiTokenInput.safeParse({ name: form.get("name"), team: form.get("team") });
  if (!parsed.success) {
    return {
      errors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      message: "Please correct the fields marked below.",
    };
  }
  try {
    const db = await getDb();
    const { token, row } = await createApiToken(db, parsed.data, actor.name);
    await audit(db, actor, "token.create", row.name, { prefix: row.prefix, team: row.teamSlug });
    revalidatePath("/settings/api-tokens");
    return { ok: true, token, message: `Created “${row.name}”. Copy the token now: it is not shown again.` };
  } catch (error) {
    if (error instanceof ApiTokenError) return { errors: { [error.field]: [error.message] } };
    throw error;
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const { actor } = await requireAdmin();
  if (formProblem(form)) return;
  const db = await getDb();
  const row = await revokeApiToken(db, Number(form.get("id")));
  await audit(db, actor, "token.revoke", row.name, { prefix: row.prefix });
  revalidatePath("/settings/api-tokens");
}
