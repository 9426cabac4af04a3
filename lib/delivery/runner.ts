import { and, asc, eq, lte, sql } from "drizzle-orm";
import { readAuthConfig } from "@/lib/auth/config";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { reportDeliveries, reportSchedules, teams } from "@/lib/db/schema";
import { listDeployments } from "@/lib/deployments";
import { buildReport } from "@/lib/reports/build";
import { exportReport } from "@/lib/reports/export";
import { getOrgSettings } from "@/lib/settings/org";
import { postChat, slackMessage, teamsMessage } from "./chat";
import { toDigest } from "./digest";
import { type Attachment, composeMail, type Mail, type Mailer, smtpMailer } from "./email";
import { nextDue, webhookUrlProblem } from "./schedule";
import { open, secretKey } from "./secret-box";
import { unsubscribedAmong, unsubscribePath } from "./unsubscribe";

/**
 * Turns due schedules into deliveries and sends them. Safe to run from any number of processes at once:
 * a due time becomes one delivery row (unique per schedule and due time, inserted under the schedule's row lock),
 * and a delivery is sent by whoever claims it (FOR UPDATE SKIP LOCKED) with a lease. A sender that dies mid-send
 * leaves the lease to expire and the delivery is tried again: at least once across crashes, never twice at once.
 * A schedule that missed several due times while nothing ran sends one delivery for the latest, not a backlog.
 */

export const MAX_ATTEMPTS = 5;
/** Minutes to wait after the 1st, 2nd, 3rd and 4th failed attempt. */
export const BACKOFF_MINUTES = [1, 5, 15, 60] as const;
const LEASE_MS = 10 * 60_000;

export interface DeliveryDeps {
  now?: () => Date;
  mailer?: Mailer;
  fetch?: typeof fetch;
  /** The server's public URL for links back (default AUTH_URL). */
  baseUrl?: string | null;
  log?: (line: string) => void;
}

export interface TickResult {
  due: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** Creates the deliveries of every schedule due at `now` and moves each schedule to its next due time. */
export async function enqueueDue(db: Db, now: Date): Promise<number> {
  const { timeZone } = await getOrgSettings(db);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: reportSchedules.id, cron: reportSchedules.cron, nextDueAt: reportSchedules.nextDueAt })
      .from(reportSchedules)
      .where(and(eq(reportSchedules.paused, false), lte(reportSchedules.nextDueAt, now)))
      .for("update", { skipLocked: true });
    let created = 0;
    for (const s of due) {
      if (!s.nextDueAt) continue;
      // The latest due time not after now: missed ones in between are skipped, not sent as a backlog.
      let dueAt = s.nextDueAt;
      for (let next = nextDue(s.cron, timeZone, dueAt); next <= now; next = nextDue(s.cron, timeZone, next))
        dueAt = next;
      const inserted = await tx
        .insert(reportDeliveries)
        .values({ scheduleId: s.id, dueAt, nextAttemptAt: now })
        .onConflictDoNothing()
        .returning({ id: reportDeliveries.id });
      created += inserted.length;
      await tx
        .update(reportSchedules)
        .set({ nextDueAt: nextDue(s.cron, timeZone, now) })
        .where(eq(reportSchedules.id, s.id));
    }
    return created;
  });
}

/** Takes the next delivery ready at `now` (or one whose sender's lease ran out), marking it sending. */
async function claim(db: Db, now: Date) {
  // Raw SQL takes instants as ISO text (postgres.js does not bind a Date here).
  const t = sql`${now.toISOString()}::timestamptz`;
  const lease = sql`${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz`;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`
    update report_deliveries set status = 'sending', attempts = attempts + 1,
           lease_until = ${lease}, updated_at = ${t}
     where id = (select id from report_deliveries
                  where (status = 'pending' and next_attempt_at <= ${t})
                     or (status = 'sending' and lease_until < ${t})
                  order by next_attempt_at, id
                  limit 1
                  for update skip locked)
    returning id`,
  );
  const id = rows[0]?.id;
  if (id === undefined) return null;
  const [d] = await db
    .select({ delivery: reportDeliveries, schedule: reportSchedules, teamSlug: teams.slug })
    .from(reportDeliveries)
    .innerJoin(reportSchedules, eq(reportSchedules.id, reportDeliveries.scheduleId))
    .leftJoin(teams, eq(teams.id, reportSchedules.teamId))
    .where(eq(reportDeliveries.id, Number(id)));
  return d ?? null;
}

type Claimed = NonNullable<Awaited<ReturnType<typeof claim>>>;

/** Builds and sends one delivery; answers what was sent ("2 recipients: x.pdf"). Throws with a safe message. */
async function send(db: Db, c: Claimed, deps: DeliveryDeps): Promise<string> {
  const s = c.schedule;
  const input = { team: c.teamSlug ?? null, period: s.period, now: c.delivery.dueAt };
  const baseUrl = deps.baseUrl === undefined ? readAuthConfig().publicUrl : deps.baseUrl;
  const attachments: Attachment[] = [];
  // Built once: the PDF, the CSVs and the digest all come from it (the org queries are the slow part).
  const report = await buildReport(db, input);
  for (const format of s.channel === "email" ? s.formats.split(",").filter(Boolean) : []) {
    const out = await exportReport(db, { ...input, format: format as "pdf" | "csv" }, report);
    for (const f of out.files)
      attachments.push({ filename: f.name, contentType: f.contentType, content: Buffer.from(f.body) });
  }
  const failed = await listDeployments(db, {
    scope: report.dashboard.scope,
    period: report.dashboard.period,
    zone: report.org.timeZone,
    outcome: "failed",
    limit: 5,
  });
  // The list has no count: the period's failed deployments are the change failure rate's numerator.
  const total = Math.max(failed.rows.length, report.dashboard.metrics.changeFailureRate.current.numerator);
  const digest = toDigest(report, { rows: failed.rows, total }, baseUrl);
  if (s.channel === "email")
    return sendEmails(db, s.recipients, deps, baseUrl, (to, unsubscribeUrl) =>
      composeMail(digest, [to], attachments, unsubscribeUrl),
    ).then((summary) => `${summary}: ${attachments.map((a) => a.filename).join(", ")}`);
  const url = webhookUrl(s);
  await postChat(url, s.channel === "slack" ? slackMessage(digest) : teamsMessage(digest), deps.fetch);
  return `posted to ${s.webhookHost ?? s.channel}`;
}

