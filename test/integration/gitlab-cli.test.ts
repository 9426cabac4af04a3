import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitLab, startFakeGitLab } from "@/test/fakes/gitlab";
import { gitlabFixture } from "@/test/fakes/gitlab/fixture";

/**
 * `npm run ingest -- gitlab` as a user runs it (its own process, the embedded database): a refused token is one
 * clear line naming what to check, never the token, and exit code 1; so is a missing token.
 */
describe("npm run ingest -- gitlab with a bad or missing token", () => {
  let fake: FakeGitLab;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeGitLab(gitlabFixture());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-gitlab-cli-"));
    fs.writeFileSync(
      path.join(dir, "throughline.config.yaml"),
      "gitlab: { projects: [acme/platform/api] }\n",
    );
  });
  afterAll(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function ingest(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        ["node_modules/tsx/dist/cli.mjs", "scripts/ingest.ts", "gitlab"],
        {
          env: {
            ...process.env,
            DATABASE_URL: "",
            THROUGHLINE_DATA_DIR: path.join(dir, "data"),
            THROUGHLINE_CONFIG: path.join(dir, "throughline.config.yaml"),
            GITLAB_URL: fake.url,
            ...env,
          },
        },
      );
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.stderr.on("data", (d) => {
        out += d;
      });
      child.on("exit", (code) => resolve({ code, out }));
    });
  }

  it("names what to check and exits 1", { timeout: 300_000 }, async () => {
    const bad = await ingest({ GITLAB_TOKEN: "glpat-wrong-token-1234" });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      "gitlab acme/platform/api: GitLab refused the credentials (401): check GITLAB_TOKEN (a personal, group or project access token with the read_api scope)",
    );
    expect(bad.out).not.toContain("glpat-wrong-token-1234");

    const none = await ingest({ GITLAB_TOKEN: "" });
    expect(none.code).toBe(1);
    expect(none.out).toContain(
      "GITLAB_TOKEN is not set (a personal, group or project access token with read_api)",
    );
  });
});
