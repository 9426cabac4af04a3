import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { listLinkMails, queueLinkMails, queueReminders, wipeClosedRounds } from "@/lib/calms/mail";
import { runSurveyMail } from "@/lib/calms/mail-send";
import { closeRound, createRound, RoundError, roundTeams } from "@/lib/calms/rounds";
import { submitResponse } from "@/lib/calms/submit";
import { queryRows } from "@/lib/db/rows";
import { smtpMailer } from "@/lib/delivery/email";
import { createTeam } from "@/lib/teams";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/mail/smtp";
import { describeDb } from "@/test/helpers/db";

/**
 * Survey links by e-mail (ADR 0024) through a real SMTP server: one single-use link per pasted address, a reminder
 * to those who have not answered with the same link, the address and URL forgotten when the link answers and when
 * the round closes, failures retried and recorded without the address.
 */

const NOW = new Date("2026-03-10T09:00:00Z");
const TODAY = "2026-03-10";
const BASE = "https://tl.acme.test";
const PEOPLE = ["ada@acme.test", "bob@acme.test", "cy@acme.test"];
const at = (min: number) => () => new Date(NOW.getTime() + min * 60_000);
const answers = { A1: "4", A2: "3" };

let smtp: FakeSmtp;
beforeAll(async () => {
  vi.stubEnv("THROUGHLINE_SECRET_KEY", "test-key-0123456789-0123456789-0123456789");
  smtp = await startFakeSmtp();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await smtp.close();
});

const linkOf = (text: string) =>
  /https:\/\/tl\.acme\.test\/survey\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] as string;

