import type { z } from "zod";
import { type ApiCaller, authenticateApiToken } from "@/lib/auth/api-tokens";
import { CorrectionError } from "@/lib/corrections";
import type { Db, Tx } from "@/lib/db";
import { RecordError, UnknownReferenceError } from "@/lib/ingest/store";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { errorResponse, HttpError, parseJson, readBody, refuseBadText, requireJson, validate } from "./http";
import { checkKey, type PushResult, requestHash, runIdempotent } from "./idempotency";

/**
 * One push API request, start to end: authenticate the token, read and validate the body, run the write in one
 * transaction under the Idempotency-Key, answer. Every expected failure is a 4xx that says what to fix; the
 * derived metrics follow a moment later (deriveSoon), so a pipeline step is not held up by a re-derive.
 */

export const MAX_BODY_BYTES = 1_048_576;

export interface PushContext<B> {
  tx: Tx;
  caller: ApiCaller;
  body: B;
}

export async function handlePush<S extends z.ZodType>(
  db: Db,
  request: Request,
  schema: S,
  run: (ctx: PushContext<z.output<S>>) => Promise<PushResult>,
): Promise<Response> {
  try {
    const auth = await authenticateApiToken(db, request.headers.get("authorization"));
    if (!auth.ok) {
      throw new HttpError(401, "unauthorized", auth.message, undefined, {
        "www-authenticate": 'Bearer realm="throughline"',
      });
    }
    requireJson(request);
    const text = await readBody(request, MAX_BODY_BYTES);
    const json = parseJson(text);
    refuseBadText(json);
    const body = validate(schema, json);
    const key = checkKey(request.headers.get("idempotency-key"));
    const path = new URL(request.url).pathname;
    const result = await runIdempotent(
      db,
      auth.caller.tokenId,
      key,
      requestHash(request.method, path, json),
      (tx) => run({ tx, caller: auth.caller, body }).catch(translate),
    );
    deriveSoon(db);
    return Response.json(result.body, {
      status: result.status,
      headers: { "cache-control": "no-store", ...(result.replayed ? { "idempotent-replayed": "true" } : {}) },
    });
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
}

/** A request without a body (GET, DELETE): authenticate, run, answer. */
export async function handleAuthorized(
  db: Db,
  request: Request,
  run: (caller: ApiCaller) => Promise<PushResult>,
): Promise<Response> {
  try {
    const auth = await authenticateApiToken(db, request.headers.get("authorization"));
    if (!auth.ok) {
      throw new HttpError(401, "unauthorized", auth.message, undefined, {
        "www-authenticate": 'Bearer realm="throughline"',
      });
    }
    const result = await run(auth.caller).catch(translate);
    deriveSoon(db);
    return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
}

/** The store's own errors, as answers: an unknown reference is the caller's to fix, not a server error. */
function translate(error: unknown): never {
  if (error instanceof UnknownReferenceError) throw new HttpError(422, "unknown_reference", error.message);
  if (error instanceof CorrectionError) {
    throw new HttpError(
      error.status,
      error.status === 404 ? "not_found" : "invalid_correction",
      error.message,
    );
  }
  if (error instanceof RecordError) {
    throw new HttpError(422, "invalid_body", error.message.replace(/\s*\n\s*/g, " "));
  }
  throw error;
}
