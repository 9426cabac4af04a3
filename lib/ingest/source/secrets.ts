import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Secrets of the sources (tokens, webhook secrets): compared in constant time, never echoed. Messages built from a
 * source's answers pass through a redactor that knows the secrets in use.
 */

/** Replaces each secret (and any credentials in a URL) with `***`. Secrets shorter than 4 characters are ignored. */
export function redactor(secrets: readonly (string | null | undefined)[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 4))];
  // Longest first, so that a secret containing another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text.replace(/(https?:\/\/)[^/@\s]+@/gi, "$1***@");
    for (const v of values) out = out.split(v).join("***");
    // "Basic <base64>" and "Token token=…" forms of a secret are redacted by their scheme too.
    return out.replace(/\b(Basic|Bearer|GenieKey|token=)\s*[A-Za-z0-9+/=._~-]{8,}/g, "$1 ***");
  };
}

/**
 * Constant-time string equality. Both sides are hashed first so that neither the comparison's duration nor an
 * early length check tells an attacker how much of a guess was right.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** Hex HMAC-SHA256 of the raw body (PagerDuty v3, the Notification plugin's optional signing, our own tests). */
export function hmacSha256Hex(secret: string, body: string | Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * True when any of the signatures (e.g. PagerDuty's `v1=<hex>,v1=<hex>` during a secret rotation) is the HMAC of
 * the body under the secret. Each candidate is compared in constant time.
 */
export function anySignatureMatches(
  secret: string,
  body: string | Buffer,
  signatures: readonly string[],
): boolean {
  const expected = hmacSha256Hex(secret, body);
  let ok = false;
  for (const s of signatures) ok = secretsEqual(s.toLowerCase(), expected) || ok;
  return ok;
}

/**
 * A shared secret sent by a sender that cannot sign (Jenkins' Notification plugin, Opsgenie's webhook integration):
 * the `X-Throughline-Token` header, or HTTP Basic auth's password with any user name (a URL's user-info, which
 * senders turn into Basic auth; tried as written and percent-decoded). Empty when the request carries none.
 */
export function presentedSecrets(request: Request): string[] {
  const header = request.headers.get("x-throughline-token");
  if (header) return [header];
  const auth = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!auth) return [];
  const decoded = Buffer.from(auth[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return [];
  const password = decoded.slice(colon + 1);
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}
