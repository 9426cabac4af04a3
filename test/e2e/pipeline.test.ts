import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * The pipeline view on the demo organisation in Chromium: the stage flow with medians and p90s, a stage's changes,
 * CI health, "Where to focus" with its DORA capability links, the trend per stage, and the JSON API beside it.
 */
describe.skipIf(!browserTestsRun())("team pipeline in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    // A cold `next build` on the shared 2-core machine took 10 minutes at load 26.
  }, 1_500_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the stages as a flow, CI health, where to focus and a trend per stage", async () => {
    await page.goto(`${server.url}/teams/identity`);
    await page.getByRole("link", { name: "Pipeline", exact: true }).click();
    await page.getByRole("heading", { name: "Identity: delivery pipeline" }).waitFor();
    const steps = page.locator("[data-testid=stage-flow] .flow-step");
    expect(await steps.count()).toBe(8); // seven stages and time to restore
    expect(await steps.first().innerText()).toMatch(/Coding[\s\S]*p90 /);
    const focus = page.locator("[data-testid=focus] .focus-item");
    expect(await focus.count()).toBeGreaterThanOrEqual(1);
    expect(await focus.count()).toBeLessThanOrEqual(3);
    const capability = await focus
      .first()
      .locator("a[href^='https://dora.dev/capabilities/']")
      .getAttribute("href");
    expect(capability).toMatch(/^https:\/\/dora\.dev\/capabilities\/[a-z-]+\/$/);
    expect(await focus.first().innerText()).toMatch(/If this .* would go from/);
    expect(await page.getByTestId("ci-health").innerText()).toMatch(/Success on the default branch/);
    await page.waitForFunction(
      () => document.querySelectorAll("[data-chart=stage-trend] svg.recharts-surface").length === 7,
      null,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: path.join(SHOTS, "pipeline.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, "pipeline-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("each stage links to the changes behind it, longest first", async () => {
    await page.goto(`${server.url}/teams/identity/pipeline`);
    await page.locator("[data-stage=waitDeploy] a").click();
    await page.getByRole("heading", { name: "Changes behind “Waiting for deployment”" }).waitFor();
    expect(page.url()).toContain("stage=waitDeploy");
    const rows = page.locator("[data-testid=stage-changes] tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    const hours = async (i: number) => (await rows.nth(i).locator("td").nth(1).innerText()).trim();
    expect(await hours(0)).not.toBe("–");
  });

  it("serves the pipeline API, and answers bad parameters with a 400 that says what to fix", async () => {
    const ok = await fetch(`${server.url}/api/v1/pipeline?team=billing-legacy`);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.stages.items).toHaveLength(7);
    expect(body.focus.length).toBeGreaterThanOrEqual(1);
    expect(body.focus[0].capability.url).toMatch(/^https:\/\/dora\.dev\/capabilities\//);
    expect(body.ci.runs).toBeGreaterThan(0);
    const bad = await fetch(`${server.url}/api/v1/pipeline?team=billing-legacy&granularity=hour`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe("granularity: must be day, week or month");
    const unknown = await fetch(`${server.url}/api/v1/pipeline?stage=ci`);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).issues[0].parameter).toBe("stage");
  });
});
