import { createHash, randomBytes } from "node:crypto";

/**
 * Team links carry a random token (32 bytes, base64url: 43 characters, 256 bits); the database keeps only its
 * SHA-256, like the push API's tokens. A leaked database or backup therefore holds no working link, and the raw
 * token exists only in the admin's copy of the link (docs/adr/0007-calms-survey.md).
 */

export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A token as it can appear in a URL; anything else is refused before touching the database. */
export function isLinkToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export const surveyPath = (token: string) => `/survey/${token}`;
