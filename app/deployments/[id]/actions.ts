"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { FormState } from "@/app/settings/form-state";
import { audit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/current";
import { CorrectionError, createCorrection, type NewCorrection, revokeCorrection } from "@/lib/corrections";
import { getDb } from "@/lib/db";
import { deriveRepositories } from "@/lib/metrics/derive";
import { formProblem } from "@/lib/validation/input";

/**
 * Corrections from the deployment page, by an admin; the signed-in identity is the author. The figures are
 * re-derived before the page reloads, so the correction shows at once.
 */

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
});

export async function correctDeploymentAction(
  deploymentId: number,
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const { user, actor } = await requireAdmin();
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const author = user.name;
  const parsed = Input.safeParse({ change: form.get("change"), reason: form.get("reason") });
  if (!parsed.success) {
    return {
      errors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      message: "Please correct the fields marked below.",
    };
  }
  const { change, reason } = parsed.data;
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
    const created = await createCorrection(db, input, author);
    await audit(db, actor, "correction.create", `deployment ${deploymentId}`, {
      kind: input.kind,
      reason,
      correction: created.id,
    });
  } catch (error) {
    if (error instanceof CorrectionError) return { message: error.message };
    throw error;
  }
  await deriveRepositories(db);
  revalidatePath("/", "layout");
  return { ok: true, message: "Corrected. The figures below include it." };
}

export async function revokeCorrectionAction(form: FormData): Promise<void> {
  const { user, actor } = await requireAdmin();
  if (formProblem(form)) return;
  const id = Number(form.get("id"));
  const db = await getDb();
  try {
    await revokeCorrection(db, id, user.name);
    await audit(db, actor, "correction.revoke", `correction ${id}`);
  } catch (error) {
    if (!(error instanceof CorrectionError)) throw error;
  }
  await deriveRepositories(db);
  revalidatePath("/", "layout");
}
