import os from "node:os";
import { parseArgs } from "node:util";
import { Webhooks } from "@octokit/webhooks";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createApiToken } from "@/lib/auth/api-tokens";
import { type DbHandle, openPglite, openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { receiveGitHubWebhook } from "@/lib/ingest/webhooks/github/receive";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { postDeployment } from "@/lib/push/routes";
import { main } from "./lib/cli";

/**
 * npm run bench:push [-- --server postgres://postgres@127.0.0.1:5432/postgres --requests 2000 --concurrency 16]
 *
 * Throughput and latency of the push API and the GitHub webhook endpoint, in process (the route functions the
 * Next.js handlers call, with real Request objects; HTTP parsing is Next's and not measured), on a scratch
 * PostgreSQL database and on PGlite. Results go to docs/benchmarks.md by hand, with the machine.
 */
const SECRET = "bench-webhook-secret-0123456789";

main(async () => {
  const { values } = parseArgs({
    options: {
      server: {
        type: "string",
        default: process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
      },
      requests: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "16" },
    },
  });
  const n = Number(values.requests);
  const concurrency = Number(values.concurrency);
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(`${n} requests each; concurrent runs use ${concurrency} requests in flight\n`);
  console.log("| database | endpoint | mode | requests/s | p50 ms | p95 ms |\n|---|---|---|---|---|---|");

  const dbName = `tl_bench_push_${process.pid}`;
  const admin = postgres(values.server as string, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  try {
    const url = new URL(values.server as string);
    url.pathname = `/${dbName}`;
    await run("PostgreSQL 15", await openPostgres(url.toString(), { max: concurrency }), n, concurrency);
    await run("PGlite", await openPglite(null), n, concurrency);
  } finally {
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
});

async function run(label: string, handle: DbHandle, n: number, concurrency: number) {
  const db = handle.db;
  await handle.migrate();
  await db.execute(sql`insert into org_settings (id) values (1) on conflict do nothing`);
  const { token } = await createApiToken(db, { name: "bench" }, "bench");
  const sha = (i: number) => i.toString(16).padStart(40, "0");

  const deployment = (i: number, key: boolean) =>
    postDeployment(
      db,
      new Request("http://localhost/api/v1/deployments", {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(key ? { "idempotency-key": `bench-${i}` } : {}),
        },
        body: JSON.stringify({
          id: `bench-${i}`,
          repository: `acme/service-${i % 20}`,
          environment: "production",
          sha: sha(i),
          finishedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
        }),
      }),
    );
  const webhooks = new Webhooks({ secret: SECRET });
  const delivery = async (i: number) => {
    const body = JSON.stringify({
      action: "created",
      repository: { full_name: `acme/hooked-${i % 20}`, default_branch: "main" },
      deployment: {
        id: i,
        sha: sha(i),
        ref: "main",
        environment: "production",
        created_at: "2026-01-01T00:00:00Z",
      },
      deployment_status: {
        state: "success",
        created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      },
    });
    return receiveGitHubWebhook(
      db,
      new Request("http://localhost/api/webhooks/github", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "deployment_status",
          "x-github-delivery": `bench-${i}`,
          "x-hub-signature-256": await webhooks.sign(body),
        },
        body,
      }),
      { secret: SECRET, config: null },
    );
  };

  const measure = async (
    what: string,
    mode: string,
    call: (i: number) => Promise<Response>,
    offset: number,
    inFlight: number,
  ) => {
    const times: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < n) {
          const i = offset + next++;
          const t = performance.now();
          const res = await call(i);
          if (res.status >= 300) throw new Error(`${what} ${i}: ${res.status} ${await res.text()}`);
          times.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    const pct = (p: number) =>
      (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(1);
    console.log(`| ${label} | ${what} | ${mode} | ${Math.round(n / seconds)} | ${pct(0.5)} | ${pct(0.95)} |`);
  };

  await measure("POST /api/v1/deployments", "sequential", (i) => deployment(i, true), 0, 1);
  await measure(
    "POST /api/v1/deployments",
    `${concurrency} concurrent`,
    (i) => deployment(i, true),
    n,
    concurrency,
  );
  await measure("POST /api/v1/deployments", "idempotent replay", (i) => deployment(i, true), 0, 1);
  await measure("POST /api/webhooks/github", "sequential", delivery, 0, 1);
  await measure("POST /api/webhooks/github", `${concurrency} concurrent`, delivery, n, concurrency);
  await measure("POST /api/webhooks/github", "redelivery", delivery, 0, 1);
  await settleDerive(db);
  const [rows] = await queryRows<Record<string, number>>(
    db,
    sql`select (select count(*)::int from deployments) deployments, (select count(*)::int from webhook_deliveries) deliveries`,
  );
  if (rows?.deployments !== 4 * n || rows?.deliveries !== 2 * n)
    throw new Error(`unexpected rows: ${JSON.stringify(rows)}`);
  await handle.close();
}
