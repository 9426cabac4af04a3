import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { Block, Scale } from "@/lib/calms/bank";
import type { Source } from "@/lib/domain/vocabulary";
import { rowTimestamps, timestamptz } from "./columns";
import { teams } from "./teams";

/**
 * The CALMS self-assessment (lib/calms, docs/calms.md, docs/adr/0007-calms-survey.md).
 *
 * Anonymity is a property of this schema, not only of the pages: a response row holds a random submission id and
 * the round-team it belongs to, nothing else: no name, e-mail, IP address, user agent or time. Comments are stored
 * apart from answers, so a comment cannot be joined to the answers of the person who wrote it. Links (team and
 * respondent) are stored only as SHA-256 hashes, and a respondent link records only that it was used, never which
 * response it gave (docs/adr/0014-survey-anonymity.md).
 */

const BLOCK_LIST = "'culture', 'automation', 'lean', 'measurement', 'sharing', 'westrum'";

/** Statements an admin wrote, reusable in later rounds. Never edited: a new wording is a new row (a new key). */
export const calmsCustomItems = pgTable(
  "calms_custom_items",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    block: text().$type<Block>().notNull(),
    text: text().notNull(),
    ...rowTimestamps,
  },
  (t) => [
    uniqueIndex("calms_custom_items_block_text_uq").on(t.block, t.text),
    check(
      "calms_custom_items_block_ck",
      sql`${t.block} in (${sql.raw(BLOCK_LIST)}) and ${t.block} <> 'westrum'`,
    ),
    check("calms_custom_items_text_ck", sql`length(${t.text}) between 10 and 200`),
  ],
);

export const calmsRounds = pgTable(
  "calms_rounds",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    title: text().notNull(),
    /** Local dates in the org's time zone, both inclusive. */
    opensOn: date({ mode: "string" }).notNull(),
    closesOn: date({ mode: "string" }).notNull(),
    /** Set when an admin closes the round early. */
    closedAt: timestamptz(),
    /** Team results stay hidden below this many answers (3 at the lowest; 5 unless an admin lowers it). */
    minGroupSize: smallint().notNull().default(5),
    bankVersion: text().notNull(),
    /** `demo` rounds go with the demo organisation (lib/calms/demo.ts). */
    source: text().$type<Source>().notNull().default("ui"),
    ...rowTimestamps,
  },
  (t) => [
    index("calms_rounds_closes_idx").on(t.closesOn),
    check("calms_rounds_dates_ck", sql`${t.closesOn} >= ${t.opensOn}`),
    check("calms_rounds_min_group_ck", sql`${t.minGroupSize} between 3 and 50`),
  ],
);

/** The statements of a round, copied at creation: a round keeps its wording even if the bank moves on. */
export const calmsRoundItems = pgTable(
  "calms_round_items",
  {
    roundId: integer()
      .notNull()
      .references(() => calmsRounds.id, { onDelete: "cascade" }),
    itemKey: text().notNull(),
    block: text().$type<Block>().notNull(),
    scale: text().$type<Scale>().notNull(),
    text: text().notNull(),
    position: smallint().notNull(),
  },
  (t) => [
    primaryKey({ name: "calms_round_items_pk", columns: [t.roundId, t.itemKey] }),
    check("calms_round_items_block_ck", sql`${t.block} in (${sql.raw(BLOCK_LIST)})`),
    check("calms_round_items_scale_ck", sql`${t.scale} in ('frequency', 'agreement')`),
  ],
);

/**
 * A team taking part in a round. `respondent` mode (the default): each person answers through their own single-use
 * link (calms_respondent_links). `team` mode (lower assurance, ADR 0014): one shared link, hash only, the raw token
 * shown to the admin once. Rows from before ADR 0014 are team links, hence the column default.
 */
export const calmsRoundTeams = pgTable(
  "calms_round_teams",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    roundId: integer()
      .notNull()
      .references(() => calmsRounds.id, { onDelete: "cascade" }),
    teamId: integer()
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    linkMode: text().$type<LinkMode>().notNull().default("team"),
    /** SHA-256 (hex) of the team link's token; null in respondent mode. */
    tokenHash: text(),
    /** Members listed for the team when the round was created: the denominator of the response rate. */
    teamSize: smallint(),
    linkCreatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("calms_round_teams_round_team_uq").on(t.roundId, t.teamId),
    uniqueIndex("calms_round_teams_token_uq").on(t.tokenHash),
    index("calms_round_teams_team_idx").on(t.teamId),
    check("calms_round_teams_link_mode_ck", sql`${t.linkMode} in ('team', 'respondent')`),
    check("calms_round_teams_token_mode_ck", sql`(${t.linkMode} = 'team') = (${t.tokenHash} is not null)`),
  ],
);

