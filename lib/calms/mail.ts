import { and, asc, eq, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { calmsLinkMails, calmsRespondentLinks, calmsRounds, calmsRoundTeams } from "@/lib/db/schema";
import { open, seal, secretKey } from "@/lib/delivery/secret-box";
import { MAX_ADDRESSES } from "./address-list";
import { getRoundRow, orgToday, RoundError, roundStatus } from "./rounds";
import { hashLinkToken, newLinkToken, surveyPath } from "./tokens";

/**
 * Mailing single-use links (docs/adr/0024-survey-mail.md). For each pasted address: a new respondent link, and a
 * calms_link_mails row holding the address and the link's URL, both sealed, while the link is unused. The queue job
 * `survey-mail` (lib/calms/mail-send.ts) sends them. The row goes in the transaction that marks its link used
 * (lib/calms/submit.ts) and for every link of a round when it closes: the database never keeps who answered.
 */

/** The round-team of a respondent-mode team in a round that still takes answers (or will). */
async function mailableRoundTeam(db: Db, roundId: number, teamId: number, now: Date): Promise<number> {
  const round = await getRoundRow(db, roundId);
  if (!round) throw new RoundError("round", "That round no longer exists");
  if (roundStatus(round, await orgToday(db, now)) === "closed")
    throw new RoundError("round", "This round is closed: its links no longer accept answers");
  const [rt] = await db
    .select({ id: calmsRoundTeams.id, linkMode: calmsRoundTeams.linkMode })
    .from(calmsRoundTeams)
    .where(and(eq(calmsRoundTeams.roundId, roundId), eq(calmsRoundTeams.teamId, teamId)));
  if (!rt) throw new RoundError("round", "That team is not part of this round");
  if (rt.linkMode !== "respondent")
    throw new RoundError(
      "round",
      "This team answers through a shared team link: it has no personal links to mail",
    );
  return rt.id;
}

const openOrNull = (sealed: string, key: Buffer) => {
  try {
    return open(sealed, key);
  } catch {
    return null;
  }
};

export interface MailQueued {
  queued: number;
  /** Addresses that already hold an unused link of this team: "Send reminder" sends that one again. */
  alreadyInvited: string[];
}

/**
 * One new single-use link per address, queued for sending. `baseUrl` is the server's public origin: the URL is
 * sealed as it will be mailed, so a reminder sends exactly the same link.
 */
export async function queueLinkMails(
  db: Db,
  roundId: number,
  teamId: number,
  addresses: readonly string[],
  baseUrl: string,
  now = new Date(),
): Promise<MailQueued> {
  if (addresses.length === 0 || addresses.length > MAX_ADDRESSES)
    throw new RoundError("count", `Between 1 and ${MAX_ADDRESSES} addresses at once`);
  const roundTeamId = await mailableRoundTeam(db, roundId, teamId, now);
  const key = secretKey();
  const existing = await db
    .select({ emailSealed: calmsLinkMails.emailSealed })
    .from(calmsLinkMails)
    .where(eq(calmsLinkMails.roundTeamId, roundTeamId));
  const pending = new Set(existing.map((e) => openOrNull(e.emailSealed, key)));
  const fresh = addresses.filter((a) => !pending.has(a));
  if (fresh.length > 0) {
    await db.transaction(async (tx) => {
      const tokens = fresh.map(() => newLinkToken());
      const links = await tx
        .insert(calmsRespondentLinks)
        .values(tokens.map((t) => ({ roundTeamId, tokenHash: hashLinkToken(t) })))
        .returning({ id: calmsRespondentLinks.id, tokenHash: calmsRespondentLinks.tokenHash });
      const idOf = new Map(links.map((l) => [l.tokenHash, l.id]));
      await tx.insert(calmsLinkMails).values(
        fresh.map((email, i) => {
          const token = tokens[i] as string;
          return {
            linkId: idOf.get(hashLinkToken(token)) as number,
            roundTeamId,
            emailSealed: seal(email, key),
            urlSealed: seal(`${baseUrl.replace(/\/+$/, "")}${surveyPath(token)}`, key),
            nextAttemptAt: now,
          };
        }),
      );
    });
  }
  return { queued: fresh.length, alreadyInvited: addresses.filter((a) => pending.has(a)) };
}

/** "Send reminder": every mailed link of the team that is still unused gets its same link again. */
export async function queueReminders(
  db: Db,
  roundId: number,
  teamId: number,
  now = new Date(),
): Promise<number> {
  const roundTeamId = await mailableRoundTeam(db, roundId, teamId, now);
  const rows = await db
    .update(calmsLinkMails)
    .set({ kind: "reminder", status: "pending", attempts: 0, nextAttemptAt: now, lastError: null })
    .where(
      and(
        eq(calmsLinkMails.roundTeamId, roundTeamId),
        inArray(calmsLinkMails.status, ["sent", "failed"]),
        // Rows of used links are deleted with the claim; this says it again where it matters.
        sql`exists (select 1 from calms_respondent_links l where l.id = ${calmsLinkMails.linkId} and not l.used)`,
      ),
    )
    .returning({ id: calmsLinkMails.linkId });
  return rows.length;
}

/** Rounds that closed by their date (nothing happens on that day itself): their mail rows go too. */
export async function wipeClosedRounds(db: Db, now = new Date()): Promise<number> {
  const today = await orgToday(db, now);
  const closed = db
    .select({ id: calmsRoundTeams.id })
    .from(calmsRoundTeams)
    .innerJoin(calmsRounds, eq(calmsRounds.id, calmsRoundTeams.roundId))
    .where(or(isNotNull(calmsRounds.closedAt), lt(calmsRounds.closesOn, today)));
  const rows = await db
    .delete(calmsLinkMails)
    .where(inArray(calmsLinkMails.roundTeamId, closed))
    .returning({ id: calmsLinkMails.linkId });
  return rows.length;
}

export interface LinkMailRow {
  linkId: number;
  roundTeamId: number;
  /** Null when the stored address cannot be opened (THROUGHLINE_SECRET_KEY changed). */
  email: string | null;
  kind: "invite" | "reminder";
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
  reminders: number;
}

/** The round page's list: who has been mailed and has not answered yet, with each send's outcome. Admins only. */
export async function listLinkMails(db: Db, roundId: number, now = new Date()): Promise<LinkMailRow[]> {
  // A round past its closing date keeps no addresses, even before the next job run.
  await wipeClosedRounds(db, now);
  const rows = await db
    .select({
      linkId: calmsLinkMails.linkId,
      roundTeamId: calmsLinkMails.roundTeamId,
      emailSealed: calmsLinkMails.emailSealed,
      kind: calmsLinkMails.kind,
      status: calmsLinkMails.status,
      attempts: calmsLinkMails.attempts,
      nextAttemptAt: calmsLinkMails.nextAttemptAt,
      lastError: calmsLinkMails.lastError,
      sentAt: calmsLinkMails.sentAt,
      reminders: calmsLinkMails.reminders,
    })
    .from(calmsLinkMails)
    .innerJoin(calmsRoundTeams, eq(calmsRoundTeams.id, calmsLinkMails.roundTeamId))
    .where(eq(calmsRoundTeams.roundId, roundId))
    .orderBy(asc(calmsLinkMails.linkId));
  if (rows.length === 0) return [];
  const key = secretKey();
  return rows
    .map(({ emailSealed, ...r }) => ({ ...r, email: openOrNull(emailSealed, key) }))
    .sort((a, b) => (a.email ?? "").localeCompare(b.email ?? ""));
}
