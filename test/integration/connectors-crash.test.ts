import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db";
import { runIngest } from "@/lib/ingest/run";
import { type FakeJenkins, startFakeJenkins, TOKEN, USER } from "@/test/fakes/jenkins";
import { JENKINS_YAML, jenkinsFixture } from "@/test/fakes/jenkins/fixture";
import { type FakeOpsgenie, OG_KEY, OpsgenieModel, startFakeOpsgenie } from "@/test/fakes/opsgenie";
import { type FakePagerDuty, PD_TOKEN, startFakePagerDuty } from "@/test/fakes/pagerduty";
import { PAGERDUTY_YAML, pagerDutyFixture } from "@/test/fakes/pagerduty/fixture";
import { domainSnapshot } from "@/test/helpers/connectors";
import { resetDatabase, testDatabase } from "@/test/helpers/db";
import { postgresUrl, requireAll } from "@/test/setup/environment";

/**
 * Jenkins, PagerDuty and Opsgenie synced by `npm run ingest`'s code in a child process that is killed (SIGKILL) as
 * soon as the fakes have answered N requests, for several N, then run to the end: the database must hold exactly
 * what one uninterrupted run stores. How many of the kills land before the child finishes depends on the machine;
 * the result must not.
 */
describe.skipIf(!postgresUrl())("connectors killed mid-sync and run again [postgres]", () => {
  if (!postgresUrl() && requireAll()) throw new Error("TEST_DATABASE_URL is required");
  let handle: DbHandle;
  let jenkins: FakeJenkins;
  let pagerduty: FakePagerDuty;
  let opsgenie: FakeOpsgenie;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    handle = await testDatabase("postgres");
    jenkins = await startFakeJenkins(jenkinsFixture());
    pagerduty = await startFakePagerDuty(pagerDutyFixture());
    const og = new OpsgenieModel();
    for (let k = 0; k < 250; k++) {
      og.incidents.push({
        id: `og-${k}`,
        message: `Incident ${k}`,
        status: k % 7 === 0 ? "open" : "resolved",
        priority: "P2",
        impactedServices: ["svc-payments"],
        createdAt: new Date(Date.parse("2026-01-05T00:00:00Z") + k * 4 * 3_600_000).toISOString(),
        impactEndDate: new Date(Date.parse("2026-01-05T00:30:00Z") + k * 4 * 3_600_000).toISOString(),
      });
    }
    opsgenie = await startFakeOpsgenie(og);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-connectors-crash-"));
    const yaml = `${JENKINS_YAML}${PAGERDUTY_YAML.replace("pagerduty:", `pagerduty:\n  apiUrl: ${pagerduty.url}`)}
opsgenie:
  apiUrl: ${opsgenie.url}
  since: 2026-01-01
  map: [ { impactedService: svc-payments, repository: acme/Payments-API } ]
`;
    fs.writeFileSync(path.join(dir, "throughline.config.yaml"), yaml);
    env = {
      THROUGHLINE_CONFIG: path.join(dir, "throughline.config.yaml"),
      JENKINS_URL: jenkins.url,
      JENKINS_USER: USER,
      JENKINS_TOKEN: TOKEN,
      PAGERDUTY_TOKEN: PD_TOKEN,
      OPSGENIE_API_KEY: OG_KEY,
    };
  });
  afterAll(async () => {
    await Promise.all([jenkins?.close(), pagerduty?.close(), opsgenie?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const served = () => jenkins.requests.length + pagerduty.requests.length + opsgenie.requests.length;
  const resetFakes = () => {
    jenkins.reset();
    pagerduty.reset();
    opsgenie.reset();
  };

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

  /** Runs the sync in a child and SIGKILLs it once the fakes have answered `after` more requests. */
  async function runAndKill(after: number): Promise<"killed" | "finished"> {
    const start = served();
    const proc = child();
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    for (;;) {
      if (proc.exitCode !== null) return "finished";
      if (served() - start >= after) {
        proc.kill("SIGKILL");
        await exited;
        return "killed";
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  // Nine child processes on a busy machine: a generous limit (the assertion does not depend on speed).
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
    expect(expected.builds.length).toBe(105);
    expect(expected.incidents.length).toBe(4 + 250);
    expect(expected.incidents.some((i) => i.link_method === "sha")).toBe(true);

    await resetDatabase(handle.db);
    resetFakes();
    for (const after of [1, 4, 7, 3, 12, 9, 15, 6]) await runAndKill(after);
    const last = await new Promise<number | null>((resolve) => child().once("exit", resolve));
    expect(last).toBe(0);
    expect(await domainSnapshot(handle.db)).toEqual(expected);
  });
});
