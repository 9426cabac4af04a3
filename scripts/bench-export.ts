import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { setDashboardCache } from "@/lib/metrics/cache";
import { buildReport } from "@/lib/reports/build";
import { streamReport } from "@/lib/reports/export";
import { main } from "./lib/cli";

/**
 * npm run bench:export -- --database-url postgres://…/db [--period 2025-11-21..2026-11-20]
 *
 * Times the org's exports on a database already seeded (npm run seed:demo, or bench:metrics's database): every CSV
 * dataset for the period, streamed and counted (rows per second, peak RSS), then the PDF; beside a full scan of
 * deployments timed in the same run. Nothing is written to the database. Results go to docs/benchmarks.md.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string", default: process.env.DATABASE_URL },
      period: { type: "string", default: "2025-11-21..2026-11-20" },
    },
  });
  const url = values["database-url"];
  if (!url) throw new Error("--database-url (or DATABASE_URL) is required: a seeded PostgreSQL database");
  const handle = await openPostgres(url);
  const db = handle.db;
  setDashboardCache(false);
  const scan: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await queryRows(db, sql`select count(*)::int as n, max(length(sha))::int as m from deployments`);
    scan.push(performance.now() - t);
  }
  scan.sort((a, b) => a - b);
  const scanMs = scan[1] ?? 0;

  // Each format as its export runs it: the CSV's report leaves out "Where to focus" (no dataset shows it), the PDF's
  // has it. Rows per second count the streamed rows over the streaming alone, and over build + streaming. Peak RSS
  // is read after the CSV, before the PDF's report is built.
  const t0 = performance.now();
  const csvReport = await buildReport(db, { period: values.period, focus: false });
  const csvBuilt = performance.now() - t0;
  const t1 = performance.now();
  const csv = await streamReport(db, { period: values.period, format: "csv", separate: true }, csvReport);
  let rows = 0;
  let bytes = 0;
  for (const file of csv.files) {
    for await (const chunk of file.chunks()) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
    }
    rows -= 1; // the header line
  }
  const csvMs = performance.now() - t1;
  const rss = process.resourceUsage().maxRSS / 1024;

  const t2 = performance.now();
  const report = await buildReport(db, { period: values.period });
  const built = performance.now() - t2;
  const t3 = performance.now();
  const pdf = await streamReport(db, { period: values.period, format: "pdf" }, report);
  for (const file of pdf.files) for await (const _ of file.chunks());
  const pdfMs = performance.now() - t3;

  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load ${os.loadavg()[0]?.toFixed(1)}, Node ${process.version}`,
  );
  const [counts] = await queryRows<{ d: number; c: number }>(
    db,
    sql`select (select count(*)::int from deployments) as d, (select count(*)::int from deployment_changes) as c`,
  );
  console.log(`database: ${counts?.d} deployments, ${counts?.c} changes; org, period ${values.period}\n`);
  const x = (ms: number) => `${(ms / scanMs).toFixed(1)} ×`;
  console.log("| figure | value | time (ms) | × full scan |\n|---|---|---|---|");
  console.log(`| full scan of deployments (reference, median of 3) | – | ${scanMs.toFixed(0)} | 1 × |`);
  const perSecond = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en-US");
  const line = (figure: string, value: string, ms: number) =>
    console.log(`| ${figure} | ${value} | ${ms.toFixed(0)} | ${x(ms)} |`);
  line("org CSV: report built (no focus areas)", "–", csvBuilt);
  line(
    "org CSV, every dataset, streamed",
    `${rows.toLocaleString("en-US")} rows, ${(bytes / 2 ** 20).toFixed(1)} MB, **${perSecond(csvMs)} rows/s**, peak RSS ${rss.toFixed(0)} MB`,
    csvMs,
  );
  line("org CSV, build + stream", `${perSecond(csvBuilt + csvMs)} rows/s`, csvBuilt + csvMs);
  line("org PDF: report built (with focus areas)", "–", built);
  line("org PDF: rendered", "–", pdfMs);
  line("org PDF, build + render", "–", built + pdfMs);
  await handle.close();
});
