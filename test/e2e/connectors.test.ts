import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "@/lib/ingest/source/secrets";
import { type FakeJenkins, startFakeJenkins, TOKEN, USER } from "@/test/fakes/jenkins";
import { JENKINS_YAML, jenkinsFixture } from "@/test/fakes/jenkins/fixture";
import { type FakeOpsgenie, OG_KEY, OpsgenieModel, startFakeOpsgenie } from "@/test/fakes/opsgenie";
import { type FakePagerDuty, PD_TOKEN, startFakePagerDuty } from "@/test/fakes/pagerduty";
import { PAGERDUTY_YAML, pagerDutyFixture } from "@/test/fakes/pagerduty/fixture";
import { pagerDutyIncidentEvent } from "@/test/fixtures/connector-webhooks";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

const WEBHOOK_SECRET = "e2e-connector-webhook-secret-42";

/**
 * Settings → Sources with Jenkins, PagerDuty and Opsgenie configured, in Chromium against `next start`: each
 * connector's card, "Sync" per connector, its last sync per scope, a webhook delivery in its log.
 */
describe.skipIf(!browserTestsRun())("connectors in Settings → Sources", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let jenkins: FakeJenkins;
  let pagerduty: FakePagerDuty;
  let opsgenie: FakeOpsgenie;
  let dir: string;

  beforeAll(async () => {
    jenkins = await startFakeJenkins(jenkinsFixture());
    pagerduty = await startFakePagerDuty(pagerDutyFixture());
    opsgenie = await startFakeOpsgenie(new OpsgenieModel());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-e2e-connectors-"));
    const config = path.join(dir, "throughline.config.yaml");
    fs.writeFileSync(
      config,
      // No schedules: a scheduled sync a minute after start would race the clicks (and show a quiet sync's counts).
      `${JENKINS_YAML.replace("jenkins:\n", "jenkins:\n  syncIntervalMinutes: 0\n")}${PAGERDUTY_YAML.replace("pagerduty:", `pagerduty:\n  apiUrl: ${pagerduty.url}\n  syncIntervalMinutes: 0`)}
opsgenie: { apiUrl: "${opsgenie.url}", map: [ { tag: "svc:api", repository: acme/api } ] }
`,
    );
    server = await startServer({
      THROUGHLINE_DEMO: "never",
      THROUGHLINE_CONFIG: config,
      JENKINS_URL: jenkins.url,
      JENKINS_USER: USER,
      JENKINS_TOKEN: TOKEN,
      PAGERDUTY_TOKEN: PD_TOKEN,
      PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      OPSGENIE_API_KEY: OG_KEY,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([jenkins?.close(), pagerduty?.close(), opsgenie?.close()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows each connector, syncs it on demand and lists its scopes and webhook deliveries", async () => {
    await page.goto(`${server.url}/settings/sources`);
    for (const name of ["Jenkins", "PagerDuty", "Opsgenie"]) {
      await page.getByRole("heading", { name, exact: true }).waitFor();
    }
    await page.getByText("Atlassian ends Opsgenie on 2027-04-05").waitFor();
    expect(await page.getByText("Off: set JENKINS_WEBHOOK_SECRET").count()).toBe(1);

    await page.getByRole("button", { name: "Sync Jenkins" }).click();
    await page.waitForURL(/\/settings\/sources$/);
    const deploy = page.getByRole("row").filter({ hasText: "payments/deploy" });
    await deploy.getByText("ok").waitFor({ timeout: 120_000 });
    expect(await deploy.innerText()).toContain("5 builds");

    await page.getByRole("button", { name: "Sync PagerDuty" }).waitFor();
    await page.waitForFunction(
      () =>
        !(
          document.querySelector('button[type="submit"][disabled]') &&
          document.body.innerText.includes("Syncing")
        ),
    );
    await page.getByRole("button", { name: "Sync PagerDuty" }).click();
    const incidents = page
      .locator('section:has(h2:text-is("PagerDuty: last sync")) tr')
      .filter({ hasText: "incidents" });
    await incidents.getByText("ok").waitFor({ timeout: 120_000 });

    const body = JSON.stringify(
      pagerDutyIncidentEvent("incident.triggered", { occurredAt: "2026-03-06T09:00:00Z" }),
    );
    const delivered = await fetch(`${server.url}/api/webhooks/pagerduty`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-webhook-id": "e2e-1",
        "x-pagerduty-signature": `v1=${hmacSha256Hex(WEBHOOK_SECRET, body)}`,
      },
      body,
    });
    expect(delivered.status).toBe(202);
    await page.reload();
    await page
      .locator('section:has(h2:text-is("PagerDuty webhooks"))')
      .getByText("service API Service (PF9KMXH) is not in pagerduty.services")
      .waitFor();

    await page.screenshot({ path: path.join(SHOTS, "sources-connectors.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, "sources-connectors-390.png"), fullPage: true });
  });
});
