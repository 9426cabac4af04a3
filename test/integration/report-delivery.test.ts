import { spawnSync } from "node:child_process";
import net from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { applyConfig } from "@/lib/config/apply";
import { parseConfig } from "@/lib/config/load";
import { reportDeliveries, reportSchedules } from "@/lib/db/schema";
import { smtpMailer } from "@/lib/delivery/email";
import { runDueDeliveries } from "@/lib/delivery/runner";
import { parseSchedule } from "@/lib/delivery/schedule";
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  requestSendNow,
  setPaused,
} from "@/lib/delivery/store";
import { type FakeChat, startFakeChat } from "@/test/fakes/mail/chat";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/mail/smtp";
import { SlackMessage, TeamsMessage } from "@/test/fixtures/chat-shapes";
import { loadMarch } from "@/test/fixtures/march";
import { describeDb } from "@/test/helpers/db";

/**
 * Scheduled reports on the March fixture (org time zone Europe/Berlin): a real SMTP server receives the mail and a
 * local HTTP server the chat posts. The monthly preset fires on 1 April at 08:00 CEST = 06:00 UTC and sends March.
 */

const CREATED = new Date("2026-03-20T12:00:00Z");
const DUE = new Date("2026-04-01T06:00:00Z");
const at = (ms: number) => () => new Date(DUE.getTime() + ms);
const MIN = 60_000;

let smtp: FakeSmtp;
let chat: FakeChat;
beforeAll(async () => {
  vi.stubEnv("THROUGHLINE_SECRET_KEY", "test-key-0123456789-0123456789-0123456789");
  [smtp, chat] = await Promise.all([startFakeSmtp(), startFakeChat()]);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([smtp.close(), chat.close()]);
});

