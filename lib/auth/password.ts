import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { localAdmin } from "@/lib/db/schema";

/**
 * The first-run admin password of a server reachable from a network without single sign-on. Generated on the
 * first start, printed once to the server's output, stored as a scrypt hash (memory-hard: a leaked hash is slow
 * to attack). `npm run auth -- reset-password` prints a new one.
 */

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
const PARAMS = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scryptAsync(password.slice(0, 1024), Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** 20 characters from an alphabet without look-alikes: about 116 bits. */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** Creates the password if there is none; returns it only when it was just created (to print once). */
export async function ensureAdminPassword(db: Db): Promise<string | null> {
  const [row] = await db.select({ id: localAdmin.id }).from(localAdmin).where(eq(localAdmin.id, 1));
  if (row) return null;
  const password = generatePassword();
  const inserted = await db
    .insert(localAdmin)
    .values({ id: 1, passwordHash: await hashPassword(password) })
    .onConflictDoNothing()
    .returning({ id: localAdmin.id });
  return inserted.length ? password : null;
}

export async function resetAdminPassword(db: Db): Promise<string> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db
    .insert(localAdmin)
    .values({ id: 1, passwordHash })
    .onConflictDoUpdate({ target: localAdmin.id, set: { passwordHash, createdAt: new Date() } });
  return password;
}

export async function checkAdminPassword(db: Db, password: string): Promise<boolean> {
  const [row] = await db.select().from(localAdmin).where(eq(localAdmin.id, 1));
  // Hash anyway when there is no row, so that timing does not tell whether a password exists.
  if (!row) {
    await hashPassword(password);
    return false;
  }
  return verifyPassword(password, row.passwordHash);
}
