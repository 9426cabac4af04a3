import { asc, eq } from "drizzle-orm";
import { BLOCK_LABELS, type Block, DIMENSIONS } from "@/lib/calms/bank";
import {
  type LoadedRound,
  loadRound,
  orgBlocks,
  statementsShown,
  type TeamCell,
  teamCell,
} from "@/lib/calms/results";
import { type RoundRow, roundStatus } from "@/lib/calms/rounds";
import { frequencyWord, type SayDoRow, sayDoRows } from "@/lib/calms/saydo";
import { type BlockScore, itemDistributions, type RoundItem } from "@/lib/calms/scoring";
import { signalWindow, teamSignals } from "@/lib/calms/signals";
import { welch } from "@/lib/calms/stats";
import { changeDisclosure, type HiddenReason, type WithheldReason } from "@/lib/calms/suppression";
import type { Db } from "@/lib/db";
import { calmsRounds, calmsRoundTeams } from "@/lib/db/schema";
import { formatLocalDate } from "@/lib/format";
import { localDate, type Period } from "@/lib/metrics/period";
import type { Scope } from "@/lib/metrics/scope";
import { getOrgSettings } from "@/lib/settings/org";
import type { ReportPeriods } from "./period";
import type { CalmsDimensionScore, CalmsReportSection } from "./types";

/**
 * The report's CALMS section: the latest survey round's results for the report's scope, with the say-vs-do notes.
 *
 * Every figure comes from lib/calms's read model (loadRound, teamCell, orgBlocks), which has already applied the
 * anonymity rules of the CALMS pages and API (lib/calms/suppression.ts): a hidden team, a withheld dimension or a
 * protected organisation figure arrives here without its numbers, so nothing hidden is ever computed into the
 * report. Every format shows this section as it is: the PDF (lib/reports/pdf/calms-page.tsx), the printable page
 * (app/reports/view/calms-section.tsx), the CSV dataset `calms` (lib/reports/datasets.ts), the JSON's `calms` field,
 * and `highlights` in the summary's "In brief".
 *
 * The round is the latest **closed** round (by date or closed early) that ended on or before the report period's
 * last day and, for a team report, that the team took part in; "previous" is the last earlier such round in which
 * the scope's results were shown, compared only on dimensions whose statements are identical in both rounds.
 * Undefined when there is no such round (the section is then left out, not shown empty).
 */
export async function loadCalmsSection(
  db: Db,
  input: { scope: Scope; periods: ReportPeriods; now?: Date },
): Promise<CalmsReportSection | undefined> {
  const zone = (await getOrgSettings(db)).timeZone;
  const today = localDate(zone, input.now ?? new Date());
  const team = input.scope.team;
  const rounds = await closedRounds(db, {
    teamId: team?.id ?? null,
    zone,
    today,
    until: input.periods.period.to,
  });
  const [latest, ...earlier] = rounds;
  if (!latest) return undefined;
  const current = await figures(db, latest, team?.slug ?? null, today);
  if (!current) return undefined;
  let previous: Figures | null = null;
  for (const r of earlier) {
    previous = await figures(db, r, team?.slug ?? null, today);
    if (previous?.visible) break;
    previous = null;
  }

  const dims = DIMENSIONS.filter((d) => current.loaded.items.some((i) => i.block === d));
  const dimensions = dims.map((d) => dimension(d, current, previous));
  const window = signalWindow(latest.row.closesOn, today);
  // Only the dimensions the round asked: a signal has no answers to stand beside otherwise.
  const asked = (rows: readonly SayDoRow[]) => rows.filter((r) => dims.includes(r.signal.block));
  const sayDo = team
    ? current.visible && current.cell
      ? teamNotes(asked(await teamSayDo(db, current.loaded, current.cell, window, zone)))
      : []
    : await orgNotes(db, current.loaded, window, zone);

  return {
    round: {
      name: latest.row.title,
      closedOn: latest.endedOn,
      responses: current.n,
      responseRate: responseRate(current.loaded, current.cell),
    },
    scale: { min: 0, max: 10 },
    dimensions,
    ...(team
      ? {}
      : {
          teams: current.loaded.teams.map((t) => {
            const cell = teamCell(current.loaded, t);
            return {
              slug: cell.slug,
              name: cell.name,
              responses: cell.n,
              responseRate: cell.responseRate === null ? null : r2(cell.responseRate),
              scores: dims.map((d) => shownScore(cell.blocks?.find((b) => b.block === d))),
              ...(cell.hidden ? { hiddenReason: hiddenText(cell.hidden, current.loaded.threshold) } : {}),
            };
          }),
        }),
    sayDo,
    highlights: highlights(current, dimensions, previous, sayDo, team !== null),
    notes: notes(current, previous, window, team !== null),
  };
}

