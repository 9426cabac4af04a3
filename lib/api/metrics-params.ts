import { z } from "zod";
import {
  addDays,
  DEFAULT_PERIOD_DAYS,
  daysBetween,
  isLocalDate,
  localDate,
  MAX_PERIOD_DAYS,
  type Period,
  period,
} from "@/lib/metrics/period";
import { inSaneRange, YEAR_MESSAGE } from "@/lib/validation/input";
import { type ParamIssue, parseStrictQuery } from "./query";

/** GET /api/v1/metrics parameters. Strict: an unknown or malformed parameter is a 400 that says what to fix. */

const outOfRange = (d: string) => /^\d{4}-/.test(d) && !inSaneRange(d);
const date = z
  .string()
  .trim()
  .refine((d) => !outOfRange(d), YEAR_MESSAGE)
  .refine((d) => outOfRange(d) || isLocalDate(d), "must be a calendar date written YYYY-MM-DD");

export const MetricsParams = z
  .object({
    team: z
      .string()
      .trim()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a team slug such as payments-core")
      .optional(),
    repo: z
      .string()
      .trim()
      .regex(/^[^/\s]+\/[^/\s]+$/, "must be owner/name")
      .optional(),
    service: z.string().trim().min(1).max(100).optional(),
    environment: z.string().trim().min(1).max(100).optional(),
    from: date.optional(),
    to: date.optional(),
    granularity: z.enum(["day", "week", "month"], { error: "must be day, week or month" }).optional(),
  })
  .strict();

export type MetricsParams = z.infer<typeof MetricsParams>;

export type { ParamIssue } from "./query";
export { issuesMessage } from "./query";

export type ParsedParams =
  | { ok: true; params: MetricsParams; period: Period }
  | { ok: false; issues: ParamIssue[] };

/** Parses a query string; `zone` is the org's, for the default period (the last 90 days, today included). */
export function parseMetricsParams(
  search: URLSearchParams,
  zone: string,
  now: Date = new Date(),
): ParsedParams {
  const parsed = parseStrictQuery(search, MetricsParams, Object.keys(MetricsParams.shape));
  if (!parsed.ok) return parsed;
  const p = parsed.data;
  const to = p.to ?? localDate(zone, now);
  const from = p.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  if (from > to)
    return { ok: false, issues: [{ parameter: "from", message: `must not be after to (${to})` }] };
  if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) {
    return {
      ok: false,
      issues: [{ parameter: "from", message: `the period may span at most ${MAX_PERIOD_DAYS} days` }],
    };
  }
  return { ok: true, params: p, period: period(from, to) };
}
