import type { z } from "zod";
import { findBadText } from "@/lib/validation/input";

/**
 * HTTP plumbing shared by the push API and the webhook endpoint: bounded body reads, JSON errors that say what to
 * fix, and the status codes a CI step can act on. Route handlers stay thin.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorResponse(error: HttpError): Response {
  return Response.json(
    { error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
    { status: error.status, headers: { "cache-control": "no-store", ...error.headers } },
  );
}

/**
 * Beyond this many bytes an over-limit upload is cut off instead of read to its end. Up to it the rest is read and
 * dropped before the 413, because answering and closing while the client still writes makes it see a broken pipe
 * (EPIPE / connection reset) instead of the 413 that names the limit.
 */
const DRAIN_CAP = 64 * 1_048_576;

/** Reads the body as text, refusing more than `maxBytes` (413) without keeping what is over the limit. */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!request.body) {
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    return "";
  }
  const reader = request.body.getReader();
  const tooBig = Number.isFinite(declared) && declared > maxBytes;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (tooBig || size > maxBytes) {
      if (size > DRAIN_CAP) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.length = 0;
      continue;
    }
    chunks.push(value);
  }
  if (tooBig || size > maxBytes) throw tooLarge(maxBytes);
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, "payload_too_large", `the body is larger than the limit of ${sizeLabel(maxBytes)}`);

/** 25 MB, 256 KB: how the limits are written in the README and by the vendors (1 MB = 1,048,576 bytes). */
export function sizeLabel(bytes: number): string {
  return bytes >= 1_048_576 && bytes % 1_048_576 === 0
    ? `${bytes / 1_048_576} MB (${bytes.toLocaleString("en-US")} bytes)`
    : `${Math.round(bytes / 1024)} KB (${bytes.toLocaleString("en-US")} bytes)`;
}

export function requireJson(request: Request): void {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "send JSON with Content-Type: application/json");
  }
}

export function parseJson(text: string): unknown {
  if (text.trim() === "") throw new HttpError(400, "invalid_json", "the body is empty: send a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "invalid_json", `the body is not valid JSON (${(error as Error).message})`);
  }
}

/** NUL or a lone surrogate anywhere in the body (keys too) is a 422 naming where: PostgreSQL cannot store it. */
export function refuseBadText(json: unknown): void {
  const bad = findBadText(json);
  if (bad) {
    const message = bad.path ? `${bad.path}: ${bad.message}` : bad.message;
    throw new HttpError(422, "invalid_body", message, [bad]);
  }
}

/** Validates with zod; a failure is a 422 naming each wrong field (`commits[2].sha: must be a full commit SHA`). */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .flatMap((i) => expandUnion(i))
    .map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }));
  const shown = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join("; ");
  throw new HttpError(
    422,
    "invalid_body",
    `${shown}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ""}`,
    issues,
  );
}

/**
 * "Invalid input" for a union says nothing: report the issues of the branch the value came closest to matching
 * (an object with a missing field rather than "not a string").
 */
function expandUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
  const deepest = [...issue.errors].sort(
    (a, b) => Math.max(...b.map((i) => i.path.length)) - Math.max(...a.map((i) => i.path.length)),
  )[0] as z.core.$ZodIssue[];
  if (!deepest.some((i) => i.path.length > 0)) return [issue];
  return deepest.flatMap((i) => expandUnion({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part),
    "",
  );
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `unknown field(s) ${issue.keys.join(", ")}: check the spelling`;
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required";
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map(String).join(", ")}`;
  return issue.message;
}
