import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { embeddedDataDir, readEnv } from "@/lib/env";

/**
 * Secrets Throughline must use again later (a chat webhook URL is a bearer credential: anyone holding it can post),
 * sealed with AES-256-GCM. The key is THROUGHLINE_SECRET_KEY (any string of at least 32 characters, hashed to 256
 * bits; every server and worker of one database needs the same), or, on the embedded database only, a random key
 * kept in the data directory beside it. Sealed values are `v1:<iv>:<tag>:<ciphertext>` in base64url.
 */

export class SecretKeyMissingError extends Error {
  constructor(purpose = "to store chat webhook URLs in the database") {
    super(
      "THROUGHLINE_SECRET_KEY is not set: set it (at least 32 random characters, the same on every server and " +
        `worker) ${purpose}`,
    );
    this.name = "SecretKeyMissingError";
  }
}

/** `purpose` completes the missing-key message: what the caller needs the key for. */
export function secretKey(env: NodeJS.ProcessEnv = process.env, purpose?: string): Buffer {
  const given = env.THROUGHLINE_SECRET_KEY?.trim();
  if (given) {
    if (given.length < 32) throw new Error("THROUGHLINE_SECRET_KEY: use at least 32 characters");
    return createHash("sha256").update(given, "utf8").digest();
  }
  const parsed = readEnv(env);
  if (parsed.DATABASE_URL) throw new SecretKeyMissingError(purpose);
  const file = path.join(embeddedDataDir(parsed), "secret.key");
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64url");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  // wx: two processes racing both end with the first one's key.
  try {
    fs.writeFileSync(file, key.toString("base64url"), { mode: 0o600, flag: "wx" });
    return key;
  } catch {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64url");
  }
}

export function seal(plain: string, key: Buffer = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(":");
}

export function open(sealed: string, key: Buffer = secretKey()): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new Error(
      "a stored secret cannot be opened with this THROUGHLINE_SECRET_KEY: was the key changed? Enter the webhook URL again",
    );
  }
}
