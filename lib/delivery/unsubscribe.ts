import { createHmac } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { reportUnsubscribes } from "@/lib/db/schema";
import { secretsEqual } from "@/lib/ingest/source/secrets";
import { secretKey } from "./secret-box";

/**
 * One-click unsubscribe from report e-mails (RFC 8058; ADR 0024). Each mail carries a link whose token is the
 * address and an HMAC-SHA256 of it under a key derived from THROUGHLINE_SECRET_KEY (no sign-in: the token is the
 * proof that this mailbox received the mail; it cannot be made for another address). GET shows a confirmation and
 * only POST unsubscribes, so that link scanners that fetch every URL in a mail unsubscribe nobody.
 */

const PURPOSE = "throughline report unsubscribe v1";

function macOf(email: string, key: Buffer): string {
  const derived = createHmac("sha256", key).update(PURPOSE).digest();
  return createHmac("sha256", derived).update(email.toLowerCase(), "utf8").digest("base64url");
}

export function unsubscribeToken(email: string, key: Buffer = secretKey()): string {
  return `${Buffer.from(email.toLowerCase(), "utf8").toString("base64url")}.${macOf(email, key)}`;
}

/** The address a token was made for, or null for anything forged, cut or made with another key. */
export function verifyUnsubscribeToken(token: string, key: Buffer = secretKey()): string | null {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const email = Buffer.from(m[1] as string, "base64url").toString("utf8");
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email !== email.toLowerCase()) return null;
  return secretsEqual(m[2] as string, macOf(email, key)) ? email : null;
}

export const unsubscribePath = (email: string, key?: Buffer) =>
  `/unsubscribe/${unsubscribeToken(email, key)}`;

export async function unsubscribe(db: Db, email: string): Promise<void> {
  await db.insert(reportUnsubscribes).values({ email: email.toLowerCase() }).onConflictDoNothing();
}

/** An admin adds the address back (Settings → Reports): its schedules send to it again. */
export async function resubscribe(db: Db, email: string): Promise<boolean> {
  const rows = await db
    .delete(reportUnsubscribes)
    .where(eq(reportUnsubscribes.email, email.toLowerCase()))
    .returning({ email: reportUnsubscribes.email });
  return rows.length > 0;
}

export async function listUnsubscribed(db: Db): Promise<{ email: string; createdAt: Date }[]> {
  return db.select().from(reportUnsubscribes).orderBy(desc(reportUnsubscribes.createdAt));
}

/** Which of these addresses asked for no more report e-mails. */
export async function unsubscribedAmong(db: Db, emails: readonly string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db
    .select({ email: reportUnsubscribes.email })
    .from(reportUnsubscribes)
    .where(
      inArray(
        reportUnsubscribes.email,
        emails.map((e) => e.toLowerCase()),
      ),
    );
  return new Set(rows.map((r) => r.email));
}
