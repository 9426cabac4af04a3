import { NextResponse } from "next/server";
import { readAuthConfig } from "@/lib/auth/config";
import { cookieOptions, safeReturnTo } from "@/lib/auth/cookies";
import { publicOrigin } from "@/lib/auth/current";
import { SIGNIN_COOKIE, SignInError, signInFailed, startSignIn } from "@/lib/auth/providers";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /auth/signin/oidc|github?next=/path: off to the identity provider. */
export async function GET(
  request: Request,
  ctx: { params: Promise<{ provider: string }> },
): Promise<Response> {
  const { provider } = await ctx.params;
  const origin = await publicOrigin();
  if (provider !== "oidc" && provider !== "github") return signInFailed(origin, "Unknown sign-in method.");
  const next = safeReturnTo(new URL(request.url).searchParams.get("next"));
  try {
    const { url, browserToken } = await startSignIn(await getDb(), readAuthConfig(), provider, origin, next);
    const response = NextResponse.redirect(url, 303);
    response.cookies.set(SIGNIN_COOKIE, browserToken, cookieOptions(origin, 600, "/auth/callback"));
    return response;
  } catch (error) {
    const message = error instanceof SignInError ? error.message : "Sign-in could not start.";
    if (!(error instanceof SignInError))
      console.error(`[throughline] sign-in start failed: ${(error as Error).message}`);
    return signInFailed(origin, message);
  }
}
