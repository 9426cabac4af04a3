import { cookies, headers } from "next/headers";
import { forbidden, unauthorized } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/audit";
import { getDb } from "@/lib/db";
import { authenticateApiToken } from "./api-tokens";
import { readAuthConfig } from "./config";
import { hasRole, type Role } from "./roles";
import { findSession, SESSION_COOKIE, type SessionUser } from "./sessions";

/**
 * Who is asking, for pages, server actions and route handlers. Every one of them checks the role on the server
 * (test/integration/access.test.ts walks them all); the proxy's redirect of signed-out browsers is a courtesy,
 * not the check.
 */

/** The person at the keyboard of a server bound to 127.0.0.1 with no sign-in configured (ADR 0010). */
export const LOCAL_ADMIN: SessionUser = {
  subject: "local",
  provider: "local",
  name: "Local admin",
  email: null,
  role: "admin",
};

/** Memoised per request (React cache): the layout, the page and its metadata ask once between them. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  if (readAuthConfig().mode === "local") return LOCAL_ADMIN;
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return findSession(await getDb(), token);
});

/**
 * Pages and server actions: the signed-in user with at least `role`. Signed out (or the session expired): 401,
 * the page offers sign-in. Signed in without the role: 403.
 */
export async function requireRole(role: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) unauthorized();
  if (!hasRole(user.role, role)) forbidden();
  return user;
}

export function actorOf(user: SessionUser): Actor {
  return { name: user.email ? `${user.name} <${user.email}>` : user.name, subject: user.subject };
}

export type ApiAccess =
  | { ok: true; kind: "session"; user: SessionUser; actor: Actor }
  | { ok: true; kind: "token"; tokenId: number; teamSlug: string | null; actor: Actor }
  | { ok: false; response: Response };

const deny = (status: 401 | 403, message: string) =>
  ({
    ok: false,
    response: Response.json(
      { error: status === 401 ? "unauthorized" : "forbidden", message },
      { status, headers: status === 401 ? { "www-authenticate": 'Bearer realm="throughline"' } : {} },
    ),
  }) as const;

/**
 * Read endpoints of /api/v1: a signed-in viewer (the browser) or an API token (scripts). A token reads what a
 * viewer reads. `role: "admin"` accepts an admin session only.
 */
export async function apiAccess(request: Request, role: Role = "viewer"): Promise<ApiAccess> {
  const authorization = request.headers.get("authorization");
  if (authorization && role === "viewer") {
    const auth = await authenticateApiToken(await getDb(), authorization);
    if (!auth.ok) return deny(401, auth.message);
    return {
      ok: true,
      kind: "token",
      tokenId: auth.caller.tokenId,
      teamSlug: auth.caller.teamSlug,
      actor: { name: `token ${auth.caller.name}`, subject: `token:${auth.caller.tokenId}` },
    };
  }
  const user = await currentUser();
  if (!user)
    return deny(
      401,
      "sign in first, or send an API token: Authorization: Bearer tl_… (Settings → API tokens)",
    );
  if (!hasRole(user.role, role))
    return deny(403, `this needs the ${role} role; you are signed in as ${user.role}`);
  return { ok: true, kind: "session", user, actor: actorOf(user) };
}

/**
 * The origin this server is reached at: AUTH_URL, else the request's own Host. X-Forwarded-Host/-Proto are
 * believed only with TRUST_PROXY_HEADERS=1 (a proxy in front that sets them): any client can send them, and they
 * would steer redirects to another site.
 */
export async function publicOrigin(): Promise<string> {
  const configured = readAuthConfig().publicUrl;
  if (configured) return configured;
  const h = await headers();
  const trust = process.env.TRUST_PROXY_HEADERS === "1";
  const host = (trust ? h.get("x-forwarded-host") : null) ?? h.get("host") ?? "localhost:3000";
  const proto = (trust ? h.get("x-forwarded-proto") : null) ?? "http";
  return `${proto.split(",")[0]?.trim() || "http"}://${host}`;
}

/** Server actions that change configuration: the admin, as the audit log names them. */
export async function requireAdmin(): Promise<{ user: SessionUser; actor: Actor }> {
  const user = await requireRole("admin");
  return { user, actor: actorOf(user) };
}
