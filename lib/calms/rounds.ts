import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import {
  calmsCustomItems,
  calmsLinkMails,
  calmsRespondentLinks,
  calmsResponses,
  calmsRoundItems,
  calmsRounds,
  calmsRoundTeams,
  teamMembers,
  teams,
} from "@/lib/db/schema";
import type { LinkMode } from "@/lib/db/schema/calms";
import type { Source } from "@/lib/domain/vocabulary";
import { localDate } from "@/lib/metrics/period";
import { getOrgSettings } from "@/lib/settings/org";
import { BANK, BANK_VERSION, BLOCKS, type Block, bankItem, customKey, type Scale } from "./bank";
import { checkBlocks, LinkCount, MinGroupSize, RoundInput } from "./inputs";
import type { RoundItem } from "./scoring";
import { hashLinkToken, newLinkToken } from "./tokens";

/**
 * CALMS rounds: every admin mutation lives here (and is called only from app/settings/survey/actions.ts), so that
 * access control can be added in one place.
 */

export class RoundError extends Error {
  constructor(
    readonly field:
      | "title"
      | "opensOn"
      | "closesOn"
      | "teamIds"
      | "minGroupSize"
      | "itemKeys"
      | "round"
      | "count",
    message: string,
  ) {
    super(message);
    this.name = "RoundError";
  }
}

export type RoundStatus = "scheduled" | "open" | "closed";

export interface RoundRow {
  id: number;
  title: string;
  opensOn: string;
  closesOn: string;
  closedAt: Date | null;
  minGroupSize: number;
  bankVersion: string;
}

export function roundStatus(
  round: Pick<RoundRow, "opensOn" | "closesOn" | "closedAt">,
  today: string,
): RoundStatus {
  if (round.closedAt || today > round.closesOn) return "closed";
  return today < round.opensOn ? "scheduled" : "open";
}

/** Today in the org's time zone: round dates are local dates. */
export async function orgToday(db: Db, now: Date = new Date()): Promise<string> {
  return localDate((await getOrgSettings(db)).timeZone, now);
}

export interface TeamLink {
  teamId: number;
  slug: string;
  name: string;
  /** The raw token: returned once, never stored. */
  token: string;
}

export async function createRound(
  db: Db,
  input: RoundInput,
  source: Source = "ui",
): Promise<{ roundId: number; links: TeamLink[] }> {
  const r = RoundInput.parse(input);
  return db.transaction(async (tx) => {
    const chosenTeams = await tx
      .select({ id: teams.id, slug: teams.slug, name: teams.name })
      .from(teams)
      .where(inArray(teams.id, r.teamIds))
      .orderBy(asc(teams.name));
    if (chosenTeams.length !== new Set(r.teamIds).size) {
      throw new RoundError("teamIds", "A team you chose no longer exists: reload the page");
    }

    const customRows = r.itemKeys.filter((k) => !bankItem(k)).map((k) => Number(k.slice(1)));
    const existing = customRows.length
      ? await tx.select().from(calmsCustomItems).where(inArray(calmsCustomItems.id, customRows))
      : [];
    if (existing.length !== customRows.length) {
      throw new RoundError("itemKeys", "A custom statement you chose no longer exists: reload the page");
    }
    const created = [];
    for (const c of r.customItems) {
      await tx.insert(calmsCustomItems).values(c).onConflictDoNothing();
      const [row] = await tx
        .select()
        .from(calmsCustomItems)
        .where(and(eq(calmsCustomItems.block, c.block), eq(calmsCustomItems.text, c.text)));
      if (row) created.push(row);
    }

    const chosen: Omit<RoundItem, "position">[] = [
      ...BANK.filter((i) => r.itemKeys.includes(i.key)).map((i) => ({ ...i })),
      ...[...existing, ...created].map((c) => ({
        key: customKey(c.id),
        block: c.block as Block,
        scale: "frequency" as Scale,
        text: c.text,
      })),
    ];
    const unique = [...new Map(chosen.map((i) => [i.key, i])).values()];
    const problem = checkBlocks(unique.map((i) => i.block));
    if (problem) throw new RoundError("itemKeys", problem);
    const ordered = BLOCKS.flatMap((b) => unique.filter((i) => i.block === b));

    const [round] = await tx
      .insert(calmsRounds)
      .values({
        title: r.title,
        opensOn: r.opensOn,
        closesOn: r.closesOn,
        minGroupSize: r.minGroupSize,
        bankVersion: BANK_VERSION,
        source,
      })
      .returning({ id: calmsRounds.id });
    const roundId = (round as { id: number }).id;
    await tx.insert(calmsRoundItems).values(
      ordered.map((i, position) => ({
        roundId,
        itemKey: i.key,
        block: i.block,
        scale: i.scale,
        text: i.text,
        position,
      })),
    );

    const sizes = await tx
      .select({ teamId: teamMembers.teamId, n: count() })
      .from(teamMembers)
      .where(inArray(teamMembers.teamId, r.teamIds))
      .groupBy(teamMembers.teamId);
    const links: TeamLink[] = [];
    for (const t of chosenTeams) {
      // Respondent mode: no team link; the admin asks for single-use links per team (createRespondentLinks).
      const token = r.linkMode === "team" ? newLinkToken() : null;
      const size = sizes.find((s) => s.teamId === t.id)?.n ?? 0;
      await tx.insert(calmsRoundTeams).values({
        roundId,
        teamId: t.id,
        linkMode: r.linkMode,
        tokenHash: token ? hashLinkToken(token) : null,
        teamSize: size > 0 ? size : null,
      });
      if (token) links.push({ teamId: t.id, slug: t.slug, name: t.name, token });
    }
    return { roundId, links };
  });
}

