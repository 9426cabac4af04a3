import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretKey } from "@/lib/delivery/secret-box";
import { unsubscribePath } from "@/lib/delivery/unsubscribe";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/mail/smtp";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { freePort, startServer, type TestServer } from "@/test/helpers/server";

const KEY = "e2e-survey-mail-key-0123456789-0123456789";
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `survey-mail-${name}.png`), fullPage: true });

/**
 * Survey links by e-mail and the round page's confirmations (ADR 0024, issue 15 §7) on `next start` with a real SMTP
 * server: the paste-list form refuses a bad line and keeps the text, each person gets their own link, an answered
 * link leaves the list, "Send reminder" goes to the others only, "Close round now" asks first (without JavaScript
 * too) and forgets the addresses; Copy says "Press Ctrl+C" when the clipboard refuses; local links are warned about.
 * Then a report e-mail's unsubscribe link: GET asks, POST unsubscribes, Settings → Reports re-adds.
 */
describe.skipIf(!browserTestsRun())("survey links by e-mail, in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: Page;
  let smtp: FakeSmtp;
  let roundPath = "";

  const linkIn = (text: string) => /https?:\/\/\S+\/survey\/[A-Za-z0-9_-]{43}/.exec(text)?.[0] as string;
  /** The mail queue runs as a job: wait for the mails, never for a fixed time. */
  async function mailsFor(count: number) {
    for (let i = 0; smtp.received.length < count; i++) {
      if (i > 600)
        throw new Error(`${smtp.received.length} of ${count} mails:\n${server.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    const port = await freePort();
    server = await startServer(
      {
        THROUGHLINE_DEMO: "never",
        SMTP_URL: smtp.url,
        SMTP_FROM: "Throughline <survey@acme.test>",
        THROUGHLINE_SECRET_KEY: KEY,
        AUTH_URL: `http://127.0.0.1:${port}`,
      },
      { port },
    );
    browser = await launchChromium();
    admin = await browser.newPage({ viewport: { width: 1366, height: 950 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it("an admin makes a team and a round; the round warns that 127.0.0.1 links open only here", async () => {
    await admin.goto(`${server.url}/settings/teams`);
    await admin.getByLabel("Name", { exact: true }).fill("Payments");
    await admin.getByLabel("Slug", { exact: true }).fill("payments");
    await admin.getByRole("button", { name: "Create team" }).click();
    await admin.waitForURL(/\/settings\/teams\/payments/);

    await admin.goto(`${server.url}/settings/survey/new`);
    await admin.getByLabel("Title").fill("Mailed check");
    await admin.getByRole("checkbox", { name: /^Payments/ }).check();
    await admin.getByRole("button", { name: "Create round and links" }).click();
    roundPath = (await admin.getByRole("link", { name: "Open the round" }).getAttribute("href")) as string;
    await admin.goto(`${server.url}${roundPath}`);
    await admin
      .getByTestId("local-links-warning")
      .getByText(/only this computer can open them/)
      .waitFor();
  });

  it("refuses a bad line by its number and keeps the text; then mails one link per person", async () => {
    const area = admin.getByLabel("E-mail addresses for Payments");
    await area.fill("ada@acme.test\nbob@\nADA@acme.test");
    await admin.getByRole("button", { name: "Mail the links" }).click();
    await admin.getByText("Line 2: “bob@” is not an e-mail address").waitFor();
    expect(await area.inputValue()).toBe("ada@acme.test\nbob@\nADA@acme.test");
    expect(smtp.received).toHaveLength(0);

    await area.fill("ada@acme.test\nBob Builder <bob@acme.test>, ADA@acme.test");
    await admin.getByRole("button", { name: "Mail the links" }).click();
    await admin.getByText("2 links queued for sending; 1 repeated address counted once.").waitFor();
    await mailsFor(2);
    expect(smtp.received.map((m) => m.envelope.to[0]).sort()).toEqual(["ada@acme.test", "bob@acme.test"]);
    for (const m of smtp.received) expect(m.parsed.subject).toBe("CALMS survey: Mailed check");
    await admin.reload();
    const mailed = admin.locator("table[data-testid^='mailed-']");
    await mailed.getByRole("row", { name: /ada@acme\.test.*sent/ }).waitFor();
    await mailed.getByRole("row", { name: /bob@acme\.test.*sent/ }).waitFor();
    expect(await admin.getByTestId("links-issued").textContent()).toContain("2 single-use links created");
    await shot(admin, "round");
  });

  it("the mailed link answers once; its address leaves the list; the reminder goes to the other only, same link", async () => {
    const adaLink = linkIn(
      smtp.received.find((m) => m.envelope.to[0] === "ada@acme.test")?.parsed.text ?? "",
    );
    const bobLink = linkIn(
      smtp.received.find((m) => m.envelope.to[0] === "bob@acme.test")?.parsed.text ?? "",
    );
    const person = await browser.newPage();
    await person.goto(adaLink);
    await person.evaluate(() => {
      for (const fieldset of document.querySelectorAll("fieldset.survey-item"))
        fieldset.querySelector<HTMLInputElement>('input[type="radio"]')?.click();
    });
    await person.getByRole("button", { name: "Send my answers" }).click();
    await person.getByText("Thank you: your answers are in.").waitFor();
    await person.close();

    await admin.reload();
    const mailed = admin.locator("table[data-testid^='mailed-']");
    await mailed.getByRole("row", { name: /bob@acme\.test/ }).waitFor();
    expect(await mailed.getByText("ada@acme.test").count()).toBe(0);

    await admin.getByRole("button", { name: "Send reminder (1)" }).click();
    await admin.getByText("Reminder queued for 1 person who has not answered yet.").waitFor();
    await mailsFor(3);
    const reminder = smtp.received[2];
    expect(reminder?.envelope.to).toEqual(["bob@acme.test"]);
    expect(reminder?.parsed.subject).toBe("Reminder: CALMS survey: Mailed check");
    expect(linkIn(reminder?.parsed.text ?? "")).toBe(bobLink);
  });

  it("Copy all says Copied only when the clipboard took it; otherwise selects the links and says Press Ctrl+C", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Object.defineProperty(navigator, "clipboard", {
        value: { writeText: () => Promise.reject(new Error("denied")) },
      });
    });
    const page = await context.newPage();
    await page.goto(`${server.url}${roundPath}`);
    await page.getByRole("spinbutton", { name: "How many single-use links for Payments" }).fill("2");
    await page.getByRole("button", { name: "Create links for Payments" }).click();
    const area = page.getByTestId("respondent-links");
    await area.waitFor();
    await page.getByRole("button", { name: "Copy all" }).click();
    await page.getByRole("button", { name: /^Press (Ctrl|⌘)\+?C$/ }).waitFor();
    const selected = await area.evaluate((t: HTMLTextAreaElement) => [
      t.selectionStart,
      t.selectionEnd,
      t.value.length,
    ]);
    expect(selected).toEqual([0, selected[2], selected[2]]);
    await context.close();

    const granted = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const ok = await granted.newPage();
    await ok.goto(`${server.url}${roundPath}`);
    await ok.getByRole("button", { name: "Create links for Payments" }).click();
    await ok.getByTestId("respondent-links").waitFor();
    await ok.getByRole("button", { name: "Copy all" }).click();
    await ok.getByRole("button", { name: "Copied" }).waitFor();
    await granted.close();
  });

  it("New link of a shared team link asks first; the old link works until the admin confirms", async () => {
    await admin.goto(`${server.url}/settings/survey/new`);
    await admin.getByLabel("Title").fill("Shared check");
    await admin.getByRole("checkbox", { name: /^Payments/ }).check();
    await admin.getByRole("radio", { name: /One shared link per team/ }).check();
    await admin.getByRole("button", { name: "Create round and links" }).click();
    const first = await admin.getByRole("textbox", { name: "Link for Payments" }).inputValue();
    const href = (await admin.getByRole("link", { name: "Open the round" }).getAttribute("href")) as string;
    await admin.goto(`${server.url}${href}`);
    const replace = admin.getByRole("button", { name: "Replace the link" });
    expect(await replace.isVisible()).toBe(false);
    await admin.locator("summary", { hasText: "New link" }).click();
    await replace.waitFor();
    // Only asked so far: the first link still opens the form.
    expect((await fetch(first)).status).toBe(200);
    expect(await (await fetch(first)).text()).toContain("Shared check");
    await replace.click();
    const renewed = await admin.getByRole("textbox", { name: "Link for Payments" }).inputValue();
    expect(renewed).not.toBe(first);
    expect(await (await fetch(first)).text()).not.toContain("Send my answers");
  });

  it("Close round now asks first, works without JavaScript, and forgets the mailed addresses", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}${roundPath}`);
    const confirm = page.getByRole("button", { name: "Yes, close the round" });
    expect(await confirm.isVisible()).toBe(false);
    await page.locator("summary", { hasText: "Close round now" }).click();
    await confirm.waitFor();
    await shot(page, "close-confirm");
    // Opening the step changed nothing: the round still takes answers.
    expect(await page.getByTestId("mail-section").count()).toBe(1);
    await confirm.click();
    await page.getByText("The round is closed").waitFor();
    expect(await page.getByTestId("mail-section").count()).toBe(0);
    await context.close();
  });

  it("a report e-mail's unsubscribe link: GET asks, the button unsubscribes, one-click POST works, an admin re-adds", async () => {
    const key = secretKey({ THROUGHLINE_SECRET_KEY: KEY } as unknown as NodeJS.ProcessEnv);
    const page = await browser.newPage();
    const url = `${server.url}${unsubscribePath("cto@acme.test", key)}`;
    await page.goto(url);
    await page.getByRole("heading", { name: "Unsubscribe from Throughline reports?" }).waitFor();
    // Opening the link (as a scanner does) unsubscribed nobody.
    await admin.goto(`${server.url}/settings/reports`);
    expect(await admin.getByTestId("unsubscribed").count()).toBe(0);
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
    await page.close();

    // A mail client's one-click request (RFC 8058): no cookie, no browser.
    const oneClick = await fetch(`${server.url}${unsubscribePath("lead@acme.test", key)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    const forged = await fetch(
      `${server.url}/unsubscribe/${Buffer.from("x@acme.test").toString("base64url")}.${"A".repeat(43)}`,
      {
        method: "POST",
        body: "List-Unsubscribe=One-Click",
      },
    );
    expect(forged.status).toBe(404);

    await admin.goto(`${server.url}/settings/reports`);
    const list = admin.getByTestId("unsubscribed");
    await list.getByRole("cell", { name: "cto@acme.test", exact: true }).waitFor();
    await list.getByRole("cell", { name: "lead@acme.test", exact: true }).waitFor();
    await admin.getByRole("button", { name: "Re-add cto@acme.test" }).click();
    await admin.getByRole("button", { name: "Re-add cto@acme.test" }).waitFor({ state: "detached" });
    expect(await list.getByRole("cell", { name: "lead@acme.test", exact: true }).count()).toBe(1);
  });
});
