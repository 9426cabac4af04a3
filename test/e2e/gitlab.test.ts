import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitLab, GL_TOKEN, startFakeGitLab } from "@/test/fakes/gitlab";
import { GITLAB_YAML, gitlabFixture } from "@/test/fakes/gitlab/fixture";
import { pipelineHook } from "@/test/fixtures/gitlab-webhooks";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

const WEBHOOK_SECRET = "e2e-gitlab-webhook-secret-42";

/**
 * Settings → Sources with GitLab configured, in Chromium against `next start`: the GitLab card, "Sync GitLab", each
 * project's last sync (a 404 project reported, the others synced) and a webhook delivery in its log.
 */
describe.skipIf(!browserTestsRun())("GitLab in Settings → Sources", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let gitlab: FakeGitLab;
  let dir: string;

  beforeAll(async () => {
    gitlab = await startFakeGitLab(gitlabFixture());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-e2e-gitlab-"));
    const config = path.join(dir, "throughline.config.yaml");
    fs.writeFileSync(
      config,
      GITLAB_YAML.replace("  since: 2026-01-01", "  since: 2026-01-01\n  syncIntervalMinutes: 0"),
    );
    server = await startServer({
      THROUGHLINE_DEMO: "never",
      THROUGHLINE_CONFIG: config,
      GITLAB_URL: gitlab.url,
      GITLAB_TOKEN: GL_TOKEN,
      GITLAB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await gitlab?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("syncs GitLab on demand, lists its projects and errors, and logs webhook deliveries", async () => {
    await page.goto(`${server.url}/settings/sources`);
    await page.getByRole("heading", { name: "GitLab", exact: true }).waitFor();
    await page.getByText("all of acme (with subgroups), acme/gone").waitFor();
    await page.locator("code", { hasText: "/api/webhooks/gitlab" }).first().waitFor();

    await page.getByRole("button", { name: "Sync GitLab" }).click();
    await page.waitForURL(/\/settings\/sources$/);
    const api = page.getByRole("row").filter({ hasText: "acme/platform/api" });
    await api.getByText("ok").waitFor({ timeout: 120_000 });
    expect(await api.innerText()).toContain("4 merge-requests");
    const gone = page.getByRole("row").filter({ hasText: "acme/gone" });
    expect(await gone.innerText()).toContain("not found or not visible to this token");

    const delivered = await fetch(`${server.url}/api/webhooks/gitlab`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitlab-event": "Pipeline Hook",
        "x-gitlab-token": WEBHOOK_SECRET,
        "x-gitlab-event-uuid": "e2e-gitlab-1",
      },
      body: JSON.stringify(pipelineHook("acme/platform/api")),
    });
    expect(delivered.status).toBe(202);
    await page.reload();
    await page
      .locator('section:has(h2:text-is("GitLab webhooks"))')
      .getByText("acme/platform/api")
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SHOTS, "sources-gitlab.png"), fullPage: true });
  });
});
