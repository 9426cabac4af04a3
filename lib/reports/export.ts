import type { Db } from "@/lib/db";
import { buildReport, type ReportInput } from "./build";
import { DATASETS, type Dataset, datasetChunks } from "./datasets";
import { toReportJson } from "./json";
import type { Paper } from "./pdf/theme";
import type { Report } from "./types";
import { zipStream } from "./zip";

/**
 * A report as downloadable files, for the API route and the CLI job alike. CSV is several datasets: one of them on
 * request, else all of them in one ZIP (one click), or as separate files (the CLI writing into a directory).
 * Files stream (streamReport): a CSV's rows are read in keyset batches and written as they come, so an export of
 * any size holds one batch in memory (issue 11). exportReport collects them, for tests and small callers.
 */

export const FORMATS = ["pdf", "csv", "json"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface ReportFile {
  name: string;
  contentType: string;
  body: Uint8Array;
}

/** A file whose body is produced as it is read; `chunks` may be called once. */
export interface ReportStreamFile {
  name: string;
  contentType: string;
  chunks(): AsyncIterable<Uint8Array>;
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

/** The datasets a report offers: CALMS only when the report has a CALMS section. */
export function datasetsOf(r: Report): Dataset[] {
  return DATASETS.filter((d) => d !== "calms" || r.calms !== undefined);
}

async function* encoded(texts: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const text of texts) yield encoder.encode(text);
}

async function* once(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}

/**
 * The report's files for one format. `built` is the report when the caller already has it (a delivery attaching the
 * PDF and the CSVs, a benchmark): it must have been built from the same input; the org queries then run once.
 */
export async function streamReport(
  db: Db,
  input: ExportInput,
  built?: Report,
): Promise<{ report: Report; files: ReportStreamFile[] }> {
  // A CSV export alone builds the report without "Where to focus", which no dataset shows.
  const report = built ?? (await buildReport(db, { ...input, focus: input.format !== "csv" }));
  const base = baseName(report);
  if (input.format === "pdf") {
    // Imported on demand: the PDF renderer is only loaded by the requests that need it.
    const { renderReportPdf } = await import("./pdf/render");
    const body = await renderReportPdf(report, input.paper);
    return {
      report,
      files: [{ name: `${base}.pdf`, contentType: "application/pdf", chunks: () => once(body) }],
    };
  }
  if (input.format === "json") {
    // The report's JSON is its figures (a few hundred kB for an org year), not rows: one chunk.
    const body = new TextEncoder().encode(`${JSON.stringify(toReportJson(report), null, 2)}\n`);
    const contentType = "application/json; charset=utf-8";
    return { report, files: [{ name: `${base}.json`, contentType, chunks: () => once(body) }] };
  }
  const csv = (d: Dataset): ReportStreamFile => ({
    name: `${base}-${d}.csv`,
    contentType: CSV,
    chunks: () => encoded(datasetChunks(db, report, d)),
  });
  if (input.dataset) return { report, files: [csv(input.dataset)] };
  const files = datasetsOf(report).map(csv);
  if (input.separate) return { report, files };
  const at = new Date(report.generatedAt);
  const archive: ReportStreamFile = {
    name: `${base}-csv.zip`,
    contentType: "application/zip",
    chunks: () => zipStream(files, at),
  };
  return { report, files: [archive] };
}

/** The files in memory: for tests and callers that want bytes. */
export async function exportReport(
  db: Db,
  input: ExportInput,
  built?: Report,
): Promise<{ report: Report; files: ReportFile[] }> {
  const { report, files } = await streamReport(db, input, built);
  const out: ReportFile[] = [];
  for (const f of files) {
    const parts: Uint8Array[] = [];
    for await (const chunk of f.chunks()) parts.push(chunk);
    out.push({ name: f.name, contentType: f.contentType, body: Buffer.concat(parts) });
  }
  return { report, files: out };
}
