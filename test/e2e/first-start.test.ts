import http from "node:http";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStartingPage } from "@/scripts/lib/starting-page";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { freePort } from "@/test/helpers/server";

/**
 * The first-start page in Chromium (scripts/lib/starting-page.ts): what `npm start` answers while it builds. A
 * visitor sees what is happening, the page follows the phases by itself, and it becomes the app once the app takes
 * the port. The app here is a stand-in server: `next start` taking over the port is what scripts/start.ts does.
 */
describe.skipIf(!browserTestsRun())("first-start page in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("says what is happening, follows the phases, and becomes the app when it is ready", async () => {
    const port = await freePort();
    const starting = await openStartingPage("127.0.0.1", port);
    expect(starting).not.toBeNull();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    let app: http.Server | null = null;
    try {
      const res = await page.goto(`http://127.0.0.1:${port}/teams/payments`);
      expect(res?.status()).toBe(503);
      await page.getByRole("heading", { name: "Throughline is starting" }).waitFor();
      expect(await page.locator("[data-phase]").innerText()).toMatch(/^Building the app \(\d+ s so far\)\.$/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(SHOTS, "first-start-390.png"), fullPage: true });

      // The page refreshes by itself (every 3 s): the next phase shows without a click.
      starting?.phase("Loading the demo organisation");
      await page.waitForFunction(
        () =>
          document.querySelector("[data-phase]")?.textContent?.startsWith("Loading the demo organisation"),
        null,
        { timeout: 60_000 },
      );

      // The app takes the port: the same tab shows it, at the address the visitor asked for.
      await starting?.close();
      app = http.createServer((req, res) => {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(
          `<!doctype html><title>Throughline</title><h1>Delivery overview</h1><p id="url">${req.url}</p>`,
        );
      });
      await new Promise<void>((r) => app?.listen(port, "127.0.0.1", () => r()));
      await page.getByRole("heading", { name: "Delivery overview" }).waitFor({ timeout: 60_000 });
      expect(await page.locator("#url").innerText()).toBe("/teams/payments");
    } finally {
      await page.close();
      await starting?.close().catch(() => {});
      await new Promise((r) => (app ? app.close(r) : r(null)));
    }
  });
});