/**
 * One mail per recipient, each with its own unsubscribe link (RFC 8058), skipping addresses that unsubscribed.
 * Throws (so the delivery is retried) only when no recipient was accepted. Without a public URL (AUTH_URL) or a
 * secret key there is no link to give, and the mail goes without one.
 */
async function sendEmails(
  db: Db,
  recipients: string[],
  deps: DeliveryDeps,
  baseUrl: string | null,
  compose: (to: string, unsubscribeUrl?: string) => Mail,
): Promise<string> {
  const skipped = await unsubscribedAmong(db, recipients);
  const to = recipients.filter((r) => !skipped.has(r.toLowerCase()));
  const unsubscribed = skipped.size ? `; ${skipped.size} unsubscribed, skipped` : "";
  if (to.length === 0) return `0 of ${recipients.length} recipients${unsubscribed}`;
  let key: Buffer | null = null;
  try {
    key = baseUrl ? secretKey() : null;
  } catch (error) {
    deps.log?.(`[reports] no unsubscribe link in report e-mails: ${(error as Error).message}`);
  }
  const mailer = deps.mailer ?? smtpMailer();
  const accepted: string[] = [];
  const refused: string[] = [];
  let firstError: Error | null = null;
  for (const address of to) {
    const link =
      baseUrl && key ? `${baseUrl.replace(/\/+$/, "")}${unsubscribePath(address, key)}` : undefined;
    try {
      const result = await mailer(compose(address, link));
      accepted.push(...result.accepted);
      refused.push(...result.rejected);
    } catch (error) {
      firstError ??= error as Error;
      refused.push(address);
    }
  }
  if (accepted.length === 0) {
    if (firstError) throw firstError;
    throw new Error(`the mail server accepted no recipient (${refused.join(", ")})`);
  }
  const refusedNote = refused.length ? `; refused: ${refused.join(", ")}` : "";
  return `${accepted.length} of ${recipients.length} recipients${refusedNote}${unsubscribed}`;
}

/** The chat URL: from the environment variable a config schedule names, else sealed in the row. */
function webhookUrl(s: Claimed["schedule"]): string {
  if (s.webhookUrlEnv) {
    const url = process.env[s.webhookUrlEnv]?.trim();
    if (!url)
      throw new Error(`${s.webhookUrlEnv} is not set on this server (the config file's schedule names it)`);
    const problem = webhookUrlProblem(url);
    if (problem) throw new Error(`${s.webhookUrlEnv} ${problem}`);
    return url;
  }
  if (!s.webhookUrlSealed) throw new Error("the schedule has no webhook URL: delete it and create it again");
  return open(s.webhookUrlSealed);
}

/** Sends one claimed delivery and records the outcome; never throws for a delivery's own failure. */
async function attempt(
  db: Db,
  c: Claimed,
  deps: DeliveryDeps,
  now: () => Date,
): Promise<"sent" | "retrying" | "failed"> {
  const id = c.delivery.id;
  try {
    const summary = await send(db, c, deps);
    await db
      .update(reportDeliveries)
      .set({ status: "sent", sentAt: now(), summary, leaseUntil: null, lastError: null })
      .where(eq(reportDeliveries.id, id));
    deps.log?.(`[reports] ${c.schedule.name}: sent (${summary})`);
    return "sent";
  } catch (error) {
    // Messages are ours or redacted (SMTP password, webhook URL never included); cut to keep rows small.
    const reason = ((error as Error).message || String(error)).slice(0, 500);
    const attempts = c.delivery.attempts;
    const last = attempts >= MAX_ATTEMPTS;
    const wait = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1] ?? 60;
    await db
      .update(reportDeliveries)
      .set({
        status: last ? "failed" : "pending",
        lastError: reason,
        leaseUntil: null,
        nextAttemptAt: new Date(now().getTime() + wait * 60_000),
      })
      .where(eq(reportDeliveries.id, id));
    deps.log?.(
      `[reports] ${c.schedule.name}: attempt ${attempts} failed (${reason})${last ? ", giving up" : `, retrying in ${wait} min`}`,
    );
    return last ? "failed" : "retrying";
  }
}

/** One tick: enqueue what is due, then send every delivery that is ready. */
export async function runDueDeliveries(db: Db, deps: DeliveryDeps = {}): Promise<TickResult> {
  const now = deps.now ?? (() => new Date());
  const result: TickResult = { due: await enqueueDue(db, now()), sent: 0, retrying: 0, failed: 0 };
  for (let c = await claim(db, now()); c; c = await claim(db, now()))
    result[await attempt(db, c, deps, now)]++;
  return result;
}

/** Is anything scheduled at all? The report job skips its work on an org without schedules. */
export async function hasSchedules(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: reportSchedules.id })
    .from(reportSchedules)
    .orderBy(asc(reportSchedules.id))
    .limit(1);
  return !!row;
}