/** A new team link (team mode only): the old one stops working; answers already given stay. */
export async function renewLink(db: Db, roundId: number, teamId: number): Promise<string> {
  const token = newLinkToken();
  const updated = await db
    .update(calmsRoundTeams)
    .set({ tokenHash: hashLinkToken(token), linkCreatedAt: new Date() })
    .where(
      and(
        eq(calmsRoundTeams.roundId, roundId),
        eq(calmsRoundTeams.teamId, teamId),
        eq(calmsRoundTeams.linkMode, "team"),
      ),
    )
    .returning({ id: calmsRoundTeams.id });
  if (updated.length === 0) {
    throw new RoundError(
      "round",
      "That team is not part of this round, or it answers through single-use links",
    );
  }
  return token;
}

/**
 * `count` new single-use links for a team of a respondent-mode round (ADR 0014). Only their hashes are stored; the
 * raw tokens are returned once. More can be asked for at any time (a new member, a lost link).
 */
export async function createRespondentLinks(
  db: Db,
  roundId: number,
  teamId: number,
  count: unknown,
): Promise<string[]> {
  const parsed = LinkCount.safeParse(count);
  if (!parsed.success) throw new RoundError("count", parsed.error.issues[0]?.message ?? "Invalid");
  const [rt] = await db
    .select({ id: calmsRoundTeams.id, linkMode: calmsRoundTeams.linkMode })
    .from(calmsRoundTeams)
    .where(and(eq(calmsRoundTeams.roundId, roundId), eq(calmsRoundTeams.teamId, teamId)));
  if (!rt) throw new RoundError("round", "That team is not part of this round");
  if (rt.linkMode !== "respondent") {
    throw new RoundError("round", "This team answers through a shared team link: renew that link instead");
  }
  const tokens = Array.from({ length: parsed.data }, () => newLinkToken());
  await db
    .insert(calmsRespondentLinks)
    .values(tokens.map((t) => ({ roundTeamId: rt.id, tokenHash: hashLinkToken(t) })));
  return tokens;
}

/** Closes a round now (answers stop being accepted; results stay), forgetting every mailed address with it. */
export async function closeRound(db: Db, roundId: number): Promise<void> {
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(calmsRounds)
      .set({ closedAt: new Date() })
      .where(and(eq(calmsRounds.id, roundId), isNull(calmsRounds.closedAt)))
      .returning({ id: calmsRounds.id });
    await tx
      .delete(calmsLinkMails)
      .where(
        inArray(
          calmsLinkMails.roundTeamId,
          tx
            .select({ id: calmsRoundTeams.id })
            .from(calmsRoundTeams)
            .where(eq(calmsRoundTeams.roundId, roundId)),
        ),
      );
    return rows;
  });
  if (updated.length === 0 && !(await getRoundRow(db, roundId))) {
    throw new RoundError("round", "That round no longer exists");
  }
}

export async function setMinGroupSize(db: Db, roundId: number, value: unknown): Promise<void> {
  const parsed = MinGroupSize.safeParse(value);
  if (!parsed.success) throw new RoundError("minGroupSize", parsed.error.issues[0]?.message ?? "Invalid");
  await db.update(calmsRounds).set({ minGroupSize: parsed.data }).where(eq(calmsRounds.id, roundId));
}

export async function getRoundRow(db: Db, roundId: number): Promise<RoundRow | null> {
  const [row] = await db.select().from(calmsRounds).where(eq(calmsRounds.id, roundId));
  return row ?? null;
}