interface ClosedRound {
  row: RoundRow;
  /** The day the round ended: its closing date, or the day an admin closed it early. */
  endedOn: string;
}

/** Closed rounds (of the team, when given) that ended on or before `until`, latest first. */
async function closedRounds(
  db: Db,
  q: { teamId: number | null; zone: string; today: string; until: string },
): Promise<ClosedRound[]> {
  const rows =
    q.teamId === null
      ? await db.select().from(calmsRounds).orderBy(asc(calmsRounds.id))
      : (
          await db
            .select({ round: calmsRounds })
            .from(calmsRoundTeams)
            .innerJoin(calmsRounds, eq(calmsRounds.id, calmsRoundTeams.roundId))
            .where(eq(calmsRoundTeams.teamId, q.teamId))
            .orderBy(asc(calmsRounds.id))
        ).map((r) => r.round);
  return rows
    .filter((row) => roundStatus(row, q.today) === "closed")
    .map((row) => {
      const early = row.closedAt ? localDate(q.zone, row.closedAt) : null;
      return { row, endedOn: early && early < row.closesOn ? early : row.closesOn };
    })
    .filter((r) => r.endedOn <= q.until)
    .sort((a, b) => b.endedOn.localeCompare(a.endedOn) || b.row.id - a.row.id);
}

/** The scope's figures in one round, as the CALMS pages show them. */
interface Figures {
  round: ClosedRound;
  loaded: LoadedRound;
  /** The team's cell (team reports). */
  cell: TeamCell | null;
  n: number;
  visible: boolean;
  hidden: HiddenReason | null;
  /** null when hidden. */
  blocks: BlockScore[] | null;
}

