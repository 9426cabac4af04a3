import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { audit } from "@/lib/audit";
import { readAuthConfig } from "@/lib/auth/config";
import { cookieOptions } from "@/lib/auth/cookies";
import { publicOrigin } from "@/lib/auth/current";
import { finishSignIn, SIGNIN_COOKIE, SignInError, signInFailed } from "@/lib/auth/providers";
import { decideRole } from "@/lib/auth/roles";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /auth/callback/oidc|github: the provider sends the browser back here with a code. */
export async function GET(
  request: Request,
  ctx: { params: Promise<{ provider: string }> },
): Promise<Response> {
  const { provider } = await ctx.params;
  const origin = await publicOrigin();
  const fail = (message: string) => {
    const response = signInFailed(origin, message);
    response.cookies.delete({ name: SIGNIN_COOKIE, path: "/auth/callback" });
    return response;
  };
  if (provider !== "oidc" && provider !== "github") return fail("Unknown sign-in method.");
  const db = await getDb();
  const config = readAuthConfig();
  const browserToken = (await cookies()).get(SIGNIN_COOKIE)?.value;
  try {
    const { identity, returnTo } = await finishSignIn(
      db,
      config,
      provider,
      origin,
      new URL(request.url).searchParams,
      browserToken,
    );
    const decision = decideRole(config, identity);
    if ("refused" in decision) {
      await audit(db, { name: identity.name, subject: identity.subject }, "sign_in.refused", null, {
        provider,
        reason: decision.refused,
      });
      return fail(decision.refused);
    }
    const { token } = await createSession(
      db,
      { ...identity, role: decision.role, provider: identity.provider },
      config.sessionHours,
    );
    await audit(db, { name: identity.name, subject: identity.subject }, "sign_in", null, {
      provider,
      role: decision.role,
    });
    const response = NextResponse.redirect(`${origin}${returnTo}`, 303);
    response.cookies.delete({ name: SIGNIN_COOKIE, path: "/auth/callback" });
    response.cookies.set(
      SESSION_COOKIE,
      token,
      cookieOptions(origin, Math.round(config.sessionHours * 3600)),
    );
    return response;
  } catch (error) {
    if (error instanceof SignInError) return fail(error.message);
    console.error(`[throughline] sign-in failed: ${(error as Error).message}`);
    return fail("The sign-in could not be completed.");
  }
}
