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

/** GET /api/v1/metrics parameters. Strict: an unknown or malformed parameter is a 400 that says what to fix. */

const date = z.string().trim().refine(isLocalDate, "must be a calendar date written YYYY-MM-DD");

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

export interface ParamIssue {
  parameter: string;
  message: string;
}

export type ParsedParams =
  | { ok: true; params: MetricsParams; period: Period }
  | { ok: false; issues: ParamIssue[] };

/** Parses a query string; `zone` is the org's, for the default period (the last 90 days, today included). */
export function parseMetricsParams(
  search: URLSearchParams,
  zone: string,
  now: Date = new Date(),
): ParsedParams {
  const raw: Record<string, string> = {};
  const issues: ParamIssue[] = [];
  for (const [key, value] of search) {
    if (key in raw) issues.push({ parameter: key, message: "given more than once" });
    raw[key] = value;
  }
  const parsed = MetricsParams.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === "unrecognized_keys") {
        for (const key of i.keys) {
          issues.push({
            parameter: key,
            message: "unknown parameter (expected team, repo, service, environment, from, to, granularity)",
          });
        }
      } else {
        issues.push({ parameter: String(i.path[0] ?? ""), message: i.message });
      }
    }
  }
  if (issues.length || !parsed.success) return { ok: false, issues };
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

export function issuesMessage(issues: ParamIssue[]): string {
  return issues.map((i) => `${i.parameter}: ${i.message}`).join("; ");
}
