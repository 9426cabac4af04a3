import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { repositories } from "@/lib/db/schema";
import { currentQueue, startQueue, stopQueue } from "@/lib/queue";
import { DERIVE_REPOSITORY_QUEUE } from "@/lib/queue/kinds";
import { prepareBenchDatabase } from "./lib/bench-db";
import { main } from "./lib/cli";

/**
 * npm run bench:jobs [-- --server postgres://postgres@127.0.0.1:5432/postgres --jobs 400 --workers 2 --samples 30]
 *
 * The job queue on PostgreSQL with real `npm run worker` processes: enqueue→start latency of single jobs on an idle
 * queue, and jobs/s for a batch. The job is a derive of a repository that needs none (the whole path — send, fetch,
 * heartbeat, handler, complete — with no derive work). Reference timed in the same run: a full scan of the queue's
 * job table. Results go to docs/benchmarks.md by hand, with the machine.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      server: {
        type: "string",
        default: process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
      },
      jobs: { type: "string", default: "400" },
      workers: { type: "string", default: "2" },
      samples: { type: "string", default: "30" },
    },
  });
  const n = Number(values.jobs);
  const dbName = `tl_bench_jobs_${process.pid}`;
  const admin = postgres(values.server as string, { max: 1, onnotice: () => {} });
  await prepareBenchDatabase(admin, dbName, { reuse: false, force: false });
  const url = new URL(values.server as string);
  url.pathname = `/${dbName}`;
  const handle = await openPostgres(url.toString(), { max: 4 });
  const children: ChildProcess[] = [];
  try {
    await handle.migrate();
    const db = handle.db;
    const ids = (
      await db
        .insert(repositories)
        .values(Array.from({ length: n }, (_, i) => ({ fullName: `bench/r${i}`, source: "api" as const })))
        .returning({ id: repositories.id })
    ).map((r) => r.id);
    await db.update(repositories).set({ needsDerive: false });
    // The enqueuing side is a web server's: it only sends.
    await startQueue(handle, { work: false, url: url.toString() });
    const q = await currentQueue();
    if (!q) throw new Error("no queue");

    for (let w = 0; w < Number(values.workers); w++) {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: { ...process.env, DATABASE_URL: url.toString() },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      await new Promise<void>((resolve) =>
        child.stdout?.on("data", (d: Buffer) => d.toString().includes("runs jobs from") && resolve()),
      );
    }
    const jobState = async (id: string) =>
      (
        await queryRows<{ state: string; ms: number | null }>(
          db,
          sql`select state::text as state,
                     (extract(epoch from started_on - created_on) * 1000)::float8 as ms
              from pgboss.job where id = ${id}::uuid`,
        )
      )[0];
    const waitDone = async (check: () => Promise<boolean>) => {
      while (!(await check())) await new Promise((r) => setTimeout(r, 5));
    };

    // Latency: one job at a time on an idle queue (the workers poll every second when idle).
    const latencies: number[] = [];
    for (let i = 0; i < Number(values.samples); i++) {
      const id = (await q.enqueue(DERIVE_REPOSITORY_QUEUE, { repositoryId: ids[i % n] })) as string;
      await waitDone(async () => (await jobState(id))?.state === "completed");
      latencies.push((await jobState(id))?.ms ?? Number.NaN);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 1_000));
    }

    // Throughput: a batch of n jobs, one per repository, all enqueued at once.
    const t0 = performance.now();
    for (const id of ids) await q.enqueue(DERIVE_REPOSITORY_QUEUE, { repositoryId: id });
    const enqueueMs = performance.now() - t0;
    await waitDone(async () => {
      const [left] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from pgboss.job where name = ${DERIVE_REPOSITORY_QUEUE} and state < 'completed'`,
      );
      return left?.n === 0;
    });
    const batchMs = performance.now() - t0;

    const scans: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await db.execute(sql`select count(*) from pgboss.job where output is not null`);
      scans.push(performance.now() - s);
    }
    const [rows] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pgboss.job`);
    const [version] = await queryRows<{ v: string }>(db, sql`select current_setting('server_version') as v`);
    const scan = median(scans);
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
    console.log(
      `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
        `load ${os.loadavg()[0]?.toFixed(1)}, Node ${process.version}, PostgreSQL ${version?.v}, pg-boss 10.4.2\n`,
    );
    console.log("| figure | value | × full scan of pgboss.job |\n|---|---|---|");
    console.log(`| reference: full scan of pgboss.job (${rows?.n} rows), median of 5 | ${ms(scan)} | 1 |`);
    for (const [label, v] of [
      [`enqueue→start, idle queue, p50 (${latencies.length} jobs)`, pct(0.5)],
      ["enqueue→start, idle queue, p95", pct(0.95)],
      [`enqueue ${n} jobs (one send each)`, enqueueMs],
      [`${n} jobs enqueued→all done, ${values.workers} workers`, batchMs],
    ] as const) {
      console.log(`| ${label} | ${ms(v)} | ${(v / scan).toFixed(1)} |`);
    }
    console.log(`| jobs/s (batch, ${values.workers} workers) | ${((n / batchMs) * 1000).toFixed(0)} | – |`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode === null ? c.once("exit", r) : r(0)))),
    );
    await stopQueue();
    await handle.close();
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`);
