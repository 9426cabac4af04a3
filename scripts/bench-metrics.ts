import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { seedDemo } from "@/lib/demo/seed";
import { setDashboardCache } from "@/lib/metrics/cache";
import { getDashboard } from "@/lib/metrics/dashboard";
import { getOverview } from "@/lib/metrics/overview";
import { lastDays } from "@/lib/metrics/period";
import { ensureRollups, setRollupReads } from "@/lib/metrics/rollups";
import { listTeams } from "@/lib/teams";
import { prepareBenchDatabase } from "./lib/bench-db";
import { main } from "./lib/cli";

/**
 * npm run bench:metrics -- --server postgres://postgres@127.0.0.1:5432/postgres [--scale 20 --months 24] [--reuse]
 *                            [--database name [--force]]
 *
 * Seeds a scaled demo organisation into its own database (throughline_bench) on a PostgreSQL server, then times the
 * team dashboard (default 90-day and 12-month windows) the way a page computes it: every query, server side; and
 * the org overview and the org's GET /api/v1/metrics for 90 days, 1 year and 5 years, from the rows and from the
 * rollups (lib/metrics/rollups), beside a full scan of deployments timed in the same run. [--org-runs 6]
 * Results go to docs/benchmarks.md by hand, with the machine.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      server: {
        type: "string",
        default: process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
      },
      database: { type: "string", default: "throughline_bench" },
      scale: { type: "string", default: "20" },
      months: { type: "string", default: "24" },
      runs: { type: "string", default: "20" },
      teams: { type: "string", default: "6" },
      "org-runs": { type: "string", default: "6" },
      reuse: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
  const server = values.server as string;
  const dbName = values.database as string;
  if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error("--database must be a plain identifier");
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const fresh = await prepareBenchDatabase(admin, dbName, {
    reuse: values.reuse as boolean,
    force: values.force as boolean,
  }).finally(() => admin.end());
  const url = new URL(server);
  url.pathname = `/${dbName}`;
  const handle = await openPostgres(url.toString());
  const db = handle.db;
  await handle.migrate();

  if (fresh) {
    const t0 = performance.now();
    let last = 0;
    const result = await seedDemo(db, {
      scale: Number(values.scale),
      months: Number(values.months),
      anchor: "2026-11-20",
      log: (line) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          console.log(`  ${line}`);
        }
      },
    });
    console.log(
      `seeded scale ${values.scale} × ${values.months} months in ${((performance.now() - t0) / 1000).toFixed(0)} s:`,
      JSON.stringify(result),
    );
    await db.execute(sql`vacuum analyze`);
  }

  const [counts] = await queryRows<Record<string, number>>(
    db,
    sql`select (select count(*)::int from repositories) as repositories, (select count(*)::int from teams) as teams,
               (select count(*)::int from deployments) as deployments, (select count(*)::int from deployment_changes) as changes,
               (select count(*)::int from commits) as commits, (select count(*)::int from pull_requests) as pull_requests,
               (select count(*)::int from incidents) as incidents`,
  );
  console.log("rows:", JSON.stringify(counts));

  const now = new Date("2026-11-20T18:00:00Z");
  // One team of each profile (the unsuffixed originals: elite payments … low billing-legacy), busiest first, not
  // the first names alphabetically (those are all copies of the quietest team).
  const all = await listTeams(db);
  const teams = all
    .filter((t) => !/-\d+$/.test(t.slug))
    .concat(all.filter((t) => /-\d+$/.test(t.slug)))
    .slice(0, Number(values.teams));
  console.log("teams timed:", teams.map((t) => t.slug).join(", "));
  const runs = Number(values.runs);
  // The reference, timed in this run: one full scan of deployments.
  const scan: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await queryRows(db, sql`select count(*)::int as n, max(length(sha))::int as m from deployments`);
    scan.push(performance.now() - t);
  }
  const scanMs = median(scan);
  console.log(`full scan of deployments: ${fmt(scanMs)} ms (median of 3)`);
  const ratio = (ms: number) => `${(ms / scanMs).toFixed(2)} × scan`;
  // Rollups are off by default (lib/metrics/rollups): switched on here, and built when missing (the backfill a
  // database seeded without them needs), timed once.
  setRollupReads(true);
  const backfill = await ensureRollups(db);
  console.log(
    backfill
      ? `rollups built: ${backfill.rows} rows in ${fmt(backfill.ms)} ms (${ratio(backfill.ms)})`
      : "rollups: up to date",
  );
  // Computed, not cached: what a view costs when the data has just changed.
  setDashboardCache(false);
  const windows = [
    { label: "90 days (default)", period: lastDays(90, "UTC", now) },
    { label: "12 months", period: lastDays(365, "UTC", now) },
  ];
  const results: string[] = [];
  for (const w of windows) {
    for (const rolled of [false, true]) {
      setRollupReads(rolled);
      const cold: number[] = [];
      const warm: number[] = [];
      for (const team of teams) {
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          await getDashboard(db, { slice: { team: team.slug }, period: w.period });
          (i === 0 ? cold : warm).push(performance.now() - t);
        }
      }
      results.push(
        `| team dashboard, ${w.label}, ${rolled ? "rollups" : "rows"} | ${teams.length} teams × ${runs} | ${fmt(median(cold))} | ${fmt(median(warm))} (${ratio(median(warm))}) | ${fmt(p95(warm))} (${ratio(p95(warm))}) |`,
      );
    }
  }
  // Org-wide reads (issue 11 § 2): the org overview and GET /api/v1/metrics for the org (a dashboard of the whole
  // org), from the rows and from the rollups, each beside the full scan above.
  const orgRuns = Number(values["org-runs"]);
  for (const days of [90, 365, 1826]) {
    const period = lastDays(days, "UTC", now);
    const label = days === 90 ? "90 days" : days === 365 ? "1 year" : "5 years";
    for (const rolled of [false, true]) {
      setRollupReads(rolled);
      const source = rolled ? "rollups" : "rows";
      for (const [what, read] of [
        ["org overview (all teams)", () => getOverview(db, { period })],
        ["org API (GET /api/v1/metrics)", () => getDashboard(db, { slice: {}, period })],
      ] as const) {
        const xs: number[] = [];
        for (let i = 0; i < orgRuns; i++) {
          const t = performance.now();
          await read();
          xs.push(performance.now() - t);
        }
        const warm = xs.slice(1);
        results.push(
          `| ${what}, ${label}, ${source} | ${orgRuns} | ${fmt(xs[0] ?? 0)} | ${fmt(median(warm))} (${ratio(median(warm))}) | ${fmt(p95(warm))} (${ratio(p95(warm))}) |`,
        );
      }
    }
  }
  setRollupReads(true);

  // Cached (lib/metrics/cache.ts): repeated views at one data version, and 50 concurrent viewers of a team page.
  setDashboardCache(true);
  const slice = { team: teams[0]?.slug ?? null };
  const period90 = lastDays(90, "UTC", now);
  await getDashboard(db, { slice, period: period90 });
  const hits: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await getDashboard(db, { slice, period: period90 });
    hits.push(performance.now() - t);
  }
  results.push(
    `| team dashboard, 90 days, cached | ${runs} | – | ${fmt(median(hits))} | ${fmt(p95(hits))} |`,
  );
  const viewers: number[] = [];
  let errors = 0;
  const until = performance.now() + 30_000;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await getDashboard(db, { slice, period: period90 }).catch(() => errors++);
        viewers.push(performance.now() - t);
      }
    }),
  );
  const sorted = [...viewers].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
  results.push(
    `| 50 concurrent viewers, 30 s, cached | ${viewers.length} views, ${errors} errors | – | ${fmt(median(viewers))} | p99 ${fmt(p99)} |`,
  );
  results.push(`| full scan of deployments (reference) | 3 | ${fmt(scan[0] ?? 0)} | ${fmt(scanMs)} | – |`);

  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  const [version] = await queryRows<{ v: string }>(db, sql`select current_setting('server_version') as v`);
  console.log(`PostgreSQL ${version?.v}\n`);
  console.log("| query | samples | first (ms) | median (ms) | p95 (ms) |\n|---|---|---|---|---|");
  for (const r of results) console.log(r);

  const team = teams.find((t) => t.slug === "payments") ?? teams[0];
  if (team) {
    console.log(`\nPlan of the lead-time aggregate for ${team.slug}, 12 months:`);
    const { resolveScope } = await import("@/lib/metrics/scope");
    const scope = await resolveScope(db, { team: team.slug });
    const ids = scope.serviceIds?.join(",") ?? "0";
    const envs = scope.environments.map((e) => `'${e.replaceAll("'", "''")}'`).join(",");
    const plan = await queryRows<{ "QUERY PLAN": string }>(
      db,
      sql.raw(`explain (analyze, buffers, costs off) select count(*), percentile_cont(0.5) within group (order by lead_seconds)
        from deployment_changes c where not c.is_bot and not c.is_merge and not c.is_excluded and c.first_in_tier and c.service_id in (${ids})
        and c.environment in (${envs}) and c.deployed_at >= now() - interval '365 days'`),
    );
    for (const line of plan) console.log(`  ${line["QUERY PLAN"]}`);
  }
  await handle.close();
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? 0;
}
const fmt = (ms: number) => ms.toFixed(1);
