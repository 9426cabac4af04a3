import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { sessions } from "@/lib/db/schema";
import type { Role } from "./roles";

/**
 * Server-side sessions. The cookie carries 32 random bytes; the database keeps their SHA-256 only, so a copy of
 * the database signs no one in. A session ends at its expiry (THROUGHLINE_SESSION_HOURS after sign-in) or at
 * sign-out, and can be ended from the database. Roles are decided at sign-in; a changed admin list applies at the
 * next sign-in.
 */

export const SESSION_COOKIE = "tl_session";

export interface SessionUser {
  subject: string;
  provider: "oidc" | "github" | "password" | "local";
  name: string;
  email: string | null;
  role: Role;
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(
  db: Db,
  user: Omit<SessionUser, "provider"> & { provider: "oidc" | "github" | "password" },
  hours: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    subject: user.subject,
    provider: user.provider,
    name: user.name,
    email: user.email,
    role: user.role,
    expiresAt,
  });
  // Expired sessions and sign-ins in progress are cleared now and then, on the way.
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  return { token, expiresAt };
}

/** The session behind a cookie value, if it exists and has not expired. */
export async function findSession(db: Db, token: string | undefined | null): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())));
  if (!row) return null;
  return { subject: row.subject, provider: row.provider, name: row.name, email: row.email, role: row.role };
}

export async function endSession(db: Db, token: string | undefined | null): Promise<void> {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
