"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { audit } from "@/lib/audit";
import { readAuthConfig } from "@/lib/auth/config";
import { cookieOptions, safeReturnTo } from "@/lib/auth/cookies";
import { publicOrigin } from "@/lib/auth/current";
import { checkAdminPassword } from "@/lib/auth/password";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";
import { formProblem } from "@/lib/validation/input";
import type { FormState } from "../settings/form-state";

/** Password sign-in of `admin`, on a server without single sign-on (THROUGHLINE_AUTH=password). */
export async function passwordSignInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const problem = formProblem(form);
  if (problem) return { message: problem };
  const config = readAuthConfig();
  if (config.mode !== "password") return { message: "Password sign-in is not enabled on this server." };
  const password = String(form.get("password") ?? "");
  if (!password) return { errors: { password: ["Enter the admin password."] } };
  const db = await getDb();
  const actor = { name: "admin", subject: "password:admin" };
  if (!(await checkAdminPassword(db, password))) {
    await audit(db, actor, "sign_in.failed", null, { provider: "password" });
    // A second's pause per failure makes guessing slow; the password has ~116 bits anyway.
    await new Promise((r) => setTimeout(r, 1_000));
    return { errors: { password: ["That is not the admin password."] } };
  }
  const { token } = await createSession(
    db,
    { subject: "password:admin", provider: "password", name: "admin", email: null, role: "admin" },
    config.sessionHours,
  );
  await audit(db, actor, "sign_in", null, { provider: "password", role: "admin" });
  (await cookies()).set(
    SESSION_COOKIE,
    token,
    cookieOptions(await publicOrigin(), Math.round(config.sessionHours * 3600)),
  );
  redirect(safeReturnTo(String(form.get("next") ?? "/")));
}
