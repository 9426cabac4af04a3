/**
 * The one place that decides what text, numbers and dates may enter Throughline (ADR 0015). PostgreSQL refuses
 * NUL (0x00) in text and a lone UTF-16 surrogate cannot be encoded as UTF-8, so either would reach the database
 * as a 500; integers beyond the column type and dates in year 1 or 9999 likewise. Every boundary (push bodies,
 * webhooks, query strings, path segments, server-action forms) asks these functions and answers 400/422 naming
 * the field, before anything is written.
 */

/** Integer columns are PostgreSQL `integer`: ids and page numbers beyond this can name nothing. */
export const MAX_INT = 2_147_483_647;

/** The dates a metric can mean: from the Unix epoch to 2100. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;
export const YEAR_MESSAGE = `must be a date between ${MIN_YEAR} and ${MAX_YEAR}`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text may not be stored, or null when it may. */
export function textProblem(text: string): string | null {
  if (text.includes("\u0000")) return "must not contain the NUL character (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "must not contain a lone UTF-16 surrogate (invalid Unicode)";
  return null;
}

/** The first string in a parsed JSON value (keys included) that may not be stored, with its path. */
export function findBadText(value: unknown, path = ""): { path: string; message: string } | null {
  if (typeof value === "string") {
    const message = textProblem(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findBadText(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: at, message: `field name ${keyProblem}` };
      const found = findBadText(item, at);
      if (found) return found;
    }
  }
  return null;
}

/** A positive integer id from text (a path segment, a query parameter, a form field); null when it is none. */
export function parseId(text: string | null | undefined): number | null {
  if (typeof text !== "string" || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_INT ? n : null;
}

/** A dynamic path segment as the route handler received it, decoded; null when it does not decode or may not be stored. */
export function decodeSegment(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return textProblem(decoded) ? null : decoded;
}

/** Is this instant (a Date or a YYYY-MM-DD… string) within the years a metric can mean? */
export function inSaneRange(value: Date | string): boolean {
  const year = typeof value === "string" ? Number(value.slice(0, 4)) : value.getUTCFullYear();
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
}

/**
 * What is wrong with a request URL, or null: a %-escape that does not decode (Next would answer 500 decoding a
 * dynamic segment), or a path segment or query parameter with NUL or a lone surrogate.
 */
export function urlProblem(pathname: string, search: string): string | null {
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return `the path segment "${segment.slice(0, 60)}" is not valid percent-encoded UTF-8`;
    }
    const problem = textProblem(decoded);
    if (problem) return `a path segment ${problem}`;
  }
  const query = search.startsWith("?") ? search.slice(1) : search;
  for (const pair of query.split("&")) {
    if (!pair) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pair.replaceAll("+", " "));
    } catch {
      return `the query parameter "${pair.slice(0, 60)}" is not valid percent-encoded UTF-8`;
    }
    const problem = textProblem(decoded);
    if (problem) return `the query parameter "${decoded.split("=")[0]?.slice(0, 60)}" ${problem}`;
  }
  return null;
}

/** Every field of a submitted form, checked; a server action answers the message instead of failing with 500. */
export function formProblem(form: FormData): string | null {
  for (const [name, value] of form.entries()) {
    let problem = textProblem(name) ?? (typeof value === "string" ? textProblem(value) : null);
    // Id fields (`id`, `serviceId`, `teamIds`…) are integer columns: a number beyond them names nothing.
    if (!problem && /(^id|Ids?)$/.test(name) && typeof value === "string" && /^\d+$/.test(value))
      problem = parseId(value) === null ? `must be an id between 1 and ${MAX_INT}` : null;
    if (problem) return `The field ${JSON.stringify(name.slice(0, 60))} ${problem}.`;
  }
  return null;
}

/** Only web links: `javascript:` or `data:` URLs would run in whoever clicks them. */
export function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
