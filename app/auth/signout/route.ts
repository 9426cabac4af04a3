import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { publicOrigin } from "@/lib/auth/current";
import { endSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** POST /auth/signout (a form in the header): ends the session here and forgets the cookie. */
export async function POST(): Promise<Response> {
  const origin = await publicOrigin();
  await endSession(await getDb(), (await cookies()).get(SESSION_COOKIE)?.value);
  const response = NextResponse.redirect(`${origin}/signin?signedOut=1`, 303);
  response.cookies.delete(SESSION_COOKIE);
  return response;
}
