import { createHmac } from "node:crypto";
import { secretKey } from "@/lib/delivery/secret-box";

/**
 * Pseudonyms of erased identities (docs/adr/0023-privacy-erasure.md). A value (an e-mail, a login, a name) is
 * normalised (trimmed, NFC, lower-cased: GitHub logins and e-mail addresses compare without case, and every query
 * that compares identities does so on lower()) and hashed with HMAC-SHA256 under a key derived from
 * THROUGHLINE_SECRET_KEY. The same value always gives the same pseudonym, so equal identities stay equal and
 * distinct ones distinct: every count of people, every "is this reviewer on the team" comparison, is unchanged.
 */

const DOMAIN = "throughline/privacy/pseudonym/v1";

/** The HMAC key: a sub-key of the server's secret key, so a pseudonym reveals nothing about the sealing key. */
export function privacyKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const root = secretKey(
    env,
    "to erase people and to recognise erased people in later syncs (npm run privacy)",
  );
  return createHmac("sha256", root).update(DOMAIN).digest();
}

export const normaliseIdentity = (value: string) => value.trim().normalize("NFC").toLowerCase();

export function identityHash(value: string, key: Buffer): string {
  return createHmac("sha256", key).update(normaliseIdentity(value), "utf8").digest("hex");
}

/**
 * `erased-` and 12 hex digits (48 bits: no two of a few million erased values collide in practice). A value ending
 * in `[bot]` keeps that suffix: it is how a bot reviewer is told from a person in the CALMS signals.
 */
export function pseudonymOf(value: string, key: Buffer): string {
  const bot = /\[bot\]$/i.test(value.trim());
  return `erased-${identityHash(value, key).slice(0, 12)}${bot ? "[bot]" : ""}`;
}

/** Names the key without revealing it: stored beside each hash, compared before any write relies on the hashes. */
export const keyCheckOf = (key: Buffer) =>
  createHmac("sha256", key).update("key-check").digest("hex").slice(0, 16);

export class PrivacyKeyChangedError extends Error {
  constructor() {
    super(
      "THROUGHLINE_SECRET_KEY is not the key people were erased with: restore that key (erased people would " +
        "otherwise be written in clear by this sync). See docs/adr/0023-privacy-erasure.md",
    );
    this.name = "PrivacyKeyChangedError";
  }
}

export const isPseudonym = (value: string) => /^erased-[0-9a-f]{12}(\[bot\])?$/.test(value);
