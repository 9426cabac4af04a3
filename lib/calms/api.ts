import { SCALE_POINTS } from "./bank";
import type { RoundResults, TeamCell } from "./results";
import type { RoundSummary } from "./rounds";
import type { BlockScore } from "./scoring";
import type { TeamResults } from "./team";

/**
 * JSON of the CALMS API (README § CALMS survey). Built only from lib/calms/results and lib/calms/team, which have
 * already applied the anonymity rules: a hidden team has `dimensions: null`, and nothing else about its answers.
 */

const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

function dimensions(blocks: readonly BlockScore[] | null) {
  if (!blocks) return null;
  return Object.fromEntries(
    blocks.map((b) => [
      b.block,
      {
        score: r2(b.mean),
        ci95: r2(b.ci),
        sd: r2(b.sd),
        n: b.n,
        items: b.items,
        // "too_few" or "complementary" when the anonymity rules withhold this dimension's figures.
        withheld: b.withheld ?? null,
      },
    ]),
  );
}

const roundJson = (r: RoundResults["round"]) => ({
  id: r.id,
  title: r.title,
  opensOn: r.opensOn,
  closesOn: r.closesOn,
  status: r.status,
  minGroupSize: r.minGroupSize,
  bankVersion: r.bankVersion,
});

function teamJson(t: TeamCell) {
  return {
    slug: t.slug,
    name: t.name,
    answers: t.n,
    /** ADR 0014: `team` = one shared link (lower assurance, no statement detail); `respondent` = single-use links. */
    linkMode: t.linkMode,
    teamSize: t.teamSize,
    responseRate: r2(t.responseRate),
    visible: t.visible,
    hidden: t.hidden,
    dimensions: dimensions(t.blocks),
  };
}

export function roundsJson(rounds: readonly RoundSummary[]) {
  return {
    rounds: rounds.map((r) => ({
      ...roundJson(r),
      statements: r.items,
      teams: r.teams.map((t) => ({ slug: t.slug, name: t.name, answers: t.n })),
    })),
  };
}

export function roundResultsJson(r: RoundResults) {
  return {
    round: roundJson(r.round),
    threshold: r.threshold,
    scale: "0–10: mean of each person's answered statements per dimension",
    statements: r.items.map((i) => ({ key: i.key, dimension: i.block, scale: i.scale, text: i.text })),
    teams: r.teams.map(teamJson),
    organisation: { answers: r.org.n, visible: r.org.visible, dimensions: dimensions(r.org.blocks) },
    selection: r.selection
      ? {
          teams: r.selection.included,
          leftOut: r.selection.excluded,
          note: "A selection pools only teams whose results are shown.",
          answers: r.selection.n,
          dimensions: dimensions(r.selection.blocks),
        }
      : undefined,
    reliability: {
      responses: r.reliability.n,
      straightLined: r.reliability.straightLined,
      dimensions: r.reliability.blocks.map((b) => ({
        dimension: b.block,
        alpha: b.verdict === "too_few" ? null : r2(b.result.alpha),
        completeAnswers: b.result.n,
        reading: b.verdict,
        weakStatements: b.weakItems,
      })),
    },
  };
}

export function teamResultsJson(r: TeamResults) {
  return {
    round: roundJson(r.round),
    threshold: r.threshold,
    team: teamJson(r.team),
    organisation: { answers: r.org.n, dimensions: dimensions(r.org.blocks) },
    statements:
      r.distributions?.map((d) => ({
        key: d.key,
        dimension: d.block,
        text: d.text,
        answers: Object.fromEntries(SCALE_POINTS[d.scale].map((p, i) => [p.label, d.counts[i] ?? 0])),
        dontKnow: d.dontKnow,
        mean: r2(d.mean),
      })) ?? null,
    comments: { visible: r.comments.visible, threshold: r.comments.threshold, items: r.comments.items },
    trend: r.trend.map((t) => ({
      dimension: t.block,
      comparedOn: t.commonItems,
      leftOut: t.leftOut,
      rounds: t.points.map((p) => ({
        round: p.roundId,
        title: p.title,
        answers: p.n,
        visible: p.visible,
        score: r2(p.score?.mean ?? null),
        ci95: r2(p.score?.ci ?? null),
        change: p.change
          ? {
              from: p.change.fromRoundId,
              verdict: p.change.verdict,
              difference: r2(p.change.diff),
              noise: r2(p.change.margin),
            }
          : null,
      })),
    })),
    sayVsDo: {
      period: { from: r.signalWindow.from, to: r.signalWindow.to },
      signals: r.sayDo.map((s) => ({
        id: s.signal.id,
        dimension: s.signal.block,
        label: s.signal.label,
        statement: s.signal.itemKey,
        value: r2(s.signal.value),
        unit: s.signal.unit,
        detail: s.signal.detail,
        missingSource: s.signal.missing,
        teamSays: r2(s.say),
        question: s.question,
      })),
    },
  };
}
