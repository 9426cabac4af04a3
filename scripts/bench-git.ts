import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { isBot } from "@/lib/domain/bots";
import { ingestGitRepository } from "@/lib/ingest/git";
import { gitOutput } from "@/lib/ingest/git/exec";
import { LOG_ARGS, type ParsedCommit, parseLog } from "@/lib/ingest/git/log";
import { deriveRepository } from "@/lib/metrics/derive";
import { main } from "./lib/cli";
import { type SyntheticHistory, writeSyntheticHistory } from "./lib/synthetic-git";

/**
 * npm run bench:git [-- --commits 100000 --runs 5 --server postgres://… --clone <bare repo>]
 *
 * Local git ingest against its floor, on PostgreSQL: a synthetic clone (git fast-import: merges every 50 commits,
 * a tag every 300), then, interleaved run by run so that other load on the machine hits both alike:
 *   (a) the baseline: one `git log` of the fields we need (output to /dev/null: git's own time) plus one COPY of the
 *       same rows, formatted beforehand, into a table shaped like `commits` (same indexes and foreign key);
 *   (b) our full ingest into an empty database (repository, commits, tag deployments), then derive, timed apart;
 *   (c) the same ingest again, nothing new.
 * Also reported: git log read by Node through a pipe, the COPY without the foreign key, and CPU seconds of Node and
 * of the PostgreSQL backends (from /proc, when the server is local). Works in a scratch database it creates and
 * drops; `--clone` times an existing repository (its HEAD) instead of a synthetic one. Results go to
 * docs/benchmarks.md by hand, with the machine.
 */
interface Run {
  log: number;
  logPiped: number;
  copy: number;
  copyNoFk: number;
  ingest: number;
  derive: number;
  rerun: number;
  copyPgCpu: number | null;
  ingestPgCpu: number | null;
  ingestNodeCpu: number;
}

