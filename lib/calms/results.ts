import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import type { LinkMode } from "@/lib/db/schema/calms";
import { type AlphaResult, type AlphaVerdict, alphaVerdict, cronbach, isWeakItem } from "./alpha";
import { type Block, groupByBlock, toTen } from "./bank";
import {
  getRoundRow,
  orgToday,
  type RoundRow,
  type RoundStatus,
  type RoundTeam,
  roundItems,
  roundStatus,
  roundTeams,
} from "./rounds";
import {
  type BlockScore,
  blockScores,
  type ResponseAnswers,
  type RoundItem,
  straightLined,
  withhold,
} from "./scoring";
import {
  type Disclosure,
  dimensionShown,
  effectiveThreshold,
  type HiddenReason,
  orgDimensionWithheld,
  planDisclosure,
  selectionMembers,
} from "./suppression";

/**
 * The one read model of CALMS results. Pages, the JSON API and exports all go through here, so the anonymity rules
 * (lib/calms/suppression.ts) are applied once, on the server: a hidden team's figures are never computed into
 * anything that leaves this module except the protected organisation figure.
 */

export interface TeamCell {
  roundTeamId: number;
  teamId: number;
  slug: string;
  name: string;
  n: number;
  teamSize: number | null;
  /** `team`: answered through one shared link, so statement-level detail is never shown (ADR 0014). */
  linkMode: LinkMode;
  /** n / listed members; null when the team listed no members. */
  responseRate: number | null;
  visible: boolean;
  hidden: HiddenReason | null;
  /** null when hidden. */
  blocks: BlockScore[] | null;
}

export interface ReliabilityBlock {
  block: Block;
  result: AlphaResult;
  verdict: AlphaVerdict;
  itemKeys: string[];
  weakItems: string[];
}

export interface RoundResults {
  round: RoundRow & { status: RoundStatus };
  threshold: number;
  items: RoundItem[];
  teams: TeamCell[];
  org: { n: number; visible: boolean; blocks: BlockScore[] | null };
  /** A selection of teams (API `?teams=`): pools only teams whose results are shown. */
  selection: { included: string[]; excluded: string[]; n: number; blocks: BlockScore[] | null } | null;
  reliability: { blocks: ReliabilityBlock[]; straightLined: number; n: number };
}

export interface LoadedRound {
  round: RoundRow & { status: RoundStatus };
  threshold: number;
  items: RoundItem[];
  teams: RoundTeam[];
  disclosure: Disclosure;
  responses: Map<number, ResponseAnswers[]>;
}

/** Every answer of a round, grouped by round-team. Nothing identifies a person: a response is a bag of answers. */
export async function loadResponses(db: Db, roundId: number, roundTeamId?: number) {
  const rows = await queryRows<{ rt: number; sid: string; key: string; value: number | null }>(
    db,
    sql`select r.round_team_id as rt, a.submission_id::text as sid, a.item_key as key, a.value::int as value
        from calms_answers a
        join calms_responses r on r.submission_id = a.submission_id
        join calms_round_teams t on t.id = r.round_team_id
        where t.round_id = ${roundId} ${roundTeamId === undefined ? sql`` : sql`and t.id = ${roundTeamId}`}`,
  );
  const byResponse = new Map<string, { rt: number; answers: Map<string, number | null> }>();
  for (const row of rows) {
    let r = byResponse.get(row.sid);
    if (!r) {
      r = { rt: Number(row.rt), answers: new Map() };
      byResponse.set(row.sid, r);
    }
    r.answers.set(row.key, row.value === null ? null : Number(row.value));
  }
  const out = new Map<number, ResponseAnswers[]>();
  for (const r of byResponse.values()) out.set(r.rt, [...(out.get(r.rt) ?? []), { answers: r.answers }]);
  return out;
}

export async function loadRound(db: Db, roundId: number, today?: string): Promise<LoadedRound | null> {
  const row = await getRoundRow(db, roundId);
  if (!row) return null;
  const day = today ?? (await orgToday(db));
  const [items, teams, responses] = await Promise.all([
    roundItems(db, roundId),
    roundTeams(db, roundId),
    loadResponses(db, roundId),
  ]);
  const disclosure = planDisclosure(
    teams.map((t) => ({ key: t.slug, label: t.name, n: t.n })),
    row.minGroupSize,
  );
  return {
    round: { ...row, status: roundStatus(row, day) },
    threshold: effectiveThreshold(row.minGroupSize),
    items,
    teams,
    disclosure,
    responses,
  };
}

