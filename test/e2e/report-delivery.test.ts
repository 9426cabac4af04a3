import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeChat, startFakeChat } from "@/test/fakes/mail/chat";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/mail/smtp";
import { SlackMessage } from "@/test/fixtures/chat-shapes";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * Settings → Reports in Chromium against the running server: bad input is refused at its field, a schedule is
 * created, "Send now" delivers to a real SMTP server and to a chat webhook, and the page shows what was sent.
 */
describe.skipIf(!browserTestsRun())("scheduled reports in Settings", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let smtp: FakeSmtp;
  let chat: FakeChat;

  beforeAll(async () => {
    [smtp, chat] = await Promise.all([startFakeSmtp(), startFakeChat()]);
    server = await startServer({
      THROUGHLINE_DEMO: "never",
      SMTP_URL: smtp.url,
      SMTP_FROM: "Throughline <reports@acme.test>",
      THROUGHLINE_SECRET_KEY: "e2e-secret-key-0123456789-0123456789",
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 950 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([smtp?.close(), chat?.close()]);
  });

  it("refuses a bad address at its field, then e-mails the report on Send now", async () => {
    await page.goto(`${server.url}/settings/reports`);
    await page.getByText("Nothing scheduled yet.").waitFor();
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.getByText("required: a name such as “Weekly digest”").waitFor();
    await page.getByText("required: at least one e-mail address").waitFor();

    await page.getByLabel("Name").fill("Weekly digest");
    await page.getByLabel("Recipients").fill("cto@acme.test, not-an-address");
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.getByText("is not an e-mail address (1)").waitFor();

    await page.getByLabel("Recipients").fill("cto@acme.test");
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.getByText("Scheduled “Weekly digest”.").waitFor();
    await page.getByRole("cell", { name: "Weekly, Monday 08:00", exact: false }).waitFor();

    await page.getByRole("button", { name: "Send Weekly digest now" }).click();
    await page
      .getByRole("cell", { name: /1 of 1 recipients: throughline-.*\.pdf/ })
      .waitFor({ timeout: 120_000 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.envelope.to).toEqual(["cto@acme.test"]);
    expect(smtp.received[0]?.parsed.attachments[0]?.contentType).toBe("application/pdf");
    await page.screenshot({ path: path.join(SHOTS, "settings-reports.png"), fullPage: true });
  });

  it("a Slack digest: a non-https URL is refused; the URL is never shown again", async () => {
    await page.goto(`${server.url}/settings/reports`);
    await page.getByLabel("Name").fill("Team channel");
    await page.getByLabel("Slack channel").check();
    await page.getByLabel("Incoming webhook URL").fill("ftp://hooks.example.com/x");
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page.getByText("must start with https://").waitFor();

    const url = chat.url("/slack/services/T1/B1/s3cr3tE2ePath");
    await page.getByLabel("Incoming webhook URL").fill(url);
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await page
      .getByText("Scheduled “Team channel”.")
      .waitFor()
      .catch(async (error: unknown) => {
        await page.screenshot({ path: path.join(SHOTS, "settings-reports-failed.png"), fullPage: true });
        throw new Error(`${(error as Error).message}\n${server.output().slice(-3000)}`);
      });
    await page.getByRole("button", { name: "Send Team channel now" }).click();
    await page.getByRole("cell", { name: /posted to 127\.0\.0\.1/ }).waitFor({ timeout: 120_000 });
    expect(chat.posts).toHaveLength(1);
    SlackMessage.parse(chat.posts[0]?.body);
    expect(await page.content()).not.toContain("s3cr3tE2ePath");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.screenshot({ path: path.join(SHOTS, "settings-reports-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 950 });
  });

  it("pausing shows it paused; deleting removes it", async () => {
    await page.goto(`${server.url}/settings/reports`);
    await page.getByRole("button", { name: "Pause Weekly digest" }).click();
    await page.getByRole("button", { name: "Resume Weekly digest" }).waitFor();
    await page.getByRole("button", { name: "Delete Team channel" }).click();
    await page.getByRole("button", { name: "Delete Team channel" }).waitFor({ state: "detached" });
  });
});
