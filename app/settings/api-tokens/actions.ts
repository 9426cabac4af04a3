"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiTokenError, ApiTokenInput, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db";
import type { FormState } from "../form-state";

/** Until sign-in exists, tokens made in the UI are recorded as made by the local admin. */
const AUTHOR = "admin (settings)";

export interface TokenFormState extends FormState {
  /** The new token: in this one answer only, never stored or shown again. */
  token?: string;
}

export async function createTokenAction(_prev: TokenFormState, form: FormData): Promise<TokenFormState> {
  const parsed = ApiTokenInput.safeParse({ name: form.get("name"), team: form.get("team") });
  if (!parsed.success) {
    return {
      errors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      message: "Please correct the fields marked below.",
    };
  }
  try {
    const { token, row } = await createApiToken(await getDb(), parsed.data, AUTHOR);
    revalidatePath("/settings/api-tokens");
    return { ok: true, token, message: `Created “${row.name}”. Copy the token now: it is not shown again.` };
  } catch (error) {
    if (error instanceof ApiTokenError) return { errors: { [error.field]: [error.message] } };
    throw error;
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  await revokeApiToken(await getDb(), Number(form.get("id")));
  revalidatePath("/settings/api-tokens");
}
