import path from "node:path";
import { Webhooks } from "@octokit/webhooks";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

const SECRET = "e2e-webhook-secret-0123456789";
const sha = (c: string) => c.repeat(40).slice(0, 40);

/**
 * The push side through the running server: an admin creates an API token in Settings, a pipeline reports
 * deployments with it over HTTP, GitHub delivers a signed webhook, and the admin corrects a deployment on its page;
 * the figures, the chips and the history follow.
 */
describe.skipIf(!browserTestsRun())("push API, webhooks and corrections through the server", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let token = "";

  beforeAll(async () => {
    server = await startServer({ THROUGHLINE_DEMO: "never", GITHUB_WEBHOOK_SECRET: SECRET });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1300, height: 950 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("an admin creates a token in Settings → API tokens; it is shown once", async () => {
    await page.goto(`${server.url}/settings/api-tokens`);
    await page.getByLabel("Name").fill("jenkins");
    await page.getByRole("button", { name: "Create token" }).click();
    const field = page.getByLabel("Your new token");
    await field.waitFor();
    token = await field.inputValue();
    expect(token).toMatch(/^tl_[\w-]{43}$/);
    await page.screenshot({ path: path.join(SHOTS, "api-tokens.png"), fullPage: true });
    await page.reload();
    expect(await page.getByLabel("Your new token").count()).toBe(0);
    await page.getByRole("cell", { name: token.slice(0, 9), exact: false }).waitFor();
  });

  it("a pipeline reports deployments over HTTP; errors are 4xx that say what to fix", async () => {
    const deploy = (id: string, c: string, finishedAt: string, extra: object = {}) =>
      post(
        "/api/v1/deployments",
        { id, repository: "acme/pay", environment: "production", sha: sha(c), finishedAt, ...extra },
        { "idempotency-key": id },
      );
    const commits = (c: string, at: string) => [{ sha: sha(c), authoredAt: at, title: `change ${c}` }];
    expect(
      (await deploy("b1", "a", "2026-11-02T08:00:00Z", { commits: commits("a", "2026-11-02T07:00:00Z") }))
        .status,
    ).toBe(201);
    const second = await deploy("b2", "b", "2026-11-02T12:00:00Z", {
      commits: commits("b", "2026-11-02T09:00:00Z"),
    });
    expect(second.status).toBe(201);
    const retried = await deploy("b2", "b", "2026-11-02T12:00:00Z", {
      commits: commits("b", "2026-11-02T09:00:00Z"),
    });
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    const bad = await post("/api/v1/deployments", {
      repository: "acme/pay",
      environment: "production",
      sha: "xyz",
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      message: "sha: must be a full commit SHA (40 hexadecimal characters)",
    });
    const anonymous = await fetch(`${server.url}/api/v1/deployments`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    expect(doc.paths["/api/v1/deployments"].post.summary).toBe("Report a deployment");
  });

  it("GitHub webhooks: signed deliveries are processed once, others refused", async () => {
    const body = JSON.stringify({
      action: "created",
      repository: { full_name: "acme/hooked", default_branch: "main" },
      deployment: {
        id: 77,
        sha: sha("c"),
        ref: "main",
        environment: "production",
        created_at: "2026-11-02T10:00:00Z",
      },
      deployment_status: { state: "success", created_at: "2026-11-02T10:05:00Z" },
    });
    const deliver = (signature: string) =>
      fetch(`${server.url}/api/webhooks/github`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "deployment_status",
          "x-github-delivery": "e2e-1",
          "x-hub-signature-256": signature,
        },
        body,
      });
    expect((await deliver("sha256=00")).status).toBe(401);
    const signature = await new Webhooks({ secret: SECRET }).sign(body);
    expect((await deliver(signature)).status).toBe(202);
    expect(await (await deliver(signature)).json()).toMatchObject({
      status: "ignored",
      note: "already received",
    });
    await page.goto(`${server.url}/settings/sources`);
    await page.getByRole("cell", { name: "acme/hooked" }).waitFor();
  });

  it("an admin marks a deployment failed on its page: reason, author and the figure change together", async () => {
    // Deployment 2 is b2 (ids follow arrival on the fresh database).
    // Pushed data is derived a moment after the request (deriveSoon); the page says so until then.
    for (let tries = 0; ; tries++) {
      await page.goto(`${server.url}/deployments/2`);
      await page.getByRole("heading", { name: "Corrections" }).waitFor();
      if ((await page.getByText("Not derived yet.").count()) === 0) break;
      if (tries > 50) throw new Error("deployment 2 was never derived");
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.getByLabel("What is wrong?").selectOption("deployment_failed");
    await page.getByLabel("Why").fill("Card payments broke; no incident was opened");
    await page.getByRole("button", { name: "Save correction" }).click();
    await page.getByText("Corrected. The figures below include it.").waitFor();
    await page.getByText("Marked failed by hand by Local admin").waitFor();
    const history = page.getByRole("list", { name: "Correction history" });
    expect(await history.innerText()).toContain("Card payments broke; no incident was opened");
    await page.screenshot({ path: path.join(SHOTS, "corrections.png"), fullPage: true });

    await page.goto(`${server.url}/deployments?outcome=corrected`);
    await page.getByText("corrected", { exact: true }).first().waitFor();
    // Revoking restores what the sources say.
    await page.goto(`${server.url}/deployments/2`);
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByText(/revoked by Local admin/).waitFor();
    expect(await page.getByText("Counted as a change failure").count()).toBe(0);
  });
});
