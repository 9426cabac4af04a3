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
  // Node's own CPU time per phase beside the wall time: on a shared, loaded machine the wall time mostly says how
  // long the process waited for a core; the CPU time is what the phase costs (the database's share is not in it).
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  const t0 = performance.now();
  const csvReport = await buildReport(db, { period: values.period, focus: false });
  const csvBuilt = performance.now() - t0;
  const c1 = cpu();
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
  const c2 = cpu();
  const rss = process.resourceUsage().maxRSS / 1024;

  const t2 = performance.now();
  const report = await buildReport(db, { period: values.period });
  const built = performance.now() - t2;
  const c3 = cpu();
  const t3 = performance.now();
  const pdf = await streamReport(db, { period: values.period, format: "pdf" }, report);
  for (const file of pdf.files) for await (const _ of file.chunks());
  const pdfMs = performance.now() - t3;
  const c4 = cpu();
  // Again, in a process that has rendered once (a server's second report: modules loaded, code warm).
  const t4 = performance.now();
  const again = await streamReport(db, { period: values.period, format: "pdf" }, report);
  for (const file of again.files) for await (const _ of file.chunks());
  const warmMs = performance.now() - t4;
  const c5 = cpu();

  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load ${os.loadavg()[0]?.toFixed(1)}, Node ${process.version}`,
  );
  const [counts] = await queryRows<{ d: number; c: number }>(
    db,
    sql`select (select count(*)::int from deployments) as d, (select count(*)::int from deployment_changes) as c`,
  );
  console.log(`database: ${counts?.d} deployments, ${counts?.c} changes; org, period ${values.period}\n`);
  const x = (ms: number) => `${(ms / scanMs).toFixed(1)} ×`;
  console.log("| figure | value | time (ms) | × full scan | Node CPU (ms) |\n|---|---|---|---|---|");
  console.log(`| full scan of deployments (reference, median of 3) | – | ${scanMs.toFixed(0)} | 1 × | – |`);
  const perSecond = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en-US");
  const line = (figure: string, value: string, ms: number, cpuMs: number | null) =>
    console.log(
      `| ${figure} | ${value} | ${ms.toFixed(0)} | ${x(ms)} | ${cpuMs === null ? "–" : cpuMs.toFixed(0)} |`,
    );
  line("org CSV: report built (no focus areas)", "–", csvBuilt, c1 - c0);
  line(
    "org CSV, every dataset, streamed",
    `${rows.toLocaleString("en-US")} rows, ${(bytes / 2 ** 20).toFixed(1)} MB, **${perSecond(csvMs)} rows/s**, peak RSS ${rss.toFixed(0)} MB`,
    csvMs,
    c2 - c1,
  );
  line("org CSV, build + stream", `${perSecond(csvBuilt + csvMs)} rows/s`, csvBuilt + csvMs, c2 - c0);
  line("org PDF: report built (with focus areas)", "–", built, c3 - c2);
  line("org PDF: rendered", "–", pdfMs, c4 - c3);
  line("org PDF, build + render", "–", built + pdfMs, c4 - c2);
  line("org PDF: rendered again in the same process", "–", warmMs, c5 - c4);
  await handle.close();
});
