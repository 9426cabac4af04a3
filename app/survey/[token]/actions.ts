"use server";

import { cookies } from "next/headers";
import { submitResponse } from "@/lib/calms/submit";
import { hashLinkToken } from "@/lib/calms/tokens";
import { getDb } from "@/lib/db";
import { formProblem } from "@/lib/validation/input";
import { fieldName, type SurveyState } from "./state";

/** Cookie that tells this browser it already answered (kept in the browser, never stored with the answers). */
export async function answeredCookie(token: string): Promise<string> {
  return `tl_answered_${hashLinkToken(token).slice(0, 16)}`;
}

/**
 * The public form's action: hands the raw form to lib/calms/submit (which validates with zod, against the round's
 * own statements) and returns field errors with the values, so a form without JavaScript loses nothing either.
 * Reads nothing about the request: no IP address, no user agent.
 */
export async function submitSurveyAction(_prev: SurveyState, form: FormData): Promise<SurveyState> {
  const problem = formProblem(form);
  if (problem) return { status: "invalid", errors: { comment: [problem] }, values: {}, comment: "" };
  // The token travels in a hidden field, not as a bound argument: a bound action is a new function on every render,
  // and React's no-JavaScript path (matching the posted form to its state) never settles on one.
  const token = String(form.get("token") ?? "");
  const answers: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("item-") && typeof value === "string") answers[name.slice(5)] = value;
  }
  const comment = String(form.get("comment") ?? "");
  const result = await submitResponse(await getDb(), token, {
    submissionId: form.get("submissionId"),
    answers,
    comment,
  });
  if (result.status === "recorded" || result.status === "duplicate") {
    (await cookies()).set(await answeredCookie(token), "1", {
      path: "/survey",
      httpOnly: true,
      sameSite: "lax",
      maxAge: 60 * 86_400,
    });
  }
  if (result.status !== "invalid") return { status: result.status };
  const values = Object.fromEntries(Object.entries(answers).map(([k, v]) => [fieldName(k), v]));
  return { status: "invalid", errors: result.errors, values, comment };
}