async function figures(
  db: Db,
  round: ClosedRound,
  slug: string | null,
  today: string,
): Promise<Figures | null> {
  const loaded = await loadRound(db, round.row.id, today);
  if (!loaded) return null;
  if (slug) {
    const member = loaded.teams.find((t) => t.slug === slug);
    if (!member) return null;
    const cell = teamCell(loaded, member);
    return {
      round,
      loaded,
      cell,
      n: cell.n,
      visible: cell.visible,
      hidden: cell.hidden,
      blocks: cell.blocks,
    };
  }
  const blocks = orgBlocks(
    loaded,
    loaded.teams.map((t) => teamCell(loaded, t)),
  );
  const total = loaded.disclosure.total;
  return {
    round,
    loaded,
    cell: null,
    n: total.n,
    visible: total.visible,
    hidden: total.visible ? null : "below_threshold",
    blocks,
  };
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** The team's, or for the organisation the pooled rate when every team lists its members (else unknown). */
function responseRate(loaded: LoadedRound, cell: TeamCell | null): number | null {
  if (cell) return cell.responseRate === null ? null : r2(cell.responseRate);
  if (loaded.teams.length === 0 || loaded.teams.some((t) => !t.teamSize)) return null;
  const size = loaded.teams.reduce((sum, t) => sum + (t.teamSize ?? 0), 0);
  return r2(loaded.teams.reduce((sum, t) => sum + t.n, 0) / size);
}
const shownScore = (b: BlockScore | undefined) => (b && !b.withheld && b.mean !== null ? r2(b.mean) : null);

function hiddenText(reason: HiddenReason, k: number): string {
  return reason === "below_threshold" ? `fewer than ${k} answers` : "hidden to protect a smaller team";
}
function withheldText(reason: WithheldReason, k: number): string {
  return reason === "too_few"
    ? `fewer than ${k} people answered enough of its statements`
    : "withheld to protect a smaller group";
}

/** The statements of a block, as compared between rounds: same id and same wording. */
const blockItems = (items: readonly RoundItem[], block: Block) =>
  items
    .filter((i) => i.block === block)
    .map((i) => `${i.key}\u0000${i.text}`)
    .sort()
    .join("\u0001");

/** The earlier score of a dimension, when both are shown, on identical statements, and the change may be shown. */
function comparable(block: Block, current: Figures, previous: Figures | null): BlockScore | null {
  const now = current.blocks?.find((b) => b.block === block);
  const before = previous?.blocks?.find((b) => b.block === block);
  if (!previous || !now || !before || shownScore(now) === null || shownScore(before) === null) return null;
  if (blockItems(current.loaded.items, block) !== blockItems(previous.loaded.items, block)) return null;
  if (changeDisclosure(previous.n, current.n) !== "ok") return null;
  return before;
}

function dimension(block: Block, current: Figures, previous: Figures | null): CalmsDimensionScore {
  const base = { key: block, name: BLOCK_LABELS[block] };
  const k = current.loaded.threshold;
  // A hidden scope: the count of answers only (how many people answered each dimension would come from its answers).
  if (!current.visible || !current.blocks) {
    return {
      ...base,
      score: null,
      previous: null,
      responses: current.n,
      hiddenReason: hiddenText(current.hidden ?? "below_threshold", k),
    };
  }
  const b = current.blocks.find((x) => x.block === block);
  const before = comparable(block, current, previous);
  return {
    ...base,
    score: shownScore(b),
    previous: before ? shownScore(before) : null,
    responses: b?.n ?? 0,
    ...(b?.withheld ? { hiddenReason: withheldText(b.withheld, k) } : {}),
  };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/** The say-vs-do rows of a team whose results are shown, exactly as its CALMS page computes them. */
async function teamSayDo(db: Db, loaded: LoadedRound, cell: TeamCell, window: Period, zone: string) {
  // Statement means are per-statement detail: not for a team that answered through a shared link (ADR 0014).
  const distributions = statementsShown(cell)
    ? itemDistributions(loaded.responses.get(cell.roundTeamId) ?? [], loaded.items)
    : null;
  const signals = await teamSignals(db, cell.slug, window, zone);
  return sayDoRows(signals, distributions ? new Map(distributions.map((d) => [d.key, d.mean])) : null);
}

/** A team report: the questions, where the answers and the data agree, and what is not measured (and why). */
function teamNotes(rows: readonly SayDoRow[]): CalmsReportSection["sayDo"] {
  return rows.flatMap((r): CalmsReportSection["sayDo"] => {
    const s = r.signal;
    const dimension = BLOCK_LABELS[s.block];
    if (r.question) return [{ dimension, level: "warning", message: `${s.label}: ${r.question}` }];
    if (s.missing)
      return [{ dimension, level: "info", message: `${s.label}: not measured; needs ${s.missing}.` }];
    if (s.comparable && s.value !== null && r.say !== null) {
      return [
        {
          dimension,
          level: "info",
          message: `${s.label}: ${pct(s.value)} (${s.detail}); the answers say "${frequencyWord(r.say)}" (${r.say.toFixed(1)} / 10): they agree.`,
        },
      ];
    }
    return [];
  });
}

/** An org report: the questions of every team whose results are shown, team by team (alphabetical). */
async function orgNotes(db: Db, loaded: LoadedRound, window: Period, zone: string) {
  const out: CalmsReportSection["sayDo"] = [];
  for (const t of loaded.teams) {
    const cell = teamCell(loaded, t);
    if (!cell.visible) continue;
    for (const r of await teamSayDo(db, loaded, cell, window, zone)) {
      if (!r.question) continue;
      out.push({
        dimension: BLOCK_LABELS[r.signal.block],
        level: "warning",
        message: `${cell.name}, ${r.signal.label}: ${r.question}`,
      });
    }
  }
  return out;
}

function highlights(
  current: Figures,
  dims: readonly CalmsDimensionScore[],
  previous: Figures | null,
  sayDo: CalmsReportSection["sayDo"],
  isTeam: boolean,
): string[] {
  const title = current.round.row.title;
  const k = current.loaded.threshold;
  if (!current.visible) {
    return [
      isTeam
        ? `CALMS self-assessment (${title}): the team's results are hidden (${current.n} answers; ${k} needed).`
        : `CALMS self-assessment (${title}): results are hidden (${current.n} answers across the round; ${k} needed).`,
    ];
  }
  const shown = dims.filter((d) => d.score !== null);
  const who = isTeam
    ? `${current.n} answers`
    : `${current.n} answers from ${current.loaded.teams.length} ${current.loaded.teams.length === 1 ? "team" : "teams"}`;
  const out = [
    shown.length
      ? `CALMS self-assessment (${title}, ${who}): ${shown.map((d) => `${d.name} ${(d.score as number).toFixed(1)}`).join(", ")} out of 10.`
      : `CALMS self-assessment (${title}, ${who}): every dimension is withheld by the anonymity rules.`,
  ];
  for (const d of dims) {
    const now = current.blocks?.find((b) => b.block === d.key);
    const before = comparable(d.key as Block, current, previous);
    const change = now && before ? welch(before, now) : null;
    if (!change || !previous || Math.abs(change.diff) <= change.margin) continue;
    out.push(
      `${d.name} ${change.diff > 0 ? "rose" : "fell"} ${Math.abs(change.diff).toFixed(1)} points since ${previous.round.row.title}, beyond the noise for these numbers of answers (± ${change.margin.toFixed(1)}).`,
    );
  }
  if (!isTeam) {
    const hidden = current.loaded.teams.filter((t) => current.loaded.disclosure.hidden.has(t.slug)).length;
    if (hidden) {
      out.push(
        `${hidden} ${hidden === 1 ? "team's results are" : "teams' results are"} hidden by the anonymity rules.`,
      );
    }
  }
  const questions = sayDo.filter((n) => n.level === "warning").length;
  if (questions) {
    out.push(
      `${questions} say-vs-do ${questions === 1 ? "question" : "questions"} to discuss, where the answers and the measured data differ.`,
    );
  }
  return out;
}

function notes(current: Figures, previous: Figures | null, window: Period, isTeam: boolean): string[] {
  const k = current.loaded.threshold;
  const anonymity = `Anonymity: ${isTeam ? "the team's results are" : "a team's results are"} shown from ${k} answers; a dimension resting on fewer than ${k} people is withheld, and so is any figure that would reveal a hidden one by subtraction. Comments are never part of a report.`;
  if (!current.visible) {
    return [
      anonymity,
      `With ${current.n} ${current.n === 1 ? "answer" : "answers"}, no score is shown, no change from an earlier round, and no comparison of the answers with the measured data (say vs do).`,
    ];
  }
  return [
    "Scores are 0–10: the mean of each person's answers to a dimension's statements (Never 0, Rarely 2.5, About half the time 5, Usually 7.5, Always 10). There is no overall CALMS index.",
    anonymity,
    previous
      ? `Previous round: ${previous.round.row.title} (ended ${formatLocalDate(previous.round.endedOn)}), compared only where a dimension's statements are identical and the number of answers did not change by one or two.`
      : "Previous round: none with results shown to compare with.",
    `Say vs do compares the answers with what the data shows for ${formatLocalDate(window.from)} – ${formatLocalDate(window.to)}, the 90 days up to the round's close. A difference is a question for the team, not a verdict.`,
  ];
}
