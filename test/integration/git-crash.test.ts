import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { ingestGitRepository } from "@/lib/ingest/git";
import { writeSyntheticHistory } from "@/scripts/lib/synthetic-git";
import { resetDatabase, testDatabase } from "@/test/helpers/db";
import { snapshot } from "@/test/helpers/github";
import { postgresUrl, requireAll } from "@/test/setup/environment";

/**
 * Killing a local git ingest at any moment and running it again gives exactly the rows of an uninterrupted run
 * (PostgreSQL: the kill needs a second process writing the same database). 3,000 commits in batches of 100, two
 * in flight: kills land between batches, inside them, and during the tags and derive.
 */
describe.skipIf(!postgresUrl())("local git ingest killed mid-way and run again [postgres]", () => {
  if (!postgresUrl() && requireAll()) throw new Error("TEST_DATABASE_URL is required");
  let handle: DbHandle;
  let dir: string;
  let repo: string;

  beforeAll(async () => {
    handle = await testDatabase("postgres");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-git-crash-"));
    repo = path.join(dir, "history.git");
    execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", "--bare", repo]);
    await writeSyntheticHistory(repo, { commits: 3_000, tagEvery: 100 });
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function child(): ChildProcess {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a child process of its own, which a SIGKILL
    // of the CLI would leave running.
    return spawn(process.execPath, ["--import", "tsx", "test/helpers/git-ingest-child.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: handle.location,
        GIT_INGEST_PATH: repo,
        GIT_INGEST_BATCH: "100",
        GIT_INGEST_PAUSE_MS: "25",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  const commitCount = async () =>
    (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from commits`))[0]?.n ?? 0;

  /** Runs the ingest in a child process and SIGKILLs it once the database holds `after` more commits. */
  async function runAndKill(after: number): Promise<"killed" | "finished"> {
    const start = await commitCount();
    const proc = child();
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    for (;;) {
      if (proc.exitCode !== null) return "finished";
      if ((await commitCount()) - start >= after) {
        proc.kill("SIGKILL");
        await exited;
        return "killed";
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  it("ends with the same database whatever moment it was killed at", async () => {
    await resetDatabase(handle.db);
    // The reference run writes batches of 1,000 and 2,000 (through COPY), the killed ones batches of 100 (jsonb).
    await ingestGitRepository(handle.db, { path: repo, deployTags: "v*" });
    const expected = await snapshot(handle.db);
    expect(expected.commits).toHaveLength(3_000);
    expect(expected.deployments).toHaveLength(30);

    await resetDatabase(handle.db);
    const outcomes: string[] = [];
    for (const after of [1, 250, 640, 1, 900]) outcomes.push(await runAndKill(after));
    expect(outcomes.filter((o) => o === "killed").length).toBeGreaterThanOrEqual(3);
    expect(await commitCount()).toBeLessThan(3_000);
    const last = child();
    const code = await new Promise<number | null>((resolve) => last.once("exit", resolve));
    expect(code).toBe(0);
    expect(await snapshot(handle.db)).toEqual(expected);
    // Many child processes, each paying Node's and tsx's start-up: generous on a busy machine, never a speed test.
  }, 600_000);
});
