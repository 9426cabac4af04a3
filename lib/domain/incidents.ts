/**
 * What an incident's own words say about its cause. People write "caused by: <sha>" (or "root cause: commit
 * <sha>") in a GitHub issue, a PagerDuty note, an Opsgenie description or a custom field; derive links the incident
 * to the first production deployment that shipped that commit (docs/metrics.md § Linking incidents). One parser for
 * every source, so that the same words link the same way wherever they were written.
 */

const CAUSE = /\b(?:caused by|root cause)\s*:?\s*(?:commit\s+)?([0-9a-f]{7,40})\b/i;
const BARE_SHA = /^\s*([0-9a-f]{7,40})\s*$/i;

/** The commit named as the cause in free text ("caused by: 1a2b3c4"), lower-cased; null when none is named. */
export function causedByShaIn(text: string | null | undefined): string | null {
  return CAUSE.exec(text ?? "")?.[1]?.toLowerCase() ?? null;
}

/**
 * A field meant to hold the cause (a custom field, a custom property): a bare SHA, or text naming one as above.
 * Anything else (a ticket number, "unknown") names no commit.
 */
export function causedByShaField(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return BARE_SHA.exec(value)?.[1]?.toLowerCase() ?? causedByShaIn(value);
}

/** The first of several texts that names a cause (a note written later wins over nothing). */
export function firstCause(texts: readonly (string | null | undefined)[]): string | null {
  for (const t of texts) {
    const sha = causedByShaIn(t);
    if (sha) return sha;
  }
  return null;
}
