import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { runJob } from "@/lib/jobs/run";
import { DATASETS, type Dataset } from "@/lib/reports/datasets";
import { FORMATS, type ReportFormat } from "@/lib/reports/export";
import { PERIOD_HELP, resolveReportPeriod } from "@/lib/reports/period";
import { main } from "./lib/cli";

/**
 * npm run report -- [--team slug] --period 2026-Q3 [--format pdf|csv|json] [--dataset name] [--paper a4|letter]
 *                   [--out file | dir/ | -]
 *
 * Writes a report for the org (or a team) for scheduled jobs. The report is built where the database is: here, or in
 * the running server when it holds the embedded database. Progress goes to stderr, so `--out -` can pipe the file.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      team: { type: "string" },
      period: { type: "string" },
      format: { type: "string", default: "pdf" },
      dataset: { type: "string" },
      paper: { type: "string", default: "a4" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(`Usage: npm run report -- [--team SLUG] --period PERIOD [--format pdf|csv|json] [--out FILE|DIR/|-]
  --team SLUG        a team (default: the whole organisation)
  --period PERIOD    ${PERIOD_HELP}
  --format FORMAT    pdf (default), csv or json
  --dataset NAME     csv only, one dataset: ${DATASETS.join(", ")} (default: all of them, in one ZIP)
  --paper SIZE       pdf only: a4 (default) or letter
  --out PATH         the file to write (default: ./throughline-<team|org>-<period>.<ext>); a directory (existing,
                     or ending in /) receives the file, or with --format csv every dataset as its own CSV; - is stdout`);
    return;
  }
  if (!values.period) throw new Error(`--period is required: ${PERIOD_HELP}`);
  // The syntax only (the org's time zone, which decides "last-month", is known where the report is built).
  if (!resolveReportPeriod(values.period, "UTC")) {
    throw new Error(`--period '${values.period}' is not a period: use ${PERIOD_HELP}`);
  }
  const format = values.format as ReportFormat;
  if (!FORMATS.includes(format)) throw new Error(`--format must be ${FORMATS.join(", ")}`);
  if (values.dataset && (format !== "csv" || !DATASETS.includes(values.dataset as Dataset))) {
    throw new Error(`--dataset needs --format csv and one of ${DATASETS.join(", ")}`);
  }
  if (values.paper !== "a4" && values.paper !== "letter") throw new Error("--paper must be a4 or letter");

  const out = values.out;
  const toDir = out !== undefined && out !== "-" && (/[/\\]$/.test(out) || isDirectory(out));
  const result = (await runJob(
    "report",
    {
      team: values.team,
      period: values.period,
      format,
      dataset: values.dataset,
      paper: values.paper,
      separate: toDir && format === "csv" && !values.dataset,
    },
    (line) => console.error(line),
  )) as { files: { name: string; base64: string }[] };

  for (const file of result.files) {
    const body = Buffer.from(file.base64, "base64");
    if (out === "-") {
      process.stdout.write(body);
      continue;
    }
    let target = toDir ? path.join(out as string, file.name) : (out ?? file.name);
    // Every dataset comes as one ZIP: a ".csv" name would hide it (spreadsheets then fail to open it).
    if (file.name.endsWith(".zip") && /\.csv$/i.test(target)) {
      target = target.replace(/\.csv$/i, ".zip");
      console.error(
        `Every dataset comes in one ZIP, so it is named ${target}; --dataset NAME writes one CSV, --out DIR/ one CSV per dataset.`,
      );
    }
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    fs.writeFileSync(target, body);
    console.error(`Wrote ${target} (${formatBytes(body.length)})`);
  }
});

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function formatBytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
