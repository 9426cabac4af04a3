"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { z } from "zod";
import type { FormState } from "@/app/settings/form-state";
import { CorrectionError, createCorrection, type NewCorrection, revokeCorrection } from "@/lib/corrections";
import { getDb } from "@/lib/db";
import { deriveRepositories } from "@/lib/metrics/derive";

/**
 * Corrections from the deployment page. Until sign-in exists the author names themself (remembered in a cookie);
 * with sign-in the signed-in identity takes its place. The figures are re-derived before the page reloads, so the
 * correction shows at once.
 */

const AUTHOR_COOKIE = "tl_author";

const Input = z.object({
  change: z
    .string()
    .regex(/^(deployment_failed|deployment_not_failed|deployment_excluded|pr:\d+|link:\d+|unlink:\d+)$/, {
      error: "choose what to correct",
    }),
  reason: z
    .string()
    .trim()
    .min(3, "say why (at least 3 characters): the reason is shown next to the figure")
    .max(500),
  author: z.string().trim().min(2, "say who you are: corrections record who made them").max(100),
});

export async function correctDeploymentAction(
  deploymentId: number,
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const parsed = Input.safeParse({
    change: form.get("change"),
    reason: form.get("reason"),
    author: form.get("author"),
  });
  if (!parsed.success) {
    return {
      errors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      message: "Please correct the fields marked below.",
    };
  }
  const { change, reason, author } = parsed.data;
  const [kind, id] = change.split(":") as [string, string | undefined];
  const input: NewCorrection =
    kind === "pr"
      ? { kind: "pull_request_excluded", pullRequestId: Number(id), reason }
      : kind === "link" || kind === "unlink"
        ? {
            kind: kind === "link" ? "incident_linked" : "incident_unlinked",
            incidentId: Number(id),
            deploymentId,
            reason,
          }
        : { kind: kind as NewCorrection["kind"], deploymentId, reason };
  const db = await getDb();
  try {
    await createCorrection(db, input, author);
  } catch (error) {
    if (error instanceof CorrectionError) return { message: error.message };
    throw error;
  }
  (await cookies()).set(AUTHOR_COOKIE, author, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 86_400,
  });
  await deriveRepositories(db);
  revalidatePath("/", "layout");
  return { ok: true, message: "Corrected. The figures below include it." };
}

export async function revokeCorrectionAction(form: FormData): Promise<void> {
  const id = Number(form.get("id"));
  const db = await getDb();
  const author = (await cookies()).get(AUTHOR_COOKIE)?.value ?? "someone (unnamed)";
  try {
    await revokeCorrection(db, id, author);
  } catch (error) {
    if (!(error instanceof CorrectionError)) throw error;
  }
  await deriveRepositories(db);
  revalidatePath("/", "layout");
}
