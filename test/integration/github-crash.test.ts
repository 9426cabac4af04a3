import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db";
import { demoRepository, type FakeGitHub, fakeData, fromDemo, startFakeGitHub } from "@/test/fakes/github";
import { resetDatabase, testDatabase } from "@/test/helpers/db";
import { config, snapshot, sync } from "@/test/helpers/github";
import { postgresUrl, requireAll } from "@/test/setup/environment";

const YAML = `
github: { repositories: [acme/ledger], since: 2026-01-01, syncIntervalMinutes: 0 }
incidents: { labels: [incident] }
`;

/**
 * Killing the ingest at any moment and running it again gives exactly the rows of an uninterrupted run
 * (PostgreSQL: the kill needs a second process writing the same database).
 */
describe.skipIf(!postgresUrl())("GitHub sync killed mid-way and run again [postgres]", () => {
  if (!postgresUrl() && requireAll()) throw new Error("TEST_DATABASE_URL is required");
  let handle: DbHandle;
  let fake: FakeGitHub;
  let dir: string;

  beforeAll(async () => {
    handle = await testDatabase("postgres");
    fake = await startFakeGitHub({
      data: fakeData(fromDemo(demoRepository("acme/ledger", { anchor: "2026-11-20", months: 2 }))),
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-crash-"));
    fs.writeFileSync(path.join(dir, "throughline.config.yaml"), YAML);
  });
  afterAll(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function child(): ChildProcess {
    return spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "test/helpers/ingest-child.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: handle.location,
        GITHUB_API_URL: fake.url,
        GITHUB_TOKEN: "test-token",
        THROUGHLINE_CONFIG: path.join(dir, "throughline.config.yaml"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Runs the ingest in a child process and SIGKILLs it once the fake has answered `after` requests. */
  async function runAndKill(after: number): Promise<"killed" | "finished"> {
    const start = fake.requests.length;
    const proc = child();
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    for (;;) {
      if (proc.exitCode !== null) return "finished";
      if (fake.requests.length - start >= after) {
        proc.kill("SIGKILL");
        await exited;
        return "killed";
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  it("ends with the same database whatever moment it was killed at", async () => {
    await resetDatabase(handle.db);
    const reference = await sync(handle.db, fake, config(YAML));
    expect(reference.repositories[0]?.ok).toBe(true);
    const expected = await snapshot(handle.db);
    expect(expected.pullRequests.length).toBeGreaterThan(100);
    expect(expected.deployments.length).toBeGreaterThan(100);

    await resetDatabase(handle.db);
    fake.reset();
    // Kill it several times, at different points: during the commits, the PRs, the deployments, the runs.
    const outcomes: string[] = [];
    for (const after of [3, 4, 9, 6, 8, 5]) {
      outcomes.push(await runAndKill(after));
    }
    expect(outcomes.filter((o) => o === "killed").length).toBeGreaterThanOrEqual(4);
    const last = await new Promise<number | null>((resolve) => child().once("exit", resolve));
    expect(last).toBe(0);
    expect(await snapshot(handle.db)).toEqual(expected);
  });
});
