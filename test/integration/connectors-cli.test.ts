import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeJenkins, USER } from "@/test/fakes/jenkins";
import { OpsgenieModel, startFakeOpsgenie } from "@/test/fakes/opsgenie";
import { startFakePagerDuty } from "@/test/fakes/pagerduty";

/**
 * `npm run ingest -- <source>` with wrong credentials, as a user runs it (its own process, the embedded database):
 * one clear line per failed scope naming what to check, never the secret, and exit code 1.
 */
describe("npm run ingest -- jenkins | pagerduty | opsgenie with bad credentials", () => {
  const fakes: { close(): Promise<void> }[] = [];
  const urls = { jenkins: "", pagerduty: "", opsgenie: "" };
  let dir: string;

  beforeAll(async () => {
    const [jenkins, pagerduty, opsgenie] = await Promise.all([
      startFakeJenkins(),
      startFakePagerDuty(),
      startFakeOpsgenie(new OpsgenieModel()),
    ]);
    fakes.push(jenkins, pagerduty, opsgenie);
    Object.assign(urls, { jenkins: jenkins.url, pagerduty: pagerduty.url, opsgenie: opsgenie.url });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-connectors-cli-"));
    fs.writeFileSync(
      path.join(dir, "throughline.config.yaml"),
      `
jenkins: {}
pagerduty: { apiUrl: "${pagerduty.url}", services: [ { id: P1, repository: acme/api } ] }
opsgenie: { apiUrl: "${opsgenie.url}", map: [ { tag: api, repository: acme/api } ] }
`,
    );
  });
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function ingest(
    source: string,
    env: Record<string, string>,
  ): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/ingest.ts", source], {
        env: {
          ...process.env,
          DATABASE_URL: "",
          THROUGHLINE_DATA_DIR: path.join(dir, "data"),
          THROUGHLINE_CONFIG: path.join(dir, "throughline.config.yaml"),
          ...env,
        },
      });
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

  // Three CLI processes, each booting the embedded database: a generous limit on a busy machine.
  it("each names what to check and exits 1", { timeout: 300_000 }, async () => {
    const j = await ingest("jenkins", {
      JENKINS_URL: urls.jenkins,
      JENKINS_USER: USER,
      JENKINS_TOKEN: "jenkins-wrong-token-1234",
    });
    expect(j.code).toBe(1);
    expect(j.out).toContain(
      "1 of 1 failed. Run it again after fixing the cause:\n  jenkins (job list): Jenkins refused the credentials (401): check JENKINS_USER and JENKINS_TOKEN (an API token of a user with Overall/Read and Job/Read)",
    );
    expect(j.out).not.toContain("jenkins-wrong-token-1234");

    const p = await ingest("pagerduty", { PAGERDUTY_TOKEN: "pd-wrong-token-1234" });
    expect(p.code).toBe(1);
    expect(p.out).toContain(
      "pagerduty incidents: PagerDuty refused the credentials (401): check PAGERDUTY_TOKEN",
    );
    expect(p.out).not.toContain("pd-wrong-token-1234");

    const o = await ingest("opsgenie", { OPSGENIE_API_KEY: "og-wrong-key-1234" });
    expect(o.code).toBe(1);
    expect(o.out).toContain(
      "opsgenie incidents: Opsgenie refused the credentials (401): check OPSGENIE_API_KEY",
    );
    expect(o.out).not.toContain("og-wrong-key-1234");

    // No credentials at all: the source says which variables to set (before any request).
    const none = await ingest("pagerduty", { PAGERDUTY_TOKEN: "" });
    expect(none.code).toBe(1);
    expect(none.out).toContain("PAGERDUTY_TOKEN is not set (a read-only REST API key)");
  });
});
