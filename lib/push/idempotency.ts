import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "@/lib/db";
import { retryTransaction } from "@/lib/db/retry";
import { idempotencyKeys } from "@/lib/db/schema";
import { HttpError } from "./http";

/**
 * `Idempotency-Key`: a retried pipeline step must not count twice. The first request with a key runs and its
 * answer is stored in the same transaction as its writes; a retry with the same key and the same request gets
 * that answer again (marked `Idempotent-Replayed: true`) without running; the same key with a different request
 * is refused (409). Concurrent requests with one key are serialised by an advisory lock on it. Keys live 24 hours.
 * A transaction PostgreSQL aborts as a deadlock or serialization victim runs again (lib/db/retry.ts).
 */

export interface PushResult {
  status: number;
  body: unknown;
}

const KEY = /^[\x21-\x7e]{1,200}$/;
const TTL_HOURS = 24;

/**
 * The request's identity for a replay: method, path and the parsed body in a canonical form (keys sorted), so a
 * retry that re-formats equal JSON (spacing, key order) is the same request, not a 409.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function checkKey(key: string | null): string | null {
  if (key === null) return null;
  if (!KEY.test(key)) {
    throw new HttpError(
      400,
      "invalid_idempotency_key",
      "Idempotency-Key must be 1–200 visible ASCII characters",
    );
  }
  return key;
}

export async function runIdempotent(
  db: Db,
  tokenId: number,
  key: string | null,
  hash: string,
  run: (tx: Tx) => Promise<PushResult>,
): Promise<PushResult & { replayed: boolean }> {
  return retryTransaction(() => transaction(db, tokenId, key, hash, run));
}

function transaction(
  db: Db,
  tokenId: number,
  key: string | null,
  hash: string,
  run: (tx: Tx) => Promise<PushResult>,
): Promise<PushResult & { replayed: boolean }> {
  return db.transaction(async (tx) => {
    if (key === null) return { ...(await run(tx)), replayed: false };
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${tokenId}:${key}`}, 7))`);
    const [seen] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key)));
    const fresh = seen && seen.createdAt.getTime() > Date.now() - TTL_HOURS * 3_600_000;
    if (seen && fresh) {
      if (seen.requestHash !== hash) {
        throw new HttpError(
          409,
          "idempotency_key_reused",
          "this Idempotency-Key was used for a different request: use a new key for a new request",
        );
      }
      return { status: seen.status, body: seen.response, replayed: true };
    }
    const result = await run(tx);
    await tx
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${TTL_HOURS})`));
    await tx
      .insert(idempotencyKeys)
      .values({ tokenId, key, requestHash: hash, status: result.status, response: result.body as object })
      .onConflictDoUpdate({
        target: [idempotencyKeys.tokenId, idempotencyKeys.key],
        set: {
          requestHash: hash,
          status: result.status,
          response: result.body as object,
          createdAt: new Date(),
        },
      });
    return { ...result, replayed: false };
  });
}
