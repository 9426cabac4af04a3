import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, fakeData, sampleRepository, startFakeGitHub } from "@/test/fakes/github";

/** The commands as a user runs them: their output and exit codes, on a brand-new embedded database. */
describe("npm run db:migrate and npm run ingest, end to end", () => {
  let dir: string;
  let fake: FakeGitHub;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-cli-"));
    fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
  });
  afterAll(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function run(script: string, args: string[] = [], extra: Record<string, string> = {}) {
    const env: NodeJS.ProcessEnv = { ...process.env, THROUGHLINE_DATA_DIR: path.join(dir, "data"), ...extra };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", script, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    return new Promise<{ code: number | null; out: string }>((resolve) =>
      child.once("exit", (code) => resolve({ code, out })),
    );
  }

  it("db:migrate says it created the schema on a brand-new database, and that it is up to date after", async () => {
    const migrations = fs.readdirSync("drizzle").filter((f) => f.endsWith(".sql")).length;
    const first = await run("scripts/migrate.ts");
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain(`Created the database schema: applied all ${migrations} migrations.`);
    const second = await run("scripts/migrate.ts");
    expect(second.out).toContain(`Migrations are up to date (${migrations} applied earlier).`);
  }, 300_000);

  it("ingest exits 1 when a repository failed, saying so once", async () => {
    const file = path.join(dir, "throughline.config.yaml");
    fs.writeFileSync(file, "github: { repositories: [acme/api, acme/gone], since: 2026-01-01 }\n");
    const r = await run("scripts/ingest.ts", ["github"], {
      GITHUB_TOKEN: "test-token",
      GITHUB_API_URL: fake.url,
      THROUGHLINE_CONFIG: file,
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/acme\/gone: FAILED/);
    expect(r.out.match(/1 of 2 failed; the others were synced/g)).toHaveLength(1);
  }, 300_000);
});
