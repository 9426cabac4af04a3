import type { Db } from "@/lib/db";
import { buildReport, type ReportInput } from "./build";
import { DATASETS, type Dataset, datasetCsv } from "./datasets";
import { toReportJson } from "./json";
import type { Paper } from "./pdf/theme";
import type { Report } from "./types";
import { zip } from "./zip";

/**
 * A report as downloadable files, for the API route and the CLI job alike. CSV is several datasets: one of them on
 * request, else all of them in one ZIP (one click), or as separate files (the CLI writing into a directory).
 */

export const FORMATS = ["pdf", "csv", "json"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface ReportFile {
  name: string;
  contentType: string;
  body: Uint8Array;
}

export interface ExportInput extends ReportInput {
  format: ReportFormat;
  /** CSV only: one dataset; omitted, all of them. */
  dataset?: Dataset;
  /** CSV only, all datasets: separate files instead of one ZIP. */
  separate?: boolean;
  paper?: Paper;
}

/** throughline-payments-2026-Q3, throughline-acme-2026-07-01_2026-09-30. */
export function baseName(r: Report): string {
  const who = r.team?.slug ?? (slug(r.org.name) || "org");
  return `throughline-${who}-${r.periods.period.spec.replace("..", "_")}`;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const CSV = "text/csv; charset=utf-8";
const utf8 = (s: string) => new TextEncoder().encode(s);

/** The datasets a report offers: CALMS only when the report has a CALMS section. */
export function datasetsOf(r: Report): Dataset[] {
  return DATASETS.filter((d) => d !== "calms" || r.calms !== undefined);
}

export async function exportReport(
  db: Db,
  input: ExportInput,
): Promise<{ report: Report; files: ReportFile[] }> {
  const report = await buildReport(db, input);
  const base = baseName(report);
  if (input.format === "pdf") {
    // Imported on demand: the PDF renderer is only loaded by the requests that need it.
    const { renderReportPdf } = await import("./pdf/render");
    const body = await renderReportPdf(report, input.paper);
    return { report, files: [{ name: `${base}.pdf`, contentType: "application/pdf", body }] };
  }
  if (input.format === "json") {
    const text = `${JSON.stringify(toReportJson(report), null, 2)}\n`;
    return {
      report,
      files: [{ name: `${base}.json`, contentType: "application/json; charset=utf-8", body: utf8(text) }],
    };
  }
  if (input.dataset) {
    const body = utf8(await datasetCsv(db, report, input.dataset));
    return { report, files: [{ name: `${base}-${input.dataset}.csv`, contentType: CSV, body }] };
  }
  const files: ReportFile[] = [];
  for (const d of datasetsOf(report)) {
    files.push({ name: `${base}-${d}.csv`, contentType: CSV, body: utf8(await datasetCsv(db, report, d)) });
  }
  if (input.separate) return { report, files };
  const archive = zip(
    files.map((f) => ({ name: f.name, data: f.body })),
    new Date(report.generatedAt),
  );
  return { report, files: [{ name: `${base}-csv.zip`, contentType: "application/zip", body: archive }] };
}
