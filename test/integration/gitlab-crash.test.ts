import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { runIngest } from "@/lib/ingest/run";
import { type FakeGitLab, GL_TOKEN, startFakeGitLab } from "@/test/fakes/gitlab";
import { GITLAB_YAML, gitlabFixture } from "@/test/fakes/gitlab/fixture";
import { sha } from "@/test/fixtures/sha";
import { domainSnapshot } from "@/test/helpers/connectors";
import { resetDatabase, testDatabase } from "@/test/helpers/db";
import { postgresUrl, requireAll } from "@/test/setup/environment";

/**
 * A GitLab sync by `npm run ingest`'s code in a child process, killed (SIGKILL) once the fake has answered N
 * requests, for several N, then run to the end: the database must hold exactly what one uninterrupted run stores.
 */

const HOUR = 3_600_000;
const at = (h: number) => new Date(Date.parse("2026-01-05T00:00:00Z") + h * HOUR).toISOString();

/** The fixture plus a busy project: several pages of commits, merge requests, pipelines (with jobs) and deployments. */
function busyFixture() {
  const m = gitlabFixture();
  const p = m.addProject("acme/platform/busy");
  for (let k = 0; k < 230; k++) {
    const id = sha(`busy-${k}`);
    p.commits.unshift({
      id,
      parent_ids: k ? [sha(`busy-${k - 1}`)] : [],
      title: `Change ${k}`,
      author_name: "Alice",
      author_email: "alice@example.com",
      authored_date: at(k),
      committed_date: at(k),
    });
    p.mergeRequests.push({
      iid: k + 1,
      title: `Change ${k}`,
      state: "merged",
      createdAt: at(k - 2),
      updatedAt: at(k),
      mergedAt: at(k),
      sourceBranch: `c${k}`,
      diffHeadSha: id,
      author: { username: "alice" },
      commits: [{ sha: id, authoredDate: at(k - 3) }],
      notes: [
        {
          createdAt: at(k - 1),
          system: true,
          body: "approved this merge request",
          author: { username: "bob" },
        },
      ],
    });
    p.pipelines.push({
      id: 80_000 + k,
      iid: k + 1,
      sha: id,
      ref: "main",
      source: "push",
      status: "success",
      createdAt: at(k),
      startedAt: at(k),
      finishedAt: at(k + 0.1),
      updatedAt: at(k + 0.1),
    });
    for (const [i, name] of ["build", "test"].entries())
      p.jobs.push({
        id: (80_000 + k) * 10 + i,
        name,
        stage: name,
        status: "success",
        ref: "main",
        sha: id,
        pipelineId: 80_000 + k,
        created_at: at(k),
        started_at: at(k + i * 0.05),
        finished_at: at(k + (i + 1) * 0.05),
        queued_duration: 5,
      });
    p.deployments.push({
      id: 80_000 + k,
      iid: k + 1,
      ref: "main",
      sha: id,
      created_at: at(k + 0.2),
      updated_at: at(k + 0.3),
      status: "success",
      environment: "production",
      deployable: { id: 80_000 + k, name: "deploy", started_at: at(k + 0.2), finished_at: at(k + 0.3) },
    });
  }
  return m;
}

const counts = async (db: Db) =>
  queryRows<{ commits: number; prs: number; approved: number; jobs: number }>(
    db,
    sql`select (select count(*) from commits)::int as commits, (select count(*) from pull_requests)::int as prs,
        (select count(*) from pull_requests where approved_at is not null)::int as approved,
        (select count(*) from ci_builds where parent_external_id is not null)::int as jobs`,
  );

describe.skipIf(!postgresUrl())("GitLab killed mid-sync and run again [postgres]", () => {
  if (!postgresUrl() && requireAll()) throw new Error("TEST_DATABASE_URL is required");
  let handle: DbHandle;
  let fake: FakeGitLab;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    handle = await testDatabase("postgres");
    fake = await startFakeGitLab(busyFixture());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-gitlab-crash-"));
    fs.writeFileSync(path.join(dir, "throughline.config.yaml"), GITLAB_YAML);
    env = {
      THROUGHLINE_CONFIG: path.join(dir, "throughline.config.yaml"),
      GITLAB_URL: fake.url,
      GITLAB_TOKEN: GL_TOKEN,
    };
  });
  afterAll(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function child(): ChildProcess {
    return spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "test/helpers/connectors-ingest-child.ts"],
      {
        env: { ...process.env, ...env, DATABASE_URL: handle.location },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
  }

  async function runAndKill(after: number): Promise<void> {
    const start = fake.requests.length;
    const proc = child();
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    for (;;) {
      if (proc.exitCode !== null) return;
      if (fake.requests.length - start >= after) {
        proc.kill("SIGKILL");
        await exited;
        return;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  it("ends with the same database whatever moment it was killed at", { timeout: 600_000 }, async () => {
    await resetDatabase(handle.db);
    const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
    Object.assign(process.env, env);
    try {
      await runIngest(handle.db, { log: () => {}, client: { retryBaseMs: 5 } });
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const expected = await domainSnapshot(handle.db);
    const expectedCounts = await counts(handle.db);
    expect(expectedCounts).toEqual([
      { commits: 8 + 2 + 230, prs: 4 + 230, approved: 3 + 230, jobs: 6 + 3 + 2 * 230 },
    ]);
    expect(expected.deployments.length).toBe(7 + 230);

    await resetDatabase(handle.db);
    fake.reset();
    for (const after of [2, 5, 8, 3, 11, 7, 14]) await runAndKill(after);
    // acme/gone 404s on every run (recorded; the child does not turn failed scopes into an exit code).
    const last = await new Promise<number | null>((resolve) => child().once("exit", resolve));
    expect(last).toBe(0);
    expect(await domainSnapshot(handle.db)).toEqual(expected);
    expect(await counts(handle.db)).toEqual(expectedCounts);
  });
});