export function teamCell(loaded: LoadedRound, t: RoundTeam): TeamCell {
  const hidden = loaded.disclosure.hidden.get(t.slug) ?? null;
  return {
    roundTeamId: t.roundTeamId,
    teamId: t.teamId,
    slug: t.slug,
    name: t.name,
    n: t.n,
    teamSize: t.teamSize,
    linkMode: t.linkMode,
    responseRate: t.teamSize ? t.n / t.teamSize : null,
    visible: hidden === null,
    hidden,
    blocks:
      hidden === null
        ? thresholdBlocks(
            blockScores(loaded.responses.get(t.roundTeamId) ?? [], loaded.items),
            loaded.round.minGroupSize,
          )
        : null,
  };
}

/**
 * Per-statement detail (answer distributions, statement means) of a team: only when its results are shown and every
 * answer came through its own single-use link. Through a shared team link one person can submit several times, and
 * subtracting their own answers from a statement's distribution isolates the others' (issue 14 §3, ADR 0014).
 */
export function statementsShown(cell: Pick<TeamCell, "visible" | "linkMode">): boolean {
  return cell.visible && cell.linkMode === "respondent";
}

/** Rule 6 (lib/calms/suppression.ts): a dimension resting on fewer people than the threshold is withheld. */
function thresholdBlocks(scores: BlockScore[], minGroupSize: number): BlockScore[] {
  return scores.map((b) => (b.n === 0 || dimensionShown(b.n, minGroupSize) ? b : withhold(b, "too_few")));
}

/**
 * The organisation figure of a round per dimension, the one aggregate that pools hidden answers: null below the
 * threshold (rule 3), and a dimension withheld when the organisation minus the team scores shown for it would leave
 * too few people (rule 6). `cells` are every team of the round (teamCell).
 */
export function orgBlocks(loaded: LoadedRound, cells: readonly TeamCell[]): BlockScore[] | null {
  if (!loaded.disclosure.total.visible) return null;
  const all = [...loaded.responses.values()].flat();
  return blockScores(all, loaded.items).map((b) => {
    const shown = cells.flatMap(
      (c) => c.blocks?.filter((x) => x.block === b.block && !x.withheld).map((x) => x.n) ?? [],
    );
    const reason = orgDimensionWithheld(b.n, shown, loaded.round.minGroupSize);
    return reason ? withhold(b, reason) : b;
  });
}

export async function roundResults(
  db: Db,
  roundId: number,
  options: { today?: string; selection?: string[] } = {},
): Promise<RoundResults | null> {
  const loaded = await loadRound(db, roundId, options.today);
  if (!loaded) return null;
  const all = [...loaded.responses.values()].flat();
  const org = loaded.disclosure.total;
  const cells = loaded.teams.map((t) => teamCell(loaded, t));

  let selection: RoundResults["selection"] = null;
  if (options.selection) {
    const known = options.selection.filter((slug) => loaded.teams.some((t) => t.slug === slug));
    const { included, excluded } = selectionMembers(loaded.disclosure, known);
    const pooled = loaded.teams
      .filter((t) => included.includes(t.slug))
      .flatMap((t) => loaded.responses.get(t.roundTeamId) ?? []);
    const members = cells.filter((c) => included.includes(c.slug));
    selection = {
      included,
      excluded,
      n: pooled.length,
      // Rule 6 for a selection: a dimension one of its teams has withheld would be revealed by subtraction.
      blocks: included.length
        ? thresholdBlocks(blockScores(pooled, loaded.items), loaded.round.minGroupSize).map((b) =>
            !b.withheld && members.some((c) => c.blocks?.find((x) => x.block === b.block)?.withheld)
              ? withhold(b, "complementary")
              : b,
          )
        : null,
    };
  }

  return {
    round: loaded.round,
    threshold: loaded.threshold,
    items: loaded.items,
    teams: cells,
    org: { n: org.n, visible: org.visible, blocks: orgBlocks(loaded, cells) },
    selection,
    reliability: reliability(all, loaded.items),
  };
}

/** Alpha per block over the whole round (listwise: people who answered every item of the block). */
export function reliability(responses: readonly ResponseAnswers[], items: readonly RoundItem[]) {
  const blocks = groupByBlock(items).map(({ block, items: blockItems }): ReliabilityBlock => {
    const rows: number[][] = [];
    for (const r of responses) {
      const row = blockItems.map((i) => {
        const v = r.answers.get(i.key);
        return v === null || v === undefined ? null : toTen(i.scale, v);
      });
      if (row.every((v) => v !== null)) rows.push(row as number[]);
    }
    const result = cronbach(rows);
    return {
      block,
      result: { ...result, items: blockItems.length },
      verdict: alphaVerdict({ ...result, items: blockItems.length }),
      itemKeys: blockItems.map((i) => i.key),
      weakItems: blockItems.filter((_, index) => isWeakItem(result, index)).map((i) => i.key),
    };
  });
  return { blocks, straightLined: straightLined(responses, items), n: responses.length };
}