main(async () => {
  const { values } = parseArgs({
    options: {
      server: {
        type: "string",
        default:
          process.env.DATABASE_URL ??
          process.env.TEST_DATABASE_URL ??
          "postgres://postgres@127.0.0.1:5432/postgres",
      },
      commits: { type: "string", default: "100000" },
      runs: { type: "string", default: "5" },
      batch: { type: "string" },
      clone: { type: "string" },
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-bench-git-"));
  const repo = values.clone ? path.resolve(values.clone) : path.join(dir, "history.git");
  const dbName = `throughline_bench_git_${process.pid}`;
  const admin = postgres(values.server as string, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const url = new URL(values.server as string);
  url.pathname = `/${dbName}`;
  const handle = await openPostgres(url.toString(), { max: 4 });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await handle.migrate();
    const db = handle.db;
    await db.execute(sql`insert into org_settings (id) values (1) on conflict do nothing`);
    let made: SyntheticHistory | null = null;
    if (!values.clone) {
      const t = performance.now();
      execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", "--bare", repo]);
      made = await writeSyntheticHistory(repo, { commits: Number(values.commits) });
      console.log(`fast-import: ${JSON.stringify(made)} in ${secs(performance.now() - t)} s`);
    }
    const chunks = copyChunks(parseLog(await gitOutput(repo, ["log", ...LOG_ARGS, "HEAD", "--"])));
    await raw.unsafe("create table commits_copy (like commits including all)");
    await raw.unsafe("alter table commits_copy add foreign key (repository_id) references repositories (id)");
    await raw.unsafe("create table commits_copy_nofk (like commits including all)");
    await db.execute(sql`insert into repositories (full_name, source) values ('bench/baseline', 'git')`);
    const backendCpu = () => postgresCpuMs(raw, dbName);

    const runs: Run[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      let t = performance.now();
      await gitToDevNull(repo);
      const log = performance.now() - t;
      t = performance.now();
      await gitOutput(repo, ["log", ...LOG_ARGS, "HEAD", "--"]);
      const logPiped = performance.now() - t;
      let cpu0 = await backendCpu();
      const copy = await copyInto(raw, "commits_copy", chunks);
      const copyPgCpu = diff(await backendCpu(), cpu0);
      const copyNoFk = await copyInto(raw, "commits_copy_nofk", chunks);

      // (Empties commits_copy too: its rows reference repository 1, which the ingest creates again.)
      await db.execute(sql`truncate repositories, sync_state, environments restart identity cascade`);
      cpu0 = await backendCpu();
      const node0 = process.cpuUsage();
      t = performance.now();
      const summary = await ingestGitRepository(
        db,
        { path: repo, deployTags: "v*" },
        { derive: false, ...(values.batch ? { batchSize: Number(values.batch) } : {}) },
      );
      const ingest = performance.now() - t;
      const node = process.cpuUsage(node0);
      const ingestPgCpu = diff(await backendCpu(), cpu0);
      t = performance.now();
      await deriveRepository(db, summary.repositoryId);
      const derive = performance.now() - t;
      t = performance.now();
      await ingestGitRepository(db, { path: repo, deployTags: "v*" });
      const rerun = performance.now() - t;
      const run: Run = {
        ...{ log, logPiped, copy, copyNoFk, ingest, derive, rerun, copyPgCpu, ingestPgCpu },
        ingestNodeCpu: (node.user + node.system) / 1000,
      };
      runs.push(run);
      console.log(
        `run ${i + 1}: ${Object.entries(run)
          .map(([k, v]) => `${k} ${v === null ? "–" : secs(v)}`)
          .join(", ")} (load ${os.loadavg()[0]?.toFixed(1)})`,
      );
    }
    const [counts] = await queryRows<Record<string, number>>(
      db,
      sql`select (select count(*)::int from commits) commits, (select count(*)::int from deployments) deployments,
                 (select count(*)::int from deployment_changes) changes`,
    );
    const [version] = await queryRows<{ v: string }>(db, sql`select current_setting('server_version') as v`);
    report(runs, {
      machine:
        `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
        `Node ${process.version}, PostgreSQL ${version?.v}, ${execFileSync("git", ["--version"]).toString().trim()}`,
      data: `${made ? JSON.stringify(made) : repo}; stored ${JSON.stringify(counts)}`,
    });
  } finally {
    await raw.end({ timeout: 5 });
    await handle.close();
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end({ timeout: 5 });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function report(runs: Run[], about: { machine: string; data: string }): void {
  const m = (k: keyof Run) => median(runs.map((r) => r[k]).filter((x): x is number => x !== null));
  const all = (k: keyof Run) => runs.map((r) => (r[k] === null ? "–" : secs(r[k] as number))).join(", ");
  const baseline = m("log") + m("copy");
  console.log(`\nMachine: ${about.machine}\nData: ${about.data}\n`);
  console.log("| step | median (s) | runs (s) |\n|---|---|---|");
  const row = (label: string, k: keyof Run) => console.log(`| ${label} | ${secs(m(k))} | ${all(k)} |`);
  row("`git log` of the fields we need (to /dev/null)", "log");
  row("`COPY` of the same rows into a table shaped like `commits`", "copy");
  console.log(`| **baseline**: git log + COPY | **${secs(baseline)}** | |`);
  row("**full ingest** (repository, commits, tag deployments)", "ingest");
  row("derive (after the full ingest)", "derive");
  row("re-run, nothing new", "rerun");
  row("for reference: the same git log read by Node through a pipe", "logPiped");
  row("for reference: the COPY without the foreign key", "copyNoFk");
  row("CPU: PostgreSQL backends during the COPY", "copyPgCpu");
  row("CPU: PostgreSQL backends during the ingest", "ingestPgCpu");
  row("CPU: Node during the ingest", "ingestNodeCpu");
  const ratios = runs.map((r) => r.ingest / (r.log + r.copy));
  console.log(
    `\nratio ingest / baseline: ${(m("ingest") / baseline).toFixed(2)} (medians; per run ${ratios.map((x) => x.toFixed(2)).join(", ")}; target ≤ 2). ` +
      `Against git log + COPY without the foreign key: ${(m("ingest") / (m("log") + m("copyNoFk"))).toFixed(2)}; ` +
      `against git log through a pipe + COPY: ${(m("ingest") / (m("logPiped") + m("copy"))).toFixed(2)}.`,
  );
}

/** git's own time for the log: its output goes straight to /dev/null. */
async function gitToDevNull(repo: string): Promise<void> {
  const out = fs.openSync("/dev/null", "w");
  try {
    const child = spawn("git", ["log", ...LOG_ARGS, "HEAD", "--"], {
      cwd: repo,
      stdio: ["ignore", out, "inherit"],
    });
    const [code] = (await once(child, "close")) as [number | null];
    if (code !== 0) throw new Error(`git log failed (exit ${code})`);
  } finally {
    fs.closeSync(out);
  }
}

async function copyInto(raw: postgres.Sql, table: string, chunks: string[]): Promise<number> {
  await raw.unsafe(`truncate ${table}`);
  const t = performance.now();
  const writable = await raw
    .unsafe(
      `copy ${table} (repository_id, sha, parent_shas, authored_at, committed_at, author_name, author_email, is_bot, title) from stdin`,
    )
    .writable();
  await pipeline(Readable.from(chunks), writable);
  return performance.now() - t;
}

/** CPU milliseconds used so far by the database's backends (Linux /proc, local server); null when unreadable. */
async function postgresCpuMs(raw: postgres.Sql, dbName: string): Promise<number | null> {
  const rows = await raw<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${dbName}`;
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 a second)
    } catch {
      return null;
    }
  }
  return ticks * 10;
}

const diff = (after: number | null, before: number | null) =>
  after === null || before === null ? null : after - before;

function copyChunks(rows: ParsedCommit[]): string[] {
  const lines = rows.map((c) =>
    [
      "1",
      c.sha,
      `{${c.parentShas.join(",")}}`,
      c.authoredAt.toISOString(),
      c.committedAt.toISOString(),
      c.authorName,
      c.authorEmail,
      isBot({ name: c.authorName, email: c.authorEmail }) ? "t" : "f",
      c.title,
    ]
      .map(copyText)
      .join("\t"),
  );
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1_000) chunks.push(`${lines.slice(i, i + 1_000).join("\n")}\n`);
  return chunks;
}

/** COPY text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] ?? c,
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
const secs = (ms: number) => (ms / 1000).toFixed(2);
