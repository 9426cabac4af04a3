/**
 * Pagination in the forms our sources use. Each stream picks the one its API speaks; the cursor it stores is
 * whatever resumes it (a next URL, an offset, a build number, a time window).
 */

/** The `rel="next"` URL of an RFC 8288 `Link` header (GitLab offset and keyset pages), or null on the last page. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(m[2] ?? "")) {
      return m[1] ?? null;
    }
  }
  return null;
}

/** A time window `[since, until)` split into slices no longer than `maxDays` (PagerDuty allows 6 months a call). */
export function timeSlices(since: Date, until: Date, maxDays: number): { since: Date; until: Date }[] {
  const out: { since: Date; until: Date }[] = [];
  const step = maxDays * 86_400_000;
  for (let t = since.getTime(); t < until.getTime(); t += step) {
    out.push({ since: new Date(t), until: new Date(Math.min(t + step, until.getTime())) });
  }
  return out;
}