describeDb("survey links by e-mail", ({ db }) => {
  let roundId = 0;
  let teamId = 0;
  const mailer = () => smtpMailer({ SMTP_URL: smtp.url, SMTP_FROM: "Throughline <survey@acme.test>" });
  const everything = async () =>
    JSON.stringify(
      await queryRows(
        db(),
        sql`select (select json_agg(l) from calms_respondent_links l) as links,
                   (select json_agg(m) from calms_link_mails m) as mails,
                   (select json_agg(a) from audit_log a) as audit`,
      ),
    );
  const mailRows = async () =>
    (await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from calms_link_mails`))[0]?.n;

  beforeEach(async () => {
    smtp.received.length = 0;
    teamId = await createTeam(db(), { slug: "payments", name: "Payments" });
    ({ roundId } = await createRound(db(), {
      title: "Spring check",
      opensOn: "2026-03-02",
      closesOn: "2026-03-16",
      teamIds: [teamId],
      itemKeys: ["A1", "A2"],
    }));
  });

  it("mails each address its own link; the link answers once and its address is forgotten in that transaction", async () => {
    expect(await queueLinkMails(db(), roundId, teamId, PEOPLE, `${BASE}/`, NOW)).toEqual({
      queued: 3,
      alreadyInvited: [],
    });
    // Stored sealed: neither an address nor a token in any row.
    const stored = await everything();
    for (const p of PEOPLE) expect(stored).not.toContain(p);
    const lines: string[] = [];
    const run = await runSurveyMail(db(), { mailer: mailer(), now: at(0), log: (l) => lines.push(l) });
    expect(run).toEqual({ sent: 3, retrying: 0, failed: 0, wiped: 0 });
    expect(lines.join("\n")).not.toMatch(/@acme\.test/);

    expect(smtp.received.map((m) => m.envelope.to).sort()).toEqual(PEOPLE.map((p) => [p]));
    const mail = smtp.received.find((m) => m.envelope.to[0] === "ada@acme.test");
    expect(mail?.envelope.from).toBe("survey@acme.test");
    expect(mail?.parsed.subject).toBe("CALMS survey: Spring check");
    expect(mail?.parsed.text).toContain(
      "Payments team's CALMS survey “Spring check”, open until 16 Mar 2026",
    );
    const tokens = smtp.received.map((m) => linkOf(m.parsed.text ?? ""));
    expect(new Set(tokens).size).toBe(3);
    expect(mail?.parsed.html).toContain(`href="${BASE}/survey/${linkOf(mail?.parsed.text ?? "")}"`);
    expect((await roundTeams(db(), roundId))[0]).toMatchObject({ linksIssued: 3, n: 0 });

    const list = await listLinkMails(db(), roundId, NOW);
    expect(list.map((r) => [r.email, r.status, r.attempts])).toEqual(PEOPLE.map((p) => [p, "sent", 1]));

    const adaToken = linkOf(mail?.parsed.text ?? "");
    const first = await submitResponse(db(), adaToken, { submissionId: randomUUID(), answers }, TODAY);
    expect(first).toEqual({ status: "recorded" });
    const again = await submitResponse(db(), adaToken, { submissionId: randomUUID(), answers }, TODAY);
    expect(again).toEqual({ status: "used" });
    expect((await listLinkMails(db(), roundId, NOW)).map((r) => r.email)).toEqual([
      "bob@acme.test",
      "cy@acme.test",
    ]);
    expect(await mailRows()).toBe(2);
    // The used link is a hash and a flag, as before mail existed.
    const used = await queryRows(db(), sql`select * from calms_respondent_links where used`);
    expect(Object.keys(used[0] ?? {}).sort()).toEqual(["id", "round_team_id", "token_hash", "used"]);
  });

  it("reminds only the addresses whose link is unused, with the same link; pasting one again adds no link", async () => {
    await queueLinkMails(db(), roundId, teamId, PEOPLE, BASE, NOW);
    await runSurveyMail(db(), { mailer: mailer(), now: at(0) });
    const linkFor = new Map(smtp.received.map((m) => [m.envelope.to[0], linkOf(m.parsed.text ?? "")]));
    await submitResponse(
      db(),
      linkFor.get("bob@acme.test") as string,
      { submissionId: randomUUID(), answers },
      TODAY,
    );
    smtp.received.length = 0;

    expect(
      await queueLinkMails(db(), roundId, teamId, ["ada@acme.test", "dee@acme.test"], BASE, at(1)()),
    ).toEqual({
      queued: 1,
      alreadyInvited: ["ada@acme.test"],
    });
    expect(await queueReminders(db(), roundId, teamId, at(2)())).toBe(2);
    expect(await runSurveyMail(db(), { mailer: mailer(), now: at(2) })).toMatchObject({ sent: 3 });
    const reminders = smtp.received.filter((m) => m.parsed.subject?.startsWith("Reminder: "));
    expect(reminders.map((m) => [m.envelope.to[0], linkOf(m.parsed.text ?? "")]).sort()).toEqual([
      ["ada@acme.test", linkFor.get("ada@acme.test")],
      ["cy@acme.test", linkFor.get("cy@acme.test")],
    ]);
    expect(smtp.received.map((m) => m.envelope.to[0]).sort()).toEqual([
      "ada@acme.test",
      "cy@acme.test",
      "dee@acme.test",
    ]);
    const list = await listLinkMails(db(), roundId, NOW);
    expect(list.map((r) => [r.email, r.kind, r.reminders])).toEqual([
      ["ada@acme.test", "reminder", 1],
      ["cy@acme.test", "reminder", 1],
      ["dee@acme.test", "invite", 0],
    ]);
    // The reminded link still answers (once).
    const r = await submitResponse(
      db(),
      linkOf(reminders[0]?.parsed.text ?? ""),
      { submissionId: randomUUID(), answers },
      TODAY,
    );
    expect(r).toEqual({ status: "recorded" });
  });

  it("forgets every address when the round is closed, and when it passes its closing date", async () => {
    await queueLinkMails(db(), roundId, teamId, PEOPLE, BASE, NOW);
    await closeRound(db(), roundId);
    expect(await mailRows()).toBe(0);
    expect(await runSurveyMail(db(), { mailer: mailer(), now: at(0) })).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(0);
    await expect(queueLinkMails(db(), roundId, teamId, PEOPLE, BASE, NOW)).rejects.toBeInstanceOf(RoundError);

    const other = await createRound(db(), {
      title: "Short one",
      opensOn: "2026-03-02",
      closesOn: "2026-03-10",
      teamIds: [teamId],
      itemKeys: ["A1", "A2"],
    });
    await queueLinkMails(db(), other.roundId, teamId, PEOPLE, BASE, NOW);
    expect(await wipeClosedRounds(db(), NOW)).toBe(0);
    // 11 March in the org's zone: the round closed by date; the next run forgets before it sends.
    const after = new Date("2026-03-11T09:00:00Z");
    expect(await runSurveyMail(db(), { mailer: mailer(), now: () => after })).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
      wiped: 3,
    });
    expect(await mailRows()).toBe(0);
  });

  it("retries a refused send with backoff and records why, without the address, then gives up", async () => {
    await queueLinkMails(db(), roundId, teamId, ["ada@acme.test"], BASE, NOW);
    smtp.failNext(1, 451, "Try again later");
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    expect(await runSurveyMail(db(), { mailer: mailer(), now: at(0), log })).toMatchObject({ retrying: 1 });
    let [row] = await listLinkMails(db(), roundId, NOW);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row?.lastError).toMatch(/451 Try again later/);
    expect(row?.nextAttemptAt.toISOString()).toBe(at(1)().toISOString());
    expect(await runSurveyMail(db(), { mailer: mailer(), now: at(0.5), log })).toMatchObject({ sent: 0 });
    expect(await runSurveyMail(db(), { mailer: mailer(), now: at(1), log })).toMatchObject({ sent: 1 });
    [row] = await listLinkMails(db(), roundId, NOW);
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(smtp.received).toHaveLength(1);

    // A mailbox the server refuses: five attempts (1 + 5 + 15 + 60 minutes apart), then failed, with the reason.
    smtp.refuse(["nobody@acme.test"]);
    await queueLinkMails(db(), roundId, teamId, ["nobody@acme.test"], BASE, at(2)());
    const outcomes = [];
    for (const m of [2, 3, 8, 23, 83])
      outcomes.push(await runSurveyMail(db(), { mailer: mailer(), now: at(m), log }));
    expect(outcomes.map((o) => [o.retrying, o.failed])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const failed = (await listLinkMails(db(), roundId, NOW)).find((r) => r.email === "nobody@acme.test");
    expect(failed).toMatchObject({ status: "failed", attempts: 5 });
    expect(failed?.lastError).toMatch(/550/);
    expect(failed?.lastError).not.toContain("nobody@acme.test");
    expect(lines.join("\n")).not.toMatch(/acme\.test/);
    expect(await everything()).not.toContain("nobody@acme.test");
  });
});
