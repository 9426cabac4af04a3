import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeData, sampleRepository, startFakeGitHub } from "@/test/fakes/github";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * The zero-setup path end to end: `next start` on an empty embedded database loads the demo organisation; a real
 * Chromium opens the team dashboard, sees the charts, changes a filter and sees the URL and the figures change.
 */
describe.skipIf(!browserTestsRun())("team dashboard in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({}, { until: "listening", emptyDatabase: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  // No time limit of its own: how long the demo takes to load says nothing about the app (minutes on a busy machine).
  it("answers at once while the first start loads the demo, with its progress, then serves the dashboard", {
    timeout: 1_800_000,
  }, async () => {
    // The server listens once its database is migrated; the demo (20 repositories, seconds of work) loads after.
    const first = await fetch(`${server.url}/teams/payments`);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("3");
    expect(await first.text()).toMatch(/Loading the demo: \d+ of (0|20) repositories \(\d+ s so far\)/);
    await page.goto(`${server.url}/`, { timeout: 0 });
    if (await page.getByText("Throughline is starting").isVisible())
      await page.screenshot({ path: path.join(SHOTS, "first-start.png") });
    // The page refreshes itself into the dashboard once the demo is in.
    await page.getByRole("heading", { name: "Delivery overview" }).waitFor({ timeout: 0 });
  });

  it("loads the demo organisation on first start and shows the org overview", async () => {
    for (;;) {
      // A server busy loading may drop a kept-alive connection (ECONNRESET): ask again.
      const ready = await fetch(`${server.url}/api/health`).catch(() => null);
      if (ready?.ok) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", database: "pglite", demo: "loaded" });
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: "Delivery overview" }).waitFor();
    expect(await page.locator('[data-testid="teams-table"] tbody tr').count()).toBe(6);
    await page.getByText("Demo data.").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "overview.png"), fullPage: true });
  });

  it("shows a team's five metrics and its charts", async () => {
    await page.goto(`${server.url}/teams/payments`);
    await page.getByRole("heading", { name: "Payments", level: 1 }).waitFor();
    for (const id of [
      "deployment-frequency",
      "change-lead-time",
      "change-failure-rate",
      "recovery-time",
      "rework-rate",
    ]) {
      const value = await page.getByTestId(`${id}-value`).innerText();
      expect(value.trim(), id).not.toBe("");
    }
    await page.waitForFunction(() => document.querySelectorAll("svg.recharts-surface").length >= 4, null, {
      timeout: 60_000,
    });
    expect(await page.locator("[data-chart]").count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: path.join(SHOTS, "team.png"), fullPage: true });
  });

  it("changing a filter changes the URL and the figures", async () => {
    await page.goto(`${server.url}/teams/payments`);
    const before = await page.getByTestId("deployment-frequency-value").locator("..").innerText();
    const label = page.getByTestId("period-label");
    const labelBefore = await label.innerText();
    await page.getByLabel("Period", { exact: true }).selectOption("30d");
    await page.waitForURL(/period=30d/);
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid="period-label"]')?.textContent !== old,
      labelBefore,
    );
    expect(await label.innerText()).toContain("(30 days)");
    const after = await page.getByTestId("deployment-frequency-value").locator("..").innerText();
    expect(after).not.toEqual(before); // "n deployments in 30 days" vs "in 90 days"

    await page.getByLabel("Environment", { exact: true }).selectOption("staging");
    await page.waitForURL(/env=staging/);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="period-label"]')?.textContent?.includes("staging"),
    );
    expect(page.url()).toMatch(/period=30d/);
  });

  it("drills down from the dashboard to a deployment and what it shipped", async () => {
    await page.goto(`${server.url}/deployments?team=payments&outcome=failed`);
    const first = page.locator("tbody tr td a").first();
    await first.click();
    await page.waitForURL(/\/deployments\/\d+$/);
    await page.getByRole("heading", { name: "Outcome" }).waitFor();
    expect(await page.getByText("change failure").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, "deployment.png"), fullPage: true });
  });

  it("a number → its rows: the failure rate's sample opens exactly the failed deployments it counts", async () => {
    await page.goto(`${server.url}/teams/payments?period=180d`);
    const sample = await page.getByTestId("change-failure-rate-rows").innerText();
    const failed = Number(/^(\d+) of /.exec(sample.trim())?.[1]);
    expect(failed).toBeGreaterThan(0);
    await page.getByTestId("change-failure-rate-rows").click();
    await page.waitForURL(/\/deployments\?.*outcome=failed/);
    expect(page.url()).toMatch(/team=payments/);
    expect(page.url()).toMatch(/period=180d/);
    await page.getByRole("heading", { name: "Deployments", level: 1 }).waitFor();
    expect(await page.locator(".page-head p").innerText()).toMatch(
      new RegExp(`· ${failed.toLocaleString("en-US")} deployments?$`),
    );

    // A chart bucket's number opens that bucket's days.
    await page.goto(`${server.url}/teams/payments`);
    const table = page.locator('[data-chart="chart-deployments"] details');
    await table.locator("summary").click();
    const cell = table.locator("tbody tr td:nth-child(2) a").nth(3);
    const count = Number((await cell.innerText()).trim());
    await cell.click();
    await page.waitForURL(/\/deployments\?.*from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/);
    expect(await page.locator(".page-head p").innerText()).toMatch(
      new RegExp(`· ${count.toLocaleString("en-US")} deployments?$`),
    );
  });

  it("an empty period: no data is not zero (no figure, no band, no trend, and the data panel says why)", async () => {
    await page.goto(`${server.url}/teams/payments?from=2001-01-01&to=2001-03-31`);
    await page.getByRole("heading", { name: "Payments", level: 1 }).waitFor();
    expect((await page.getByTestId("deployment-frequency-value").innerText()).trim()).toBe("–");
    const card = page.locator('[data-metric="deployment-frequency"]');
    expect(await card.locator(".band").innerText()).toBe("No data");
    expect(await card.locator(".trend").innerText()).toBe("No data to compare");
    expect(await card.innerText()).toContain("after this period");
    const panel = page.getByTestId("quality-panel");
    expect(await panel.innerText()).not.toContain("Nothing to flag");
    expect(await panel.locator('[data-code="no_data"]').count()).toBe(1);
    expect(await page.locator(".band-low").count()).toBe(0);
    // Empty charts say so instead of drawing bare axes.
    await page.getByTestId("chart-deployments-empty").waitFor();
    expect(await page.getByTestId("chart-recovery-empty").innerText()).toContain("nothing to draw");
    await page.screenshot({ path: path.join(SHOTS, "empty-period.png"), fullPage: true });
  });

  it("trends: better or worse only when clear for the sample, with the interval on hover", async () => {
    await page.goto(`${server.url}/?period=30d`);
    const trends = page.locator(".metric .trend");
    expect(await trends.count()).toBe(5);
    for (const t of await trends.all()) {
      const state = await t.getAttribute("data-trend");
      const title = (await t.getAttribute("title")) ?? "";
      const text = await t.innerText();
      if (state === "flat") {
        expect(text).toContain("No clear change");
        expect(title).toMatch(/No clear change: |held steady|too small to matter/);
      } else if (state === "better" || state === "worse") {
        expect(title).toContain("a clear change for its sample");
        expect(title).toMatch(/95% interval of the change: /);
        expect(text).toMatch(/[▲▼]/);
      } else {
        expect(text).toBe("No data to compare");
      }
    }
  });

  it("a clear and an unclear trend: colour and arrow only where the interval excludes no change", async () => {
    let clear: string | null = null;
    let unclear: string | null = null;
    // Long periods of busy slices give clear changes; a month of the monthly-release team gives too few to tell.
    for (const url of ["/?period=180d", "/teams/payments?period=180d", "/teams/billing-legacy?period=30d"]) {
      await page.goto(`${server.url}${url}`);
      for (const t of await page.locator(".metric .trend").all()) {
        const state = await t.getAttribute("data-trend");
        const title = (await t.getAttribute("title")) ?? "";
        const text = await t.innerText();
        if (!clear && (state === "better" || state === "worse")) {
          expect(title).toMatch(/^95% interval of the change: .+a clear change for its sample$/);
          expect(text).toMatch(/^[▲▼] /);
          expect(await t.evaluate((e) => getComputedStyle(e).color)).not.toBe(
            await page.evaluate(() => getComputedStyle(document.body).color),
          );
          clear = `${url}: ${text}`;
        }
        if (!unclear && state === "flat" && /No clear change: /.test(title)) {
          expect(text).toMatch(/^≈ No clear change/);
          expect(text).not.toMatch(/[▲▼]/);
          unclear = `${url}: ${title}`;
        }
      }
    }
    expect(clear, "a clear change somewhere in the demo").not.toBeNull();
    expect(unclear, "an unclear change somewhere in the demo").not.toBeNull();
  });

  it("the overview's teams table fits its card at 1366 px and stacks on a phone", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const wide = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await wide.goto(`${server.url}/`);
      const wrap = wide.getByTestId("teams-table-wrap");
      const fit = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
      expect(fit.scroll).toBeLessThanOrEqual(fit.client);
      await wide.screenshot({ path: path.join(SHOTS, "overview-1366.png"), fullPage: true });

      await phone.goto(`${server.url}/`);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const rework = phone
        .locator('[data-testid="teams-table"] tbody tr')
        .first()
        .locator('td[data-label="Rework rate"]');
      const box = await rework.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      expect(await rework.locator("a.v").isVisible()).toBe(true);
      await phone.screenshot({ path: path.join(SHOTS, "overview-390.png"), fullPage: true });
    } finally {
      await phone.close();
      await wide.close();
    }
  });

  it("the phone menu: every section in sight (no sideways scrolling), and it navigates", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${server.url}/teams/payments`);
      const nav = phone.getByRole("navigation", { name: "Main" });
      const links = nav.getByRole("link");
      expect(await links.allInnerTexts()).toEqual([
        "Overview",
        "Deployments",
        "Reports",
        "CALMS",
        "Settings",
      ]);
      for (const link of await links.all()) {
        const box = await link.boundingBox();
        // Inside the screen on both axes: a fixed-height bar once pushed the first row above the top.
        expect(box && box.x >= 0 && box.x + box.width <= 390 && box.y >= 0, await link.innerText()).toBe(
          true,
        );
      }
      expect(await nav.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: path.join(SHOTS, "menu-390.png") });
      await nav.getByRole("link", { name: "Reports" }).click();
      await phone.waitForURL(/\/reports$/);
      expect(await nav.getByRole("link", { name: "Reports" }).getAttribute("aria-current")).toBe("page");
    } finally {
      await phone.close();
    }
  });

  it("navigation feedback: a bar runs from the click until the page arrives, with no loading boundary", async () => {
    const p = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    try {
      await p.goto(`${server.url}/teams/payments`);
      const bar = p.getByTestId("nav-progress");
      expect(await bar.getAttribute("data-state")).toBe("idle");
      // Hold every request for the deployments page until the bar has been seen running: no race with the clock.
      await p.route(
        (url) => url.pathname === "/deployments",
        async (route) => {
          await held;
          await route.continue();
        },
      );
      await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deployments" }).click();
      await p.waitForFunction(
        () =>
          document.querySelector('[data-testid="nav-progress"]')?.getAttribute("data-state") === "loading",
      );
      release();
      await p.waitForURL(/\/deployments$/);
      await p.getByRole("heading", { name: "Deployments", level: 1 }).waitFor();
      await p.waitForFunction(
        () =>
          document.querySelector('[data-testid="nav-progress"]')?.getAttribute("data-state") !== "loading",
      );
    } finally {
      release();
      await p.close();
    }
  });

  it("serves the metrics API, and answers bad parameters with a 400 that says what to fix", async () => {
    const ok = await fetch(`${server.url}/api/v1/metrics?team=payments`);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.metrics.deploymentFrequency.deployments).toBeGreaterThan(0);
    const bad = await fetch(`${server.url}/api/v1/metrics?team=payments&from=2026-13-01`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe("from: must be a calendar date written YYYY-MM-DD");
    const unknown = await fetch(`${server.url}/api/v1/metrics?team=nobody`);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).message).toBe("team: unknown team 'nobody'");
  });

  it("npm run ingest while the server runs: the sync runs in the server and Settings > Sources shows it", async () => {
    const fake = await startFakeGitHub({ data: fakeData(sampleRepository().b) });
    const configFile = path.join(server.dataDir, "throughline.config.yaml");
    fs.writeFileSync(
      configFile,
      "github: { repositories: [acme/api], since: 2026-01-01 }\nincidents: { labels: [incident] }\n",
    );
    try {
      const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ["node_modules/tsx/dist/cli.mjs", "scripts/ingest.ts", "github", "--config", configFile],
          {
            env: {
              ...process.env,
              DATABASE_URL: "",
              THROUGHLINE_DATA_DIR: server.dataDir,
              GITHUB_TOKEN: "test-token",
              GITHUB_API_URL: fake.url,
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
      expect(run.out).toContain("holds the embedded database: sending 'ingest' to it");
      expect(run.out).toMatch(/\[1\/1\] acme\/api: commits 11/);
      expect(run.out).not.toContain("test-token");
      expect(run.code).toBe(0);
      await page.goto(`${server.url}/settings/sources`);
      await page.getByRole("cell", { name: "acme/api" }).waitFor();
      expect(await page.getByText("ok", { exact: true }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SHOTS, "sources.png"), fullPage: true });
    } finally {
      await fake.close();
    }
  });

  it("a CLI run while the server holds the embedded database goes through the server", () => {
    const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/migrate.ts"], {
      env: { ...process.env, DATABASE_URL: "", THROUGHLINE_DATA_DIR: server.dataDir },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("holds the embedded database: sending 'db:migrate' to it");
    expect(run.stdout).toContain("the database is up to date.");
    expect(run.status).toBe(0);
  });
});
