import { eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { calmsLinkMails, calmsRounds, calmsRoundTeams, teams } from "@/lib/db/schema";
import { escapeHtml, type Mail, type Mailer, smtpMailer } from "@/lib/delivery/email";
import { BACKOFF_MINUTES, MAX_ATTEMPTS } from "@/lib/delivery/runner";
import { open } from "@/lib/delivery/secret-box";
import { formatLocalDate } from "@/lib/format";
import { wipeClosedRounds } from "./mail";

/**
 * Sends the queued survey mails (the queue job `survey-mail`, every minute and at once after a paste or a reminder).
 * Like report deliveries (lib/delivery/runner.ts): a row is claimed with FOR UPDATE SKIP LOCKED and a lease, a
 * failure goes back to pending after 1, 5, 15 and 60 minutes and is failed after the fifth attempt, always with its
 * reason. Addresses never reach a log line or a stored reason: they are replaced by `<address>`.
 */

const LEASE_MS = 10 * 60_000;

export interface SurveyMailDeps {
  now?: () => Date;
  mailer?: Mailer;
  log?: (line: string) => void;
}

export interface SurveyMailResult {
  sent: number;
  retrying: number;
  failed: number;
  /** Rows forgotten because their round closed. */
  wiped: number;
}

/** Anything shaped like an address, out of a message bound for a log line or a stored reason. */
export const withoutAddresses = (text: string) =>
  text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, "<address>");

async function claim(db: Db, now: Date) {
  const t = sql`${now.toISOString()}::timestamptz`;
  const lease = sql`${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz`;
  const rows = await queryRows<{ link_id: number }>(
    db,
    sql`
    update calms_link_mails set status = 'sending', attempts = attempts + 1, lease_until = ${lease}
     where link_id = (select link_id from calms_link_mails
                       where (status = 'pending' and next_attempt_at <= ${t})
                          or (status = 'sending' and lease_until < ${t})
                       order by next_attempt_at, link_id
                       limit 1
                       for update skip locked)
    returning link_id`,
  );
  const id = rows[0]?.link_id;
  if (id === undefined) return null;
  const [row] = await db
    .select({
      mail: calmsLinkMails,
      title: calmsRounds.title,
      closesOn: calmsRounds.closesOn,
      team: teams.name,
    })
    .from(calmsLinkMails)
    .innerJoin(calmsRoundTeams, eq(calmsRoundTeams.id, calmsLinkMails.roundTeamId))
    .innerJoin(calmsRounds, eq(calmsRounds.id, calmsRoundTeams.roundId))
    .innerJoin(teams, eq(teams.id, calmsRoundTeams.teamId))
    .where(eq(calmsLinkMails.linkId, Number(id)));
  return row ?? null;
}

export function composeSurveyMail(
  m: { title: string; team: string; closesOn: string; url: string; reminder: boolean },
  to: string,
): Mail {
  const until = formatLocalDate(m.closesOn);
  const lines = [
    m.reminder
      ? `A reminder: the ${m.team} team's CALMS survey “${m.title}” is open until ${until}, and your link has not answered yet.`
      : `You are invited to the ${m.team} team's CALMS survey “${m.title}”, open until ${until}.`,
    "",
    `Your personal link: ${m.url}`,
    "",
    "It takes about ten minutes. The link is yours alone and answers once. Your answers are stored without your name",
    "or address and cannot be joined to this link; a team's results stay hidden until enough people have answered.",
    "This address is deleted as soon as you answer, or when the survey closes.",
  ];
  return {
    to: [to],
    subject: `${m.reminder ? "Reminder: " : ""}CALMS survey: ${m.title}`,
    text: `${lines.join("\n")}\n`,
    html:
      `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1a1a1a">` +
      `<p>${escapeHtml(lines[0] as string)}</p>` +
      `<p><a href="${escapeHtml(m.url)}">Answer the survey</a><br><span style="color:#555">${escapeHtml(m.url)}</span></p>` +
      `<p style="color:#555">${escapeHtml(lines.slice(4).join(" "))}</p></body></html>`,
    attachments: [],
  };
}

type Claimed = NonNullable<Awaited<ReturnType<typeof claim>>>;

async function attempt(db: Db, c: Claimed, deps: SurveyMailDeps, now: () => Date) {
  const m = c.mail;
  const reminder = m.kind === "reminder";
  try {
    let to: string;
    let url: string;
    try {
      to = open(m.emailSealed);
      url = open(m.urlSealed);
    } catch {
      throw new Error(
        "the stored address cannot be opened (was THROUGHLINE_SECRET_KEY changed?): paste it again",
      );
    }
    const mailer = deps.mailer ?? smtpMailer();
    const result = await mailer(
      composeSurveyMail({ title: c.title, team: c.team, closesOn: c.closesOn, url, reminder }, to),
    );
    if (result.accepted.length === 0) throw new Error("the mail server accepted no recipient");
    await db
      .update(calmsLinkMails)
      .set({
        status: "sent",
        sentAt: now(),
        leaseUntil: null,
        lastError: null,
        reminders: reminder ? m.reminders + 1 : m.reminders,
      })
      .where(eq(calmsLinkMails.linkId, m.linkId));
    deps.log?.(`[survey-mail] link ${m.linkId}: ${reminder ? "reminder" : "invitation"} sent`);
    return "sent" as const;
  } catch (error) {
    const reason = withoutAddresses((error as Error).message || String(error)).slice(0, 500);
    const last = m.attempts >= MAX_ATTEMPTS;
    const wait = BACKOFF_MINUTES[Math.min(m.attempts, BACKOFF_MINUTES.length) - 1] ?? 60;
    // The link may have answered meanwhile (its row is gone): updating nothing is then right.
    await db
      .update(calmsLinkMails)
      .set({
        status: last ? "failed" : "pending",
        lastError: reason,
        leaseUntil: null,
        nextAttemptAt: new Date(now().getTime() + wait * 60_000),
      })
      .where(eq(calmsLinkMails.linkId, m.linkId));
    deps.log?.(
      `[survey-mail] link ${m.linkId}: attempt ${m.attempts} failed (${reason})${last ? ", giving up" : `, retrying in ${wait} min`}`,
    );
    return last ? ("failed" as const) : ("retrying" as const);
  }
}

/** One run: forget the rows of closed rounds, then send every mail that is ready. */
export async function runSurveyMail(db: Db, deps: SurveyMailDeps = {}): Promise<SurveyMailResult> {
  const now = deps.now ?? (() => new Date());
  const result: SurveyMailResult = {
    sent: 0,
    retrying: 0,
    failed: 0,
    wiped: await wipeClosedRounds(db, now()),
  };
  for (let c = await claim(db, now()); c; c = await claim(db, now()))
    result[await attempt(db, c, deps, now)]++;
  return result;
}

/** Is any survey mail waiting? The job skips its work when none is (it runs every minute). */
export async function hasSurveyMail(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: calmsLinkMails.linkId }).from(calmsLinkMails).limit(1);
  return !!row;
}
