import { z } from "zod";
import { type ParamIssue, parseStrictQuery } from "@/lib/api/query";
import { DATASETS, type Dataset } from "./datasets";
import { FORMATS, type ReportFormat } from "./export";
import { PERIOD_HELP, resolveReportPeriod } from "./period";

/**
 * GET /api/v1/reports parameters. Strict, like GET /api/v1/metrics: an unknown or malformed parameter is a 400 that
 * names it and says what to write instead. An empty `team` (the report form's "whole organisation") is no team.
 */

const required = (what: string) => (iss: { input: unknown }) =>
  iss.input === undefined ? `required: ${what}` : `must be ${what}`;

export const ReportParams = z
  .object({
    team: z
      .string()
      .trim()
      .transform((s) => s || undefined)
      .pipe(
        z
          .string()
          .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a team slug such as payments-core")
          .optional(),
      )
      .optional(),
    period: z
      .string({ error: required(PERIOD_HELP) })
      .trim()
      .min(1, `required: ${PERIOD_HELP}`),
    format: z.enum(FORMATS, { error: "must be pdf, csv or json" }).default("pdf"),
    dataset: z.enum(DATASETS, { error: `must be one of ${DATASETS.join(", ")}` }).optional(),
    paper: z.enum(["a4", "letter"], { error: "must be a4 or letter" }).default("a4"),
  })
  .strict();

export interface ReportRequest {
  team: string | null;
  period: string;
  format: ReportFormat;
  dataset?: Dataset;
  paper: "a4" | "letter";
}

export type ParsedReportParams = { ok: true; params: ReportRequest } | { ok: false; issues: ParamIssue[] };

export function parseReportParams(
  search: URLSearchParams,
  zone: string,
  now = new Date(),
): ParsedReportParams {
  const parsed = parseStrictQuery(search, ReportParams, ["team", "period", "format", "dataset", "paper"]);
  if (!parsed.ok) return parsed;
  const p = parsed.data;
  const issues: ParamIssue[] = [];
  if (!resolveReportPeriod(p.period, zone, now)) {
    issues.push({ parameter: "period", message: `'${p.period}' is not a period: use ${PERIOD_HELP}` });
  }
  if (p.dataset && p.format !== "csv") issues.push({ parameter: "dataset", message: "only with format=csv" });
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    params: { team: p.team ?? null, period: p.period, format: p.format, dataset: p.dataset, paper: p.paper },
  };
}
