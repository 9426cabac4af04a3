import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type DbHandle, openPglite, openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import type { CommitRecord, DeploymentRecord } from "@/lib/ingest/records";
import { upsertCommits, upsertDeployments, upsertRepositories } from "@/lib/ingest/store";
import { deriveRepository } from "@/lib/metrics/derive";
import { main } from "./lib/cli";

/**
 * npm run bench:derive [-- --server postgres://postgres@127.0.0.1:5432/postgres --commits 60000 --every 10 --runs 7]
 *
 * Time to derive one new deployment on a repository with a long history (ADR 0018): the incremental derive
 * (from the new deployment's time, the commit graph cached in the process) against a whole derive of the same
 * repository, with a full scan of `deployments` timed in the same run as the reference. On a scratch PostgreSQL
 * database, then on PGlite (`--pglite false` skips it). Results go to docs/benchmarks.md by hand, with the machine.
 */

const REPO = "bench/history";
const BASE = Date.UTC(2024, 0, 1);
const sha = (i: number) => `c${i.toString(16).padStart(39, "0")}`;

main(async () => {
  const { values } = parseArgs({
    options: {
      server: {
        type: "string",
        default: process.env.BENCH_SERVER_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
      },
      commits: { type: "string", default: "60000" },
      every: { type: "string", default: "10" },
      runs: { type: "string", default: "7" },
      pglite: { type: "string", default: "true" },
    },
  });
  const size = { commits: Number(values.commits), every: Number(values.every), runs: Number(values.runs) };
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
  console.log(
    `One repository: ${size.commits} commits, a production deployment every ${size.every} commits; medians of ${size.runs} runs\n`,
  );
  console.log("| database | what | median ms | × full scan |\n|---|---|---|---|");
  const dbName = `tl_bench_derive_${process.pid}`;
  const admin = postgres(values.server as string, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  try {
    const url = new URL(values.server as string);
    url.pathname = `/${dbName}`;
    await run("PostgreSQL 15", await openPostgres(url.toString(), { max: 2 }), size);
    if (values.pglite === "true") await run("PGlite", await openPglite(null), size);
  } finally {
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
});

async function run(label: string, handle: DbHandle, size: { commits: number; every: number; runs: number }) {
  const db = handle.db;
  await handle.migrate();
  await db.execute(sql`insert into org_settings (id) values (1) on conflict do nothing`);
  const ids = await upsertRepositories(db, [{ fullName: REPO, source: "api" }]);
  const repositoryId = ids.get(REPO) as number;

  // History: a main line with a merged side commit every 50 commits; the newest commits are not deployed yet.
  const total = size.commits + 4 * size.runs;
  const commit = (i: number): CommitRecord => ({
    sha: sha(i),
    parentShas: i === 0 ? [] : i % 50 === 0 ? [sha(i - 1), `f${sha(i).slice(1)}`] : [sha(i - 1)],
    authoredAt: new Date(BASE + i * 600_000),
    committedAt: new Date(BASE + i * 600_000),
    authorName: "dev",
    authorEmail: "dev@example.com",
    title: `commit ${i}`,
  });
  const side = (i: number): CommitRecord => ({
    ...commit(i),
    sha: `f${sha(i).slice(1)}`,
    parentShas: [sha(i - 2)],
  });
  const records: CommitRecord[] = [];
  for (let i = 0; i < total; i++) {
    if (i > 0 && i % 50 === 0) records.push(side(i));
    records.push(commit(i));
  }
  for (let i = 0; i < records.length; i += 20_000)
    await upsertCommits(db, repositoryId, records.slice(i, i + 20_000));
  let n = 0;
  const deployment = (i: number): DeploymentRecord => ({
    repository: REPO,
    environment: "production",
    sha: sha(i),
    status: "success",
    createdAt: new Date(BASE + i * 600_000 + 300_000),
    finishedAt: new Date(BASE + i * 600_000 + 300_000),
    source: "api",
    externalId: `d${n++}`,
  });
  const history: DeploymentRecord[] = [];
  for (let i = size.every; i < size.commits; i += size.every) history.push(deployment(i));
  for (let i = 0; i < history.length; i += 5_000) await upsertDeployments(db, history.slice(i, i + 5_000));
  const first = await deriveRepository(db, repositoryId, { whole: true });
  await db.execute(sql`analyze`);
  console.log(
    `| ${label} | (setup: ${history.length} deployments, ${first.changes} changes; first whole derive ${first.ms} ms) | | |`,
  );

  const scan = async () => {
    const started = performance.now();
    await queryRows(db, sql`select count(*)::int as n, max(length(sha))::int as l from deployments`);
    return performance.now() - started;
  };
  let next = size.commits;
  const timed = async (what: () => Promise<unknown>) => {
    const started = performance.now();
    await what();
    return performance.now() - started;
  };
  const samples = {
    scan: [] as number[],
    incremental: [] as number[],
    withCommit: [] as number[],
    whole: [] as number[],
  };
  for (let r = 0; r < size.runs; r++) {
    samples.scan.push(await scan());
    // A new deployment of a commit already held: the graph is cached.
    await upsertDeployments(db, [deployment(next++)]);
    samples.incremental.push(await timed(() => deriveRepository(db, repositoryId)));
    // A new commit, then its deployment: the graph changed, so it is loaded again.
    await upsertCommits(db, repositoryId, [
      { ...commit(next), authoredAt: new Date(BASE + next * 600_000 + 1) },
    ]);
    await upsertDeployments(db, [deployment(next++)]);
    samples.withCommit.push(await timed(() => deriveRepository(db, repositoryId)));
    // The same new deployment derived whole (what every write cost before).
    await upsertDeployments(db, [deployment(next++)]);
    samples.whole.push(await timed(() => deriveRepository(db, repositoryId, { whole: true })));
    next++;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ref = median(samples.scan);
  const line = (what: string, xs: number[]) =>
    console.log(`| ${label} | ${what} | ${median(xs).toFixed(1)} | ${(median(xs) / ref).toFixed(1)} |`);
  line("reference: full scan of deployments", samples.scan);
  line("one new deployment, incremental (graph cached)", samples.incremental);
  line("one new commit + its deployment, incremental (graph reloaded)", samples.withCommit);
  line("one new deployment, whole derive", samples.whole);
  await handle.close();
}
