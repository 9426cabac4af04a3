import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openPostgres } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { runIngest } from "@/lib/ingest/run";
import { startQueue, stopQueue } from "@/lib/queue";
import { enqueueSync } from "@/lib/queue/sync";
import { type FakeJenkins, startFakeJenkins, TOKEN, USER } from "@/test/fakes/jenkins";
import { JENKINS_YAML, jenkinsFixture } from "@/test/fakes/jenkins/fixture";
import { type FakePagerDuty, PD_TOKEN, startFakePagerDuty } from "@/test/fakes/pagerduty";
import { PAGERDUTY_YAML, pagerDutyFixture } from "@/test/fakes/pagerduty/fixture";
import { domainSnapshot } from "@/test/helpers/connectors";
import { resetDatabase } from "@/test/helpers/db";
import { startServer, type TestServer } from "@/test/helpers/server";
import { postgresUrl, requireAll } from "@/test/setup/environment";

/**
 * Issue 11 item 6: two web servers and two workers on one PostgreSQL database share the syncs. Web server A also
 * works (THROUGHLINE_WORKER=1), web server B only enqueues (the default). Mid-sync, the process running a sync is
 * SIGKILLed, and one process of the other kind: the jobs they held come back after their lease, and the tables end
 * equal to one clean run. The fakes answer slowly so that the syncs are still running when the kills land; nothing
 * asserts a duration.
 */
const LEASE_SECONDS = "6";

describe.skipIf(!postgresUrl())("two web servers and two workers on one database [postgres]", () => {
  if (!postgresUrl() && requireAll()) throw new Error("TEST_DATABASE_URL is required");
  const name = `tl_multi_${process.pid}_${Date.now()}`;
  let handle: DbHandle;
  let jenkins: FakeJenkins;
  let pagerduty: FakePagerDuty;
  let dir: string;
  let env: Record<string, string>;
  const workers: ChildProcess[] = [];
  const webs: TestServer[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    const admin = postgres(postgresUrl() as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(postgresUrl() as string);
    url.pathname = `/${name}`;
    handle = await openPostgres(url.toString(), { max: 4 });
    await handle.migrate();
    jenkins = await startFakeJenkins(jenkinsFixture());
    pagerduty = await startFakePagerDuty(pagerDutyFixture());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-multi-"));
    const yaml = `${JENKINS_YAML.replace("jenkins:\n", "jenkins:\n  syncIntervalMinutes: 0\n")}${PAGERDUTY_YAML.replace(
      "pagerduty:\n",
      `pagerduty:\n  apiUrl: ${pagerduty.url}\n  syncIntervalMinutes: 0\n`,
    )}`;
    fs.writeFileSync(path.join(dir, "throughline.config.yaml"), yaml);
    env = {
      DATABASE_URL: url.toString(),
      THROUGHLINE_CONFIG: path.join(dir, "throughline.config.yaml"),
      THROUGHLINE_JOB_LEASE_SECONDS: LEASE_SECONDS,
      JENKINS_URL: jenkins.url,
      JENKINS_USER: USER,
      JENKINS_TOKEN: TOKEN,
      PAGERDUTY_TOKEN: PD_TOKEN,
    };
  }, 120_000);

  afterAll(async () => {
    await stopQueue().catch(() => {});
    for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
    await Promise.all(webs.map((w) => w.stop().catch(() => {})));
    await handle?.close();
    await Promise.all([jenkins?.close(), pagerduty?.close()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    const admin = postgres(postgresUrl() as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }, 120_000);

  function worker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => output.push(`[worker ${child.pid}] ${d}`));
    child.stderr?.on("data", (d) => output.push(`[worker ${child.pid}] ${d}`));
    workers.push(child);
    return child;
  }

  const syncJobs = (db = handle.db) =>
    queryRows<{ name: string; state: string; pid: number | null; retries: number }>(
      db,
      sql`select name, state::text as state, split_part(output->>'worker', ':', 2)::int as pid,
                 retry_count::int as retries
          from pgboss.job where name like 'sync-%' order by created_on`,
    );

  async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>): Promise<T> {
    const deadline = Date.now() + 600_000;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output.join("")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it("shares the syncs, survives a SIGKILLed web server and worker, and ends equal to one clean run", {
    timeout: 1_200_000,
  }, async () => {
    // The reference: one uninterrupted run of the same syncs.
    const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
    Object.assign(process.env, env);
    try {
      await runIngest(handle.db, { log: () => {} });
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const expected = await domainSnapshot(handle.db);
    expect(expected.builds.length).toBeGreaterThan(100);
    expect(expected.incidents.length).toBeGreaterThan(0);
    await resetDatabase(handle.db);
    jenkins.reset();
    pagerduty.reset();

    // Two web servers (A works, B only enqueues) and two workers.
    webs.push(await startServer({ ...env, THROUGHLINE_WORKER: "1", THROUGHLINE_DEMO: "never" }));
    webs.push(await startServer({ ...env, THROUGHLINE_DEMO: "never" }));
    worker();
    worker();
    await waitFor("both workers", async () => output.join("").split("runs jobs from").length > 2);

    // Slow fakes: every answer waits, so that the syncs are mid-way when the kills land.
    for (const fake of [jenkins, pagerduty]) fake.inject({ times: 1_000_000, fault: { delayMs: 150 } });
    const q = await startQueue(handle, { work: false, url: env.DATABASE_URL });
    expect(q.working).toBe(false);
    await enqueueSync("jenkins", "manual");
    await enqueueSync("pagerduty", "manual");

    // Kill the process running a sync once it is part-way, then one process of the other kind.
    const running = await waitFor("a sync part-way", async () => {
      if (jenkins.requests.length + pagerduty.requests.length < 4) return null;
      const active = (await syncJobs()).filter((j) => j.state === "active" && j.pid);
      return active[0] ?? null;
    });
    const webA = webs[0] as TestServer;
    const victimIsWeb = running.pid === webA.pid;
    const workerPids = workers.map((w) => w.pid);
    expect(victimIsWeb || workerPids.includes(running.pid ?? -1)).toBe(true);
    process.kill(running.pid as number, "SIGKILL");
    if (victimIsWeb) (workers[0] as ChildProcess).kill("SIGKILL");
    else process.kill(webA.pid, "SIGKILL");

    // The survivors (worker, web server A's or B's queue never: B does not work) finish everything.
    await waitFor("every sync done", async () => {
      const jobs = await syncJobs();
      return jobs.length >= 2 && jobs.every((j) => j.state === "completed") ? jobs : null;
    });
    await waitFor("every derive done", async () => {
      const [left] = await queryRows<{ n: number }>(
        handle.db,
        sql`select (select count(*) from repositories where needs_derive)::int
                 + (select count(*) from pgboss.job where name like 'derive%' and state < 'completed')::int as n`,
      );
      return left?.n === 0;
    });

    const jobs = await syncJobs();
    // The killed job came back (retried after its lease), and web server B, which only enqueues, ran nothing.
    expect(jobs.find((j) => j.name === running.name)?.retries).toBeGreaterThanOrEqual(1);
    const ranBy = await queryRows<{ pid: number }>(
      handle.db,
      sql`select distinct split_part(output->>'worker', ':', 2)::int as pid from pgboss.job
          where output->>'worker' is not null`,
    );
    expect(ranBy.map((r) => r.pid)).not.toContain((webs[1] as TestServer).pid);
    expect(await domainSnapshot(handle.db)).toEqual(expected);
  });
});
