import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { reportDeliveries } from "@/lib/db/schema";
import { smtpMailer } from "@/lib/delivery/email";
import { runDueDeliveries } from "@/lib/delivery/runner";
import { parseSchedule } from "@/lib/delivery/schedule";
import { createSchedule, requestSendNow } from "@/lib/delivery/store";
import {
  listUnsubscribed,
  resubscribe,
  unsubscribe,
  unsubscribeToken,
  verifyUnsubscribeToken,
} from "@/lib/delivery/unsubscribe";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/mail/smtp";
import { loadMarch } from "@/test/fixtures/march";
import { describeDb } from "@/test/helpers/db";

/**
 * Unsubscribing from report e-mails (RFC 8058, ADR 0024) through a real SMTP server: every mail carries
 * List-Unsubscribe with a signed link and List-Unsubscribe-Post; the link's token names its address and nothing
 * else can be made from it; an unsubscribed address is skipped by the runner until an admin re-adds it. The HTTP
 * side (GET asks, POST unsubscribes) runs against the real server in test/e2e/survey-mail.test.ts.
 */

const KEY = "test-key-0123456789-0123456789-0123456789";
const AT = new Date("2026-04-01T06:00:00Z");
const BASE = "https://tl.acme.test";

let smtp: FakeSmtp;
beforeAll(async () => {
  vi.stubEnv("THROUGHLINE_SECRET_KEY", KEY);
  smtp = await startFakeSmtp();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await smtp.close();
});

it("a token names its address; a changed address, a cut token or another key is refused", () => {
  const token = unsubscribeToken("Lead@Acme.test");
  expect(verifyUnsubscribeToken(token)).toBe("lead@acme.test");
  const [, mac] = token.split(".");
  const forged = `${Buffer.from("cto@acme.test").toString("base64url")}.${mac}`;
  expect(verifyUnsubscribeToken(forged)).toBeNull();
  expect(verifyUnsubscribeToken(token.slice(0, -1))).toBeNull();
  expect(verifyUnsubscribeToken(token, Buffer.alloc(32, 7))).toBeNull();
  expect(verifyUnsubscribeToken("nonsense")).toBeNull();
});

describeDb("report e-mails: one-click unsubscribe", ({ db }) => {
  beforeEach(async () => {
    smtp.received.length = 0;
    await loadMarch(db());
  });

  async function schedule() {
    const parsed = parseSchedule(
      {
        name: "Monthly",
        team: "payments",
        preset: "monthly",
        channel: "email",
        formats: ["csv"],
        recipients: "cto@acme.test, lead@acme.test",
      },
      "Europe/Berlin",
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return (await createSchedule(db(), parsed.spec, "admin", new Date("2026-03-20T12:00:00Z")))?.id ?? 0;
  }

  it("carries List-Unsubscribe (one-click) and a footer link; the runner skips whoever used it, until re-added", async () => {
    const mailer = smtpMailer({ SMTP_URL: smtp.url });
    const id = await schedule();
    expect((await runDueDeliveries(db(), { mailer, now: () => AT, baseUrl: BASE })).sent).toBe(1);
    expect(smtp.received).toHaveLength(2);
    const lead = smtp.received.find((m) => m.envelope.to[0] === "lead@acme.test");
    // The header lines as sent (mailparser folds List-* headers into one parsed `list` object).
    const line = (key: string) =>
      lead?.parsed.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n[ \t]+/g, " ");
    const url = /^List-Unsubscribe:\s*<([^>]+)>$/i.exec(line("list-unsubscribe") ?? "")?.[1];
    expect(url).toMatch(/^https:\/\/tl\.acme\.test\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(lead?.parsed.text).toContain(`Unsubscribe from these reports: ${url}`);
    expect(lead?.parsed.html).toContain(`href="${url}"`);
    // The other recipient's link is another token, for their own address.
    const cto = smtp.received.find((m) => m.envelope.to[0] === "cto@acme.test");
    expect(cto?.parsed.text).not.toContain(url);

    // What POST /unsubscribe/<token> does.
    const email = verifyUnsubscribeToken(url?.split("/").at(-1) as string);
    expect(email).toBe("lead@acme.test");
    await unsubscribe(db(), email as string);
    await unsubscribe(db(), email as string); // twice (a retried one-click POST): still one row
    expect((await listUnsubscribed(db())).map((u) => u.email)).toEqual(["lead@acme.test"]);

    smtp.received.length = 0;
    const second = await requestSendNow(db(), id, new Date(AT.getTime() + 60_000));
    await runDueDeliveries(db(), { mailer, now: () => new Date(AT.getTime() + 60_000), baseUrl: BASE });
    expect(smtp.received.map((m) => m.envelope.to)).toEqual([["cto@acme.test"]]);
    const [row] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, second));
    expect(row?.summary).toBe(
      "1 of 2 recipients; 1 unsubscribed, skipped: throughline-payments-2026-03-csv.zip",
    );

    expect(await resubscribe(db(), "Lead@acme.test")).toBe(true);
    smtp.received.length = 0;
    await requestSendNow(db(), id, new Date(AT.getTime() + 120_000));
    await runDueDeliveries(db(), { mailer, now: () => new Date(AT.getTime() + 120_000), baseUrl: BASE });
    expect(smtp.received.map((m) => m.envelope.to[0]).sort()).toEqual(["cto@acme.test", "lead@acme.test"]);
  });

  it("a schedule whose every recipient unsubscribed sends nothing and says so; without AUTH_URL no link is made", async () => {
    const mailer = smtpMailer({ SMTP_URL: smtp.url });
    await schedule();
    await unsubscribe(db(), "cto@acme.test");
    await unsubscribe(db(), "lead@acme.test");
    expect((await runDueDeliveries(db(), { mailer, now: () => AT, baseUrl: null })).sent).toBe(1);
    expect(smtp.received).toHaveLength(0);
    const [row] = await db().select().from(reportDeliveries);
    expect(row?.summary).toBe(
      "0 of 2 recipients; 2 unsubscribed, skipped: throughline-payments-2026-03-csv.zip",
    );

    await resubscribe(db(), "cto@acme.test");
    const [s] = await db().select().from(reportDeliveries);
    await requestSendNow(db(), (s?.scheduleId as number) ?? 0, new Date(AT.getTime() + 60_000));
    await runDueDeliveries(db(), { mailer, now: () => new Date(AT.getTime() + 60_000), baseUrl: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.parsed.headerLines.some((h) => h.key === "list-unsubscribe")).toBe(false);
  });
});
