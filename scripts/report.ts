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
  // Files arrive in chunks and are written as they come: a year's CSV never sits whole in memory.
  const open = new Map<string, { target: string; stream: fs.WriteStream; bytes: number }>();
  const write = async (name: string, chunk: Uint8Array) => {
    if (out === "-") return void (await drained(process.stdout, process.stdout.write(chunk)));
    let file = open.get(name);
    if (!file) {
      let target = toDir ? path.join(out as string, name) : (out ?? name);
      // Every dataset comes as one ZIP: a ".csv" name would hide it (spreadsheets then fail to open it).
      if (name.endsWith(".zip") && /\.csv$/i.test(target)) {
        target = target.replace(/\.csv$/i, ".zip");
        console.error(
          `Every dataset comes in one ZIP, so it is named ${target}; --dataset NAME writes one CSV, --out DIR/ one CSV per dataset.`,
        );
      }
      fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
      file = { target, stream: fs.createWriteStream(target), bytes: 0 };
      open.set(name, file);
    }
    file.bytes += chunk.length;
    await drained(file.stream, file.stream.write(chunk));
  };
  await runJob(
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
    write,
  );
  for (const file of open.values()) {
    await new Promise<void>((resolve, reject) =>
      file.stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
    console.error(`Wrote ${file.target} (${formatBytes(file.bytes)})`);
  }
});

/** Waits for a stream to drain when its last write said its buffer is full. */
function drained(stream: NodeJS.WritableStream, ok: boolean): Promise<void> {
  return ok ? Promise.resolve() : new Promise((resolve) => stream.once("drain", () => resolve()));
}

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