export async function roundItems(db: Db, roundId: number): Promise<RoundItem[]> {
  const rows = await db
    .select()
    .from(calmsRoundItems)
    .where(eq(calmsRoundItems.roundId, roundId))
    .orderBy(asc(calmsRoundItems.position));
  return rows.map((r) => ({
    key: r.itemKey,
    block: r.block,
    scale: r.scale,
    text: r.text,
    position: r.position,
  }));
}

export interface RoundTeam {
  roundTeamId: number;
  teamId: number;
  slug: string;
  name: string;
  teamSize: number | null;
  linkMode: LinkMode;
  /**
   * Answers so far (a count is not identifying; the answers stay behind the threshold). In respondent mode the
   * number of distinct links that answered, which is what the threshold compares (ADR 0014).
   */
  n: number;
  /** Single-use links handed out (respondent mode; 0 in team mode). */
  linksIssued: number;
  linkCreatedAt: Date;
}

export async function roundTeams(db: Db, roundId: number): Promise<RoundTeam[]> {
  return db
    .select({
      roundTeamId: calmsRoundTeams.id,
      teamId: teams.id,
      slug: teams.slug,
      name: teams.name,
      teamSize: calmsRoundTeams.teamSize,
      linkMode: calmsRoundTeams.linkMode,
      // Written out: in a select list Drizzle renders columns unqualified (see lib/teams listTeams).
      n: sql<number>`(case when "calms_round_teams"."link_mode" = 'respondent'
        then (select count(*) from calms_respondent_links l where l.round_team_id = "calms_round_teams"."id" and l.used)
        else (select count(*) from calms_responses r where r.round_team_id = "calms_round_teams"."id") end)`.mapWith(
        Number,
      ),
      linksIssued:
        sql<number>`(select count(*) from calms_respondent_links l where l.round_team_id = "calms_round_teams"."id")`.mapWith(
          Number,
        ),
      linkCreatedAt: calmsRoundTeams.linkCreatedAt,
    })
    .from(calmsRoundTeams)
    .innerJoin(teams, eq(teams.id, calmsRoundTeams.teamId))
    .where(eq(calmsRoundTeams.roundId, roundId))
    .orderBy(asc(teams.name));
}

export interface RoundSummary extends RoundRow {
  status: RoundStatus;
  teams: RoundTeam[];
  items: number;
}

/** Every round, newest first, with its teams and answer counts. */
export async function listRounds(db: Db, today?: string): Promise<RoundSummary[]> {
  const day = today ?? (await orgToday(db));
  const rows = await db.select().from(calmsRounds).orderBy(desc(calmsRounds.closesOn), desc(calmsRounds.id));
  const out: RoundSummary[] = [];
  for (const r of rows) {
    const [items] = await db
      .select({ n: count() })
      .from(calmsRoundItems)
      .where(eq(calmsRoundItems.roundId, r.id));
    out.push({ ...r, status: roundStatus(r, day), teams: await roundTeams(db, r.id), items: items?.n ?? 0 });
  }
  return out;
}

export async function listCustomItems(db: Db) {
  return db.select().from(calmsCustomItems).orderBy(asc(calmsCustomItems.block), asc(calmsCustomItems.id));
}

/**
 * What a link opens: the round, the team's name and the statements. A team link, or a single-use respondent link
 * (`respondentLinkId` set, `used` once it has answered). Null for an unknown token.
 */
export async function findByToken(db: Db, token: string, today?: string) {
  const hash = hashLinkToken(token);
  const columns = { roundTeamId: calmsRoundTeams.id, roundId: calmsRoundTeams.roundId, teamName: teams.name };
  const [teamLink] = await db
    .select(columns)
    .from(calmsRoundTeams)
    .innerJoin(teams, eq(teams.id, calmsRoundTeams.teamId))
    .where(eq(calmsRoundTeams.tokenHash, hash));
  const [personal] = teamLink
    ? []
    : await db
        .select({ ...columns, respondentLinkId: calmsRespondentLinks.id, used: calmsRespondentLinks.used })
        .from(calmsRespondentLinks)
        .innerJoin(calmsRoundTeams, eq(calmsRoundTeams.id, calmsRespondentLinks.roundTeamId))
        .innerJoin(teams, eq(teams.id, calmsRoundTeams.teamId))
        .where(eq(calmsRespondentLinks.tokenHash, hash));
  const row = teamLink ? { ...teamLink, respondentLinkId: null, used: false } : personal;
  if (!row) return null;
  const round = (await getRoundRow(db, row.roundId)) as RoundRow;
  const day = today ?? (await orgToday(db));
  return { ...row, round, status: roundStatus(round, day), items: await roundItems(db, row.roundId) };
}

export async function responseCount(db: Db, roundTeamId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(calmsResponses)
    .where(eq(calmsResponses.roundTeamId, roundTeamId));
  return row?.n ?? 0;
}
