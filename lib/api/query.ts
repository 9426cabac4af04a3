import type { z } from "zod";
import { textProblem } from "@/lib/validation/input";

/** One problem with a query parameter, for a 400 that says what to fix. */
export interface ParamIssue {
  parameter: string;
  message: string;
}

export type StrictQuery<T> = { ok: true; data: T } | { ok: false; issues: ParamIssue[] };

/**
 * A query string through a strict zod object: a repeated parameter, an unknown one (the message lists the known
 * ones) and a malformed one each become an issue naming the parameter. Shared by the read APIs.
 */
export function parseStrictQuery<S extends z.ZodType>(
  search: URLSearchParams,
  schema: S,
  known: readonly string[],
): StrictQuery<z.output<S>> {
  const raw: Record<string, string> = {};
  const issues: ParamIssue[] = [];
  for (const [key, value] of search) {
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) {
      issues.push({ parameter: key.replaceAll("\u0000", "\\u0000"), message: problem });
      continue;
    }
    if (key in raw) issues.push({ parameter: key, message: "given more than once" });
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === "unrecognized_keys") {
        for (const key of i.keys)
          issues.push({ parameter: key, message: `unknown parameter (expected ${known.join(", ")})` });
      } else {
        issues.push({ parameter: String(i.path[0] ?? ""), message: i.message });
      }
    }
  }
  if (issues.length || !parsed.success) return { ok: false, issues };
  return { ok: true, data: parsed.data };
}

export function issuesMessage(issues: ParamIssue[]): string {
  return issues.map((i) => `${i.parameter}: ${i.message}`).join("; ");
}
