import { spawn } from "node:child_process";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLibrary, type Library, RELEASE_TAGS } from "@/test/fixtures/library";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * A library read from its clone while the server runs (the CLI hands the job to the server): a maintenance release's
 * page says which line it belongs to and which release it follows; the organisation settings take the windows.
 */
describe.skipIf(!browserTestsRun())("release lines in the app", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let lib: Library;

  beforeAll(async () => {
    lib = buildLibrary();
    server = await startServer({ THROUGHLINE_DEMO: "never" });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    lib?.repo.remove();
  });

  it("npm run ingest -- git, sent to the running server, then a maintenance release's page", async () => {
    const cli = spawn(
      process.execPath,
      [
        "node_modules/tsx/dist/cli.mjs",
        "scripts/ingest.ts",
        "git",
        "--path",
        lib.repo.dir,
        "--repo",
        "acme/lib",
        "--deploy-tags-regex",
        RELEASE_TAGS,
      ],
      { env: { ...process.env, DATABASE_URL: "", THROUGHLINE_DATA_DIR: server.dataDir }, stdio: "pipe" },
    );
    let out = "";
    cli.stdout.on("data", (d) => {
      out += d;
    });
    cli.stderr.on("data", (d) => {
      out += d;
    });
    const code = await new Promise((r) => cli.once("exit", r));
    expect(code, out).toBe(0);
    expect(out).toMatch(/tags: 7 match \/\^\\d\+\\\.\\d\+\\\.\\d\+\$\/ → deployments to production/);

    // A fresh database numbers the deployments in tag order: 1.0.0, 1.1.0, 1.1.1, 1.1.2, …
    await page.goto(`${server.url}/deployments/4`);
    await page.getByText("tag:1.1.2").waitFor();
    expect(await page.locator("dt:has-text('Follows') + dd").innerText()).toMatch(/^1\.1\.1 · /);
    expect(await page.locator("dt:has-text('Release line') + dd").innerText()).toBe(
      "inferred: the line started by 1.1.1",
    );
    expect(await page.getByRole("heading", { name: /Shipped 1 commit/ }).count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "deployment-release-line.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, "deployment-release-line-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("Settings → Organisation takes the rollback and revert windows, and says what is wrong", async () => {
    await page.goto(`${server.url}/settings`);
    await page.getByLabel("Rollback window (hours)").fill("9000");
    await page.getByLabel("Revert window (hours)").fill("48");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("At most 8760 hours (a year)").waitFor();
    await page.getByLabel("Rollback window (hours)").fill("24");
    await page.getByLabel("Revert window (hours)").fill("48");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    expect(await page.getByLabel("Rollback window (hours)").inputValue()).toBe("24");
    expect(await page.getByLabel("Revert window (hours)").inputValue()).toBe("48");
    await page.screenshot({ path: path.join(SHOTS, "settings-windows.png"), fullPage: true });
  });
});
