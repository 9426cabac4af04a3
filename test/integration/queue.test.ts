import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { jobSchedules, repositories } from "@/lib/db/schema";
import { currentQueue, requestDerive, startQueue, stopQueue } from "@/lib/queue";
import { DERIVE_QUEUE } from "@/lib/queue/kinds";
import { fireDue, upsertSchedule } from "@/lib/queue/schedule";
import { latestSyncJobs } from "@/lib/queue/status";
import { enqueueSync } from "@/lib/queue/sync";
import { type FakeJenkins, startFakeJenkins } from "@/test/fakes/jenkins";
import { JENKINS_YAML, jenkinsFixture } from "@/test/fakes/jenkins/fixture";
import { jenkinsEnv } from "@/test/helpers/connectors";
import { backends, resetDatabase, testDatabase } from "@/test/helpers/db";

/** The job queue (ADR 0016) in one process, on each backend: derives drained from needs_derive, bursts collapsed. */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const backend of backends) {
  describe(`job queue [${backend}]`, () => {
    let handle: DbHandle;
    let jenkins: FakeJenkins;
    let dir: string;
    const saved = { ...process.env };
    beforeAll(async () => {
      jenkins = await startFakeJenkins(jenkinsFixture());
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-queue-"));
      fs.writeFileSync(path.join(dir, "config.yaml"), JENKINS_YAML);
      Object.assign(process.env, jenkinsEnv(jenkins.url), {
        THROUGHLINE_CONFIG: path.join(dir, "config.yaml"),
      });
      handle = await testDatabase(backend);
      await resetDatabase(handle.db);
      await startQueue(handle, { work: true, log: () => {}, url: handle.location });
    });
    afterAll(async () => {
      await stopQueue();
      await jenkins?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      for (const k of ["JENKINS_URL", "JENKINS_USER", "JENKINS_TOKEN", "THROUGHLINE_CONFIG"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });

    it("runs Sync now's job and shows it from the database: state, worker, log", async () => {
      const first = await enqueueSync("jenkins", "manual");
      // A second click while it waits reuses the waiting job (or, once it runs, queues one behind it).
      const second = await enqueueSync("jenkins", "manual");
      const q = await currentQueue();
      await waitFor("the syncs", async () => {
        const [left] = await queryRows<{ n: number }>(
          handle.db,
          sql`select count(*)::int as n from pgboss.job where name = 'sync-jenkins' and state < 'completed'`,
        );
        return left?.n === 0;
      });
      const [done] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from pgboss.job where name = 'sync-jenkins' and state = 'completed'`,
      );
      expect(done?.n).toBe(first === second ? 1 : 2);
      const jobs = await latestSyncJobs(handle.db, ["jenkins", "github"]);
      expect(jobs.map((j) => j.source)).toEqual(["jenkins"]);
      const [job] = jobs;
      expect(job?.worker).toBe(q?.worker);
      expect(job?.trigger).toBe("manual");
      expect(job?.log.length).toBeGreaterThan(0);
      expect(job?.finishedAt).not.toBeNull();
      const [builds] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from ci_builds`,
      );
      expect(builds?.n).toBeGreaterThan(0);
    });

    it("drains needs_derive through derive jobs, one per marked repository", async () => {
      const db = handle.db;
      await db.insert(repositories).values([
        { fullName: "acme/a", source: "api" },
        { fullName: "acme/b", source: "api" },
      ]);
      expect(await requestDerive(0)).toBe(true);
      await waitFor("the derive", async () => {
        const left = await db.select().from(repositories).where(eq(repositories.needsDerive, true));
        return left.length === 0;
      });
      const derived = await db.select({ at: repositories.derivedAt }).from(repositories);
      expect(derived.every((r) => r.at !== null)).toBe(true);
    });

    it("collapses a burst of derive requests into at most one waiting job", async () => {
      const q = await currentQueue();
      const ids = [];
      for (let i = 0; i < 10; i++) ids.push(await q?.enqueue(DERIVE_QUEUE, {}, { delaySeconds: 30 }));
      expect(ids.filter(Boolean).length).toBe(1);
      // A scheduled run adds nothing while a job of its queue waits or runs.
      expect(await q?.enqueue(DERIVE_QUEUE, { other: 1 }, { skipIfBusy: true })).toBe(ids[0]);
      const [n] = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from pgboss.job where name = 'derive' and state = 'created'`,
      );
      expect(n?.n).toBe(1);
    });

    it("fires a due schedule once however many processes check at once", async () => {
      const db = handle.db;
      await upsertSchedule(db, {
        key: "test:every-5",
        queue: DERIVE_QUEUE,
        everyMinutes: 5,
        firstRunAt: new Date(Date.now() - 1_000),
      });
      const sent: string[] = [];
      const enqueue = async (queue: string) => {
        sent.push(queue);
      };
      const fired = await Promise.all([1, 2, 3, 4].map(() => fireDue(db, enqueue)));
      expect(fired.flat()).toEqual(["test:every-5"]);
      expect(sent).toEqual([DERIVE_QUEUE]);
      const [row] = await db.select().from(jobSchedules).where(eq(jobSchedules.key, "test:every-5"));
      expect((row?.nextRunAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(4 * 60_000);
      // An unchanged interval keeps the next run; the row is not moved back by a restart.
      await upsertSchedule(db, { key: "test:every-5", queue: DERIVE_QUEUE, everyMinutes: 5 });
      const [again] = await db.select().from(jobSchedules).where(eq(jobSchedules.key, "test:every-5"));
      expect(again?.nextRunAt.getTime()).toBe(row?.nextRunAt.getTime());
    });
  });
}
