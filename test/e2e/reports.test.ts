import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * A manager's path on the demo organisation: Reports → a team, last quarter → the report page, whose figures are
 * the API's; the PDF and CSV links download a PDF and a ZIP; the page prints cleanly; the CLI works while the server
 * holds the embedded database.
 */
describe.skipIf(!browserTestsRun())("reports in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("Reports → Payments, last quarter → the report page, with the API's figures", async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
    await page.getByLabel("Report on").selectOption("payments");
    const period = await page.getByLabel("Period").inputValue();
    expect(period).toMatch(/^\d{4}-Q[1-4]$/);
    await page.screenshot({ path: path.join(SHOTS, "reports-form.png"), fullPage: true });
    await page.getByRole("button", { name: "View report" }).click();
    await page.waitForURL(/\/reports\/view\?team=payments&period=\d{4}-Q[1-4]/);
    await page.getByRole("heading", { name: "Payments", level: 1 }).waitFor();
    expect(await page.getByTestId("report-period").innerText()).toContain("compared with");

    const api = await (
      await fetch(`${server.url}/api/v1/reports?team=payments&period=${period}&format=json`)
    ).json();
    for (const m of api.summary as { key: string; value: string }[]) {
      expect(await page.getByTestId(`report-${m.key}`).innerText(), m.key).toBe(m.value);
    }
    const sentences = await page.getByTestId("narrative").locator("li").allInnerTexts();
    expect(sentences).toEqual((api.narrative as { text: string }[]).map((s) => s.text));
    expect(await page.locator("svg.report-svg").count()).toBe(5);
    for (const section of ["summary", "trends", "breakdown", "calms", "data", "definitions"]) {
      expect(await page.locator(`[data-section="${section}"]`).count(), section).toBe(1);
    }
    // The demo's latest closed survey round, as the API has it.
    expect(await page.locator('[data-section="calms"]').innerText()).toContain(api.calms.round.name);
    await page.screenshot({ path: path.join(SHOTS, "report-page.png"), fullPage: true });
  });

  it("the PDF and CSV links download a PDF and a ZIP of CSVs", async () => {
    const pdfHref = await page.getByRole("link", { name: "PDF", exact: true }).getAttribute("href");
    const pdf = await fetch(new URL(pdfHref ?? "", server.url));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(
      /^attachment; filename="throughline-payments-\d{4}-Q[1-4]\.pdf"$/,
    );
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");

    const csvHref = await page.getByRole("link", { name: "CSV (ZIP)" }).getAttribute("href");
    const csv = await fetch(new URL(csvHref ?? "", server.url));
    expect(csv.headers.get("content-type")).toBe("application/zip");
    expect(
      Buffer.from(await csv.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");

    const one = await fetch(`${server.url}/api/v1/reports?period=last-month&format=csv&dataset=deployments`);
    expect(one.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const body = Buffer.from(await one.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 byte-order mark
    expect(body.subarray(3).toString("utf8").split("\r\n")[0]).toMatch(/^deployment_id,team,repository,/);
  });

  it("prints on clean pages: no navigation or buttons, a page break before each section", async () => {
    await page.emulateMedia({ media: "print" });
    try {
      expect(await page.locator(".topbar").isVisible()).toBe(false);
      expect(await page.locator(".report .report-actions").isVisible()).toBe(false);
      const breaks = await page
        .locator(".report-section")
        .evaluateAll((els) => els.map((e) => getComputedStyle(e).breakBefore));
      // Summary, trends, where lead time goes, where to focus (issue 16), CALMS, what fed the data, definitions:
      // each section after the first starts a page.
      expect(breaks).toEqual(["auto", ...Array(breaks.length - 1).fill("page")]);
      expect(breaks.length).toBeGreaterThanOrEqual(6);
      await page.screenshot({ path: path.join(SHOTS, "report-print.png"), fullPage: true });
      const printed = await page.pdf({ format: "A4", printBackground: true });
      fs.writeFileSync(path.join(SHOTS, "report-print.pdf"), printed);
    } finally {
      await page.emulateMedia({ media: "screen" });
    }
  });

  it("answers bad parameters with a 400 that names them", async () => {
    const cases: [string, string][] = [
      [
        "team=payments",
        "period: required: 2026-Q3, 2026-09, 2026, 2026-07-01..2026-09-30, last-quarter, last-month, last-week or a number of days such as 90d",
      ],
      ["period=2026-Q3&format=doc", "format: must be pdf, csv or json"],
      [
        "period=2026-Q5",
        "period: '2026-Q5' is not a period: use 2026-Q3, 2026-09, 2026, 2026-07-01..2026-09-30, last-quarter, last-month, last-week or a number of days such as 90d",
      ],
      ["period=2026-Q3&team=nobody", "team: unknown team 'nobody'"],
      ["period=2026-Q3&format=pdf&dataset=changes", "dataset: only with format=csv"],
      [
        "period=2026-Q3&teams=payments",
        "teams: unknown parameter (expected team, period, format, dataset, paper)",
      ],
    ];
    for (const [query, message] of cases) {
      const res = await fetch(`${server.url}/api/v1/reports?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).message, query).toBe(message);
    }
  });

  it("npm run report while the server holds the embedded database: built in the server, written here", () => {
    const out = path.join(server.dataDir, "out");
    const run = spawnSync(
      process.execPath,
      [
        "node_modules/tsx/dist/cli.mjs",
        "scripts/report.ts",
        "--team",
        "payments",
        "--period",
        "last-quarter",
        "--out",
        `${out}/`,
      ],
      { env: { ...process.env, DATABASE_URL: "", THROUGHLINE_DATA_DIR: server.dataDir }, encoding: "utf8" },
    );
    expect(run.stderr).toContain("holds the embedded database: sending 'report' to it");
    expect(run.status).toBe(0);
    const [file] = fs.readdirSync(out);
    expect(file).toMatch(/^throughline-payments-\d{4}-Q[1-4]\.pdf$/);
    expect(
      fs
        .readFileSync(path.join(out, file as string))
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });
});