function spec(input: Record<string, unknown>) {
  const parsed = parseSchedule(
    { name: "Monthly", team: "payments", preset: "monthly", ...input },
    "Europe/Berlin",
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const pdfText = (pdf: Buffer) =>
  spawnSync("pdftotext", ["-layout", "-", "-"], { input: pdf, encoding: "utf8" }).stdout;

describeDb("report delivery: schedules send e-mail and chat digests, once, with retries", ({ db }) => {
  beforeEach(async () => {
    smtp.received.length = 0;
    chat.posts.length = 0;
    await loadMarch(db());
  });

  it("e-mails the team's March report on 1 April 08:00 local: recipients, subject, body and the attached PDF", async () => {
    const mailer = smtpMailer({ SMTP_URL: smtp.url, SMTP_FROM: "Throughline <reports@acme.test>" });
    const s = await createSchedule(
      db(),
      spec({ channel: "email", formats: ["pdf", "csv"], recipients: "cto@acme.test, Lead@Acme.test" }),
      "admin",
      CREATED,
    );
    expect(s?.nextDueAt?.toISOString()).toBe(DUE.toISOString());

    expect(await runDueDeliveries(db(), { mailer, now: at(-MIN), baseUrl: null })).toEqual({
      due: 0,
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(
      await runDueDeliveries(db(), { mailer, now: at(30_000), baseUrl: "https://tl.acme.test/" }),
    ).toEqual({
      due: 1,
      sent: 1,
      retrying: 0,
      failed: 0,
    });

    // One mail per recipient: each carries its own unsubscribe link (report-unsubscribe.test.ts).
    expect(smtp.received.map((m) => m.envelope)).toEqual([
      { from: "reports@acme.test", to: ["cto@acme.test"] },
      { from: "reports@acme.test", to: ["lead@acme.test"] },
    ]);
    const mail = smtp.received[0];
    expect(mail?.parsed.subject).toBe("Throughline: Payments: March 2026");
    const text = mail?.parsed.text ?? "";
    expect(text).toContain("1 Mar – 31 Mar 2026, compared with 1 Feb – 28 Feb 2026");
    // Six deployments against one: no change is clear for such samples (docs/metrics.md § Trends), so none is shown.
    expect(text).toContain("Deployment frequency: 1.4 / week (High)\n");
    expect(text).toContain("Change lead time: 13 h (Elite)\n"); // no previous data: no change shown
    expect(text).toContain("Change failure rate: 33.3% (Medium)\n");
    expect(text).toContain("- acme/pay @ e88b9eb on 20 Mar 2026: incident; recovered in 5 hours\n");
    expect(text).toContain("Failed deployments\n- acme/pay @ ");
    expect(text).toContain("Open the report: https://tl.acme.test/reports/view?team=payments&period=2026-03");
    expect(mail?.parsed.html).toContain("<h1");

    const files = (mail?.parsed.attachments ?? []).map((a) => [a.filename, a.contentType]);
    expect(files).toEqual([
      ["throughline-payments-2026-03.pdf", "application/pdf"],
      ["throughline-payments-2026-03-csv.zip", "application/zip"],
    ]);
    const pdf = pdfText(mail?.parsed.attachments[0]?.content as Buffer);
    expect(pdf).toContain("Payments");
    expect(pdf).toContain("March 2026");

    const [row] = await db().select().from(reportDeliveries);
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null, trigger: "schedule" });
    expect(row?.dueAt.toISOString()).toBe(DUE.toISOString());
    expect(row?.summary).toBe(
      "2 of 2 recipients: throughline-payments-2026-03.pdf, throughline-payments-2026-03-csv.zip",
    );
    // The schedule moved on to 1 May 08:00 CEST.
    const [sched] = await db().select().from(reportSchedules);
    expect(sched?.nextDueAt?.toISOString()).toBe("2026-05-01T06:00:00.000Z");
  });

  it("a due time is sent once when two workers tick at the same moment", async () => {
    const mailer = smtpMailer({ SMTP_URL: smtp.url });
    await createSchedule(
      db(),
      spec({ channel: "email", formats: ["pdf"], recipients: "cto@acme.test" }),
      "admin",
      CREATED,
    );
    const results = await Promise.all([
      runDueDeliveries(db(), { mailer, now: at(0), baseUrl: null }),
      runDueDeliveries(db(), { mailer, now: at(0), baseUrl: null }),
      runDueDeliveries(db(), { mailer, now: at(0), baseUrl: null }),
    ]);
    expect(results.reduce((n, r) => n + r.due, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(await db().select().from(reportDeliveries)).toHaveLength(1);
  });

  it("a refused send is retried with backoff, recorded with its reason (never the password), then given up", async () => {
    const mailer = smtpMailer({ SMTP_URL: smtp.url });
    await createSchedule(
      db(),
      spec({ channel: "email", formats: ["pdf"], recipients: "cto@acme.test" }),
      "admin",
      CREATED,
    );
    smtp.failNext(1, 451, "Try again later");
    expect((await runDueDeliveries(db(), { mailer, now: at(0), baseUrl: null })).retrying).toBe(1);
    let [row] = await db().select().from(reportDeliveries);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row?.lastError).toMatch(/^the mail server refused the message: .*451 Try again later/);
    expect(row?.lastError).not.toContain("smtp-secret-password");
    expect(row?.nextAttemptAt.toISOString()).toBe(new Date(DUE.getTime() + MIN).toISOString());
    // Not before its time; then it goes.
    expect((await runDueDeliveries(db(), { mailer, now: at(30_000), baseUrl: null })).sent).toBe(0);
    expect((await runDueDeliveries(db(), { mailer, now: at(MIN), baseUrl: null })).sent).toBe(1);
    [row] = await db().select().from(reportDeliveries);
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(smtp.received).toHaveLength(1);

    // A wrong password fails every attempt: after the fifth (1 + 5 + 15 + 60 minutes later) it is failed.
    const bad = smtpMailer({ SMTP_URL: smtp.url.replace("smtp-secret-password", "wrong-password-1234") });
    const id = await requestSendNow(db(), (await listSchedules(db()))[0]?.id ?? 0, at(2 * MIN)());
    const times = [2, 3, 8, 23, 83].map((m) => at(m * MIN));
    const outcomes = [];
    for (const now of times) outcomes.push(await runDueDeliveries(db(), { mailer: bad, now, baseUrl: null }));
    expect(outcomes.map((o) => [o.retrying, o.failed])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const [failed] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, id));
    expect(failed).toMatchObject({ status: "failed", attempts: 5, trigger: "manual" });
    expect(failed?.lastError).toMatch(/535/);
    expect(failed?.lastError).not.toContain("wrong-password-1234");
    const [listed] = await listSchedules(db());
    expect(listed?.last).toMatchObject({ status: "failed" });
  });

  it("posts a Slack digest and a Teams card in their documented shapes; the URL is sealed and never shown", async () => {
    const slackUrl = chat.url("/slack/services/T0001/B0001/s3cr3tSlackPath");
    const teamsUrl = chat.url("/teams/workflows/s3cr3tTeamsPath");
    await createSchedule(
      db(),
      spec({ name: "Slack", channel: "slack", webhookUrl: slackUrl }),
      "admin",
      CREATED,
    );
    await createSchedule(
      db(),
      spec({ name: "Teams", team: "", channel: "teams", webhookUrl: teamsUrl }),
      "admin",
      CREATED,
    );
    const stored = await db().select().from(reportSchedules);
    for (const s of stored) {
      expect(s.webhookUrlSealed).toMatch(/^v1:/);
      expect(s.webhookUrlSealed).not.toContain("s3cr3t");
    }
    expect(JSON.stringify(await listSchedules(db()))).not.toContain("s3cr3t");

    expect((await runDueDeliveries(db(), { now: at(0), baseUrl: "https://tl.acme.test" })).sent).toBe(2);
    const slack = chat.posts.find((p) => p.path.startsWith("/slack"))?.body;
    const teams = chat.posts.find((p) => p.path.startsWith("/teams"))?.body;
    const s = SlackMessage.parse(slack);
    expect(s.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Payments: March 2026", emoji: true },
    });
    expect(JSON.stringify(s)).toContain("• Change failure rate: 33.3% (Medium)\\n");
    expect(JSON.stringify(s)).toContain("<https://tl.acme.test/deployments/");
    const t = TeamsMessage.parse(teams);
    const card = t.attachments[0]?.content;
    expect(card?.body[0]).toMatchObject({ type: "TextBlock", text: "Acme: March 2026" });
    expect(card?.actions?.[0]?.url).toBe("https://tl.acme.test/reports/view?period=2026-03");
    // The org digest carries no CALMS section, whatever the survey holds.
    expect(JSON.stringify(t)).not.toMatch(/CALMS|Culture/);
  });

  it("a chat endpoint that refuses or cannot be reached is recorded without the URL, and retried", async () => {
    const url = chat.url("/slack/services/T0001/B0001/s3cr3tSlackPath");
    await createSchedule(db(), spec({ channel: "slack", webhookUrl: url }), "admin", CREATED);
    chat.failNext(1, 404, "no_service");
    expect((await runDueDeliveries(db(), { now: at(0), baseUrl: null })).retrying).toBe(1);
    let [row] = await db().select().from(reportDeliveries);
    expect(row?.lastError).toBe("the chat webhook answered 404: no_service");

    await createSchedule(
      db(),
      spec({
        name: "Nowhere",
        channel: "slack",
        webhookUrl: `http://127.0.0.1:${await closedPort()}/slack/s3cr3tPath`,
      }),
      "admin",
      CREATED,
    );
    const r = await runDueDeliveries(db(), { now: at(MIN), baseUrl: null });
    expect(r).toMatchObject({ due: 1, sent: 1, retrying: 1 });
    [row] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.status, "pending"));
    expect(row?.lastError).toMatch(
      /^could not reach the chat webhook's host 127\.0\.0\.1:\d+: ECONNREFUSED$/,
    );
    expect(row?.lastError).not.toContain("s3cr3t");
  });

  it("a paused schedule sends nothing; resumed, it is due next from now, never with a backlog", async () => {
    const mailer = smtpMailer({ SMTP_URL: smtp.url });
    const s = await createSchedule(
      db(),
      spec({ preset: "weekly", channel: "email", formats: ["csv"], recipients: "cto@acme.test" }),
      "admin",
      CREATED,
    );
    await setPaused(db(), s?.id ?? 0, true, CREATED);
    expect((await runDueDeliveries(db(), { mailer, now: at(0), baseUrl: null })).due).toBe(0);
    await setPaused(db(), s?.id ?? 0, false, DUE); // Wednesday 1 April
    const [row] = await db().select().from(reportSchedules);
    expect(row?.nextDueAt?.toISOString()).toBe("2026-04-06T06:00:00.000Z"); // Monday 08:00 CEST
    // Three weeks without a tick: one delivery, for the latest due time.
    const r = await runDueDeliveries(db(), {
      mailer,
      now: () => new Date("2026-04-21T09:00:00Z"),
      baseUrl: null,
    });
    expect(r).toMatchObject({ due: 1, sent: 1 });
    const [d] = await db().select().from(reportDeliveries);
    expect(d?.dueAt.toISOString()).toBe("2026-04-20T06:00:00.000Z");
    expect(smtp.received[0]?.parsed.subject).toBe("Throughline: Payments: 13 Apr 2026 – 19 Apr 2026");
  });

  it("schedules from the config file: applied by name, chat URLs from the environment, removed when removed", async () => {
    const yaml = (extra: string) =>
      parseConfig(`
reports:
  schedules:
    - name: Payments monthly
      team: payments
      every: monthly
      email: [CTO@acme.test]
      attach: [pdf, csv]
${extra}`);
    const slack = chat.url("/slack/services/T2/B2/s3cr3tConfigPath");
    vi.stubEnv("SLACK_PAYMENTS_URL", slack);
    await applyConfig(
      db(),
      yaml(`    - name: Payments channel
      team: payments
      every: "0 9 * * 5"
      period: last-week
      slack: SLACK_PAYMENTS_URL`),
    );
    let rows = await listSchedules(db());
    expect(
      rows.map((r) => [r.name, r.channel, r.rhythm, r.period, r.recipients, r.webhookHost, r.fromConfig]),
    ).toEqual([
      ["Payments channel", "slack", "cron 0 9 * * 5", "last-week", [], "$SLACK_PAYMENTS_URL", true],
      ["Payments monthly", "email", "Monthly, the 1st at 08:00", "last-month", ["cto@acme.test"], null, true],
    ]);
    const stored = await db().select().from(reportSchedules);
    expect(JSON.stringify(stored)).not.toContain("s3cr3t");

    const id = rows[0]?.id ?? 0;
    await requestSendNow(db(), id, at(0)());
    expect((await runDueDeliveries(db(), { now: at(0), baseUrl: null })).sent).toBe(1);
    SlackMessage.parse(chat.posts[0]?.body);
    vi.stubEnv("SLACK_PAYMENTS_URL", "");
    await requestSendNow(db(), id, at(MIN)());
    await runDueDeliveries(db(), { now: at(MIN), baseUrl: null });
    const [last] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.status, "pending"));
    expect(last?.lastError).toBe(
      "SLACK_PAYMENTS_URL is not set on this server (the config file's schedule names it)",
    );

    // Paused in Settings, applied again: still paused. Removed from the file: gone.
    await setPaused(db(), rows[1]?.id ?? 0, true);
    await applyConfig(db(), yaml(""));
    rows = await listSchedules(db());
    expect(rows.map((r) => [r.name, r.paused])).toEqual([["Payments monthly", true]]);
    await expect(deleteSchedule(db(), rows[0]?.id ?? 0)).rejects.toThrow(
      "“Payments monthly” comes from the config file: remove it there (or pause it here)",
    );
  });

  it("the config file's schedules are checked with the rest of it", () => {
    const bad = () =>
      parseConfig(`
reports:
  schedules:
    - name: Too often
      every: "* * * * *"
      email: [a@b.test]
    - name: Two channels
      every: weekly
      email: [a@b.test]
      slack: SLACK_URL
`);
    expect(bad).toThrow(/fires more often than once an hour/);
    expect(bad).toThrow(/give exactly one of email, slack or teams/);
  });
});