export type LinkMode = "team" | "respondent";

/**
 * Single-use respondent links (ADR 0014): the SHA-256 of the token and whether it has answered. Deliberately no
 * submission id and no time: the admin who handed out the links cannot join a link to the answers it gave.
 */
export const calmsRespondentLinks = pgTable(
  "calms_respondent_links",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    roundTeamId: integer()
      .notNull()
      .references(() => calmsRoundTeams.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    used: boolean().notNull().default(false),
  },
  (t) => [
    uniqueIndex("calms_respondent_links_token_uq").on(t.tokenHash),
    index("calms_respondent_links_round_team_idx").on(t.roundTeamId),
  ],
);

/**
 * One submitted questionnaire. The primary key is the submission id the form was rendered with: a second POST of
 * the same form (double click, retry, back-and-resubmit) conflicts and counts once. No other column on purpose.
 */
export const calmsResponses = pgTable(
  "calms_responses",
  {
    submissionId: uuid().primaryKey(),
    roundTeamId: integer()
      .notNull()
      .references(() => calmsRoundTeams.id, { onDelete: "cascade" }),
  },
  (t) => [index("calms_responses_round_team_idx").on(t.roundTeamId)],
);

/** One answer; `value` null = "Don't know". Frequency items are 0–4, agreement items 1–7. */
export const calmsAnswers = pgTable(
  "calms_answers",
  {
    submissionId: uuid()
      .notNull()
      .references(() => calmsResponses.submissionId, { onDelete: "cascade" }),
    itemKey: text().notNull(),
    value: smallint(),
  },
  (t) => [
    primaryKey({ name: "calms_answers_pk", columns: [t.submissionId, t.itemKey] }),
    check("calms_answers_value_ck", sql`${t.value} is null or ${t.value} between 0 and 7`),
  ],
);

/** Free-text comments, kept apart from the answers (no submission id): shown only from 10 answers up. */
export const calmsComments = pgTable(
  "calms_comments",
  {
    /** Random, so the row order says nothing about who answered when. */
    id: uuid().primaryKey().defaultRandom(),
    roundTeamId: integer()
      .notNull()
      .references(() => calmsRoundTeams.id, { onDelete: "cascade" }),
    body: text().notNull(),
  },
  (t) => [
    index("calms_comments_round_team_idx").on(t.roundTeamId),
    check("calms_comments_body_ck", sql`length(${t.body}) between 1 and 2000`),
  ],
);

/**
 * A respondent link being mailed (docs/adr/0024-survey-mail.md): the address and the link's URL (which holds its
 * token), both sealed (AES-256-GCM, lib/delivery/secret-box.ts), so that "Send reminder" can send the same link
 * again. The row exists only while its link is unused and its round open: it is deleted in the transaction that
 * marks the link used, and for every link when the round closes. The link row itself stays hash + used, so the
 * database never keeps who answered; what it shows meanwhile is who has not answered yet.
 */
export const calmsLinkMails = pgTable(
  "calms_link_mails",
  {
    linkId: integer()
      .primaryKey()
      .references(() => calmsRespondentLinks.id, { onDelete: "cascade" }),
    roundTeamId: integer()
      .notNull()
      .references(() => calmsRoundTeams.id, { onDelete: "cascade" }),
    emailSealed: text().notNull(),
    urlSealed: text().notNull(),
    /** What the next or last send is: the first mail or a reminder (same link). */
    kind: text().$type<"invite" | "reminder">().notNull().default("invite"),
    /** pending → sending → sent, or back to pending with a later nextAttemptAt, or failed after the last attempt. */
    status: text().$type<"pending" | "sending" | "sent" | "failed">().notNull().default("pending"),
    attempts: smallint().notNull().default(0),
    nextAttemptAt: timestamptz().notNull().defaultNow(),
    /** While sending: when another process may take it over (the sender died). */
    leaseUntil: timestamptz(),
    /** Why the last attempt failed, addresses and secrets removed. */
    lastError: text(),
    sentAt: timestamptz(),
    reminders: smallint().notNull().default(0),
  },
  (t) => [
    index("calms_link_mails_ready_idx").on(t.status, t.nextAttemptAt),
    index("calms_link_mails_round_team_idx").on(t.roundTeamId),
    check("calms_link_mails_status_ck", sql`${t.status} in ('pending', 'sending', 'sent', 'failed')`),
    check("calms_link_mails_kind_ck", sql`${t.kind} in ('invite', 'reminder')`),
  ],
);
