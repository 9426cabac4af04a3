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
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a child process of its own, which a SIGKILL
    // of the CLI would leave running.
    return spawn(process.execPath, ["--import", "tsx", "test/helpers/ingest-child.ts"], {
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

  /**
   * Runs the ingest in a child process and SIGKILLs it while the fake holds its request number `after + 1`
   * unanswered: the kill lands exactly there however fast or slow the machine is. A run that needs no more than
   * `after` requests finishes on its own.
   */
  async function runAndKill(after: number): Promise<"killed" | "finished"> {
    const start = fake.requests.length;
    let active = true;
    fake.inject({
      match: () => active && fake.requests.length - start === after + 1,
      fault: { delayMs: 120_000 },
    });
    const proc = child();
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    try {
      for (;;) {
        if (proc.exitCode !== null) return "finished";
        if (fake.requests.length - start > after) {
          proc.kill("SIGKILL");
          await exited;
          return "killed";
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      active = false;
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
    // Kill it again and again, at different points (the commits, the PRs, the deployments, the runs), until a run
    // has so little left that it finishes before its kill point.
    const outcomes: string[] = [];
    for (const after of [3, 4, 9, 6, 8, 5, 7, 4, 6, 3, 5, 4]) {
      outcomes.push(await runAndKill(after));
      if (outcomes.at(-1) === "finished") break;
    }
    expect(outcomes.filter((o) => o === "killed").length).toBeGreaterThanOrEqual(4);
    const last = await new Promise<number | null>((resolve) => child().once("exit", resolve));
    expect(last).toBe(0);
    expect(await snapshot(handle.db)).toEqual(expected);
    // Many child processes, each paying Node's and tsx's start-up: generous on a busy machine, never a speed test.
  }, 600_000);
});
