import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveHolder } from "@/lib/db/embedded-lock";
import { runJobOnServer } from "@/lib/jobs/client";
import type { ErasureListEntry } from "@/lib/privacy/erase";
import { browserTestsRun, launchChromium, SHOTS } from "@/test/helpers/browser";
import { ALICE, BOB, GitRepo } from "@/test/helpers/git-repo";
import { startServer, type TestServer } from "@/test/helpers/server";

/**
 * Settings → Data → Forget a person in Chromium against the running server: a clone by Alice and Bob is ingested
 * through the server, an unknown address and a missing confirmation are refused at their fields, then Alice is
 * erased and listed by pseudonym only; her address never comes back in the page.
 */
describe.skipIf(!browserTestsRun())("forgetting a person in Settings → Data", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let repo: GitRepo;
  const job = async (name: string, args: unknown) => {
    const holder = liveHolder(server.dataDir);
    if (!holder) throw new Error("the server holds no lock on its database");
    return runJobOnServer(holder, name, args, () => {});
  };

  beforeAll(async () => {
    repo = new GitRepo("throughline-e2e-privacy-");
    repo.git(["remote", "add", "origin", "git@github.com:acme/shop.git"]);
    repo.commit("Initial commit", ALICE, "2026-03-02T08:00:00Z");
    repo.tag("v1.0.0");
    repo.commit("Feature", BOB, "2026-03-03T09:00:00Z");
    repo.commit("Fix", ALICE, "2026-03-03T10:00:00Z");
    repo.annotatedTag("v1.1.0", "2026-03-04T15:00:00Z");
    server = await startServer({
      THROUGHLINE_DEMO: "never",
      THROUGHLINE_SECRET_KEY: "e2e-privacy-key-0123456789-0123456789",
    });
    await job("ingest:git", { path: repo.dir, deployTags: "v*" });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 950 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    repo?.remove();
  });

  it("refuses an unknown person and a missing confirmation, then erases Alice and lists only her pseudonym", async () => {
    await page.goto(`${server.url}/settings/data`);
    const form = page.getByRole("form", { name: "Forget a person" });
    await form.getByLabel("E-mail address or login").fill("nobody@example.com");
    await form.getByRole("button", { name: "Forget this person" }).click();
    await form.getByText("Tick the box: an erasure cannot be undone.").waitFor();
    // The refused value is still in the field (React resets a form its action answered).
    expect(await form.getByLabel("E-mail address or login").inputValue()).toBe("nobody@example.com");

    await form.getByLabel("I understand this cannot be undone").check();
    await form.getByRole("button", { name: "Forget this person" }).click();
    await form.getByText("no one with the e-mail address nobody@example.com is known here").waitFor();

    await form.getByLabel("E-mail address or login").fill(ALICE.email);
    await form.getByLabel("I understand this cannot be undone").check();
    await form.getByRole("button", { name: "Forget this person" }).click();
    await form.getByText(/^Erased as erased-[0-9a-f]{12}: \d+ rows rewritten/).waitFor();
    expect(await form.getByLabel("E-mail address or login").inputValue()).toBe("");

    const listed = (await job("privacy:list", {})) as ErasureListEntry[];
    expect(listed).toHaveLength(1);
    await page.goto(`${server.url}/settings/data`);
    await page.getByRole("cell", { name: listed[0]?.erasure }).waitFor();
    expect((await page.content()).toLowerCase()).not.toContain("alice");
    await page.screenshot({ path: path.join(SHOTS, "settings-data-privacy.png"), fullPage: true });

    // The audit log shows the erasure by the pseudonym.
    await page.goto(`${server.url}/settings/audit`);
    await page.getByText("privacy.erase").first().waitFor();
    expect((await page.content()).toLowerCase()).not.toContain("alice");
  });
});
