import { formatDuration, formatPercent } from "@/lib/format";
import { BANDS, type Band, band } from "@/lib/metrics/bands";
import { AREAS, type AreaDefinition, type AreaKey, type AreaMetric } from "./capabilities";
import type { CiHealth } from "./ci-health";
import { type ChangeFacts, halvedMedian, type PipelineStages } from "./stages";

/**
 * "What to improve next": deterministic rules, written out in docs/improve.md, that rank at most three focus areas
 * by their measured effect on lead time, change failure rate or recovery time. Pure; no person is ever named.
 */

/** Fewest samples before an area is judged: below these a median says more about luck than about the system. */
export const MIN_CHANGES = 5;
export const MIN_DEPLOYMENTS = 5;
export const MIN_RECOVERED = 3;
/** A lead-time area must shorten the median lead time by at least this much if it took half as long. */
export const MIN_LEAD_EFFECT = 0.1;
/** CALMS: a statement's mean (0–10) at or above this says the practice is in place; at or below AGREE_MAX, not. */
export const DISAGREE_MIN = 7.5;
export const AGREE_MAX = 5;
export const MAX_AREAS = 3;

export type CalmsAnswers =
  | {
      status: "shown";
      round: string;
      responses: number;
      items: readonly { key: string; text: string; mean: number | null }[];
    }
  | { status: "hidden" | "none"; message: string };

export interface FocusInput {
  changes: readonly ChangeFacts[];
  stages: PipelineStages;
  failureRate: { rate: number | null; failed: number; deployments: number };
  recovery: { median: number | null; p90: number | null; recovered: number; unrecovered: number };
  ci: CiHealth | null;
  calms: CalmsAnswers;
}

export type Verdict = "agree" | "disagree" | "mixed";

export interface FocusArea {
  key: AreaKey;
  rank: number;
  title: string;
  metric: AreaMetric;
  /** The numbers behind it, as sentences; each figure is also in `figures`. */
  evidence: string[];
  figures: Record<string, number | null>;
  capability: { name: string; url: string };
  suggestion: string;
  ifHalved: {
    before: number | null;
    after: number | null;
    /** (before − after) ÷ before. */
    relative: number | null;
    bandBefore: Band | null;
    bandAfter: Band | null;
    sentence: string;
  };
  calms: {
    verdict: Verdict | "unavailable";
    message: string;
    items: { key: string; text: string; mean: number; verdict: Verdict }[];
  };
}

export interface Candidate {
  area: AreaDefinition;
  eligible: boolean;
  /** Why it is (or is not) a focus area, for docs and tests. */
  reason: string;
  before: number | null;
  after: number | null;
  relative: number | null;
  bandBefore: Band | null;
  bandAfter: Band | null;
  /** DORA bands the metric would climb if the area halved. */
  steps: number;
}

const METRIC_KEY = {
  leadTime: "changeLeadTime",
  failureRate: "changeFailureRate",
  recovery: "recoveryTime",
} as const;

const bandIndex = (b: Band | null) => (b === null ? -1 : BANDS.indexOf(b));

/** Failure rate and recovery: the figure itself halves; judged once the sample is big enough and not elite. */
function halvedOutright(
  metric: "changeFailureRate" | "recoveryTime",
  value: number | null,
  sample: number,
  min: number,
  sampleWord: string,
  label: string,
) {
  const eligible = sample >= min && band(metric, value) !== "elite";
  return {
    before: value,
    after: value === null ? null : value / 2,
    eligible,
    reason:
      sample < min ? `fewer than ${min} ${sampleWord}` : `${label}${eligible ? "" : " is in the elite band"}`,
  };
}

/** Pure: every area with its "if halved" effect and whether the rules let it in. */
export function candidates(input: FocusInput): Candidate[] {
  return AREAS.map((area) => {
    let before: number | null;
    let after: number | null;
    let reason: string;
    let eligible: boolean;
    if (area.metric === "leadTime") {
      const h = halvedMedian(input.changes, area.stages);
      before = h.before;
      after = h.after;
      const n = input.stages.changes;
      eligible = n >= MIN_CHANGES && h.relative !== null && h.relative >= MIN_LEAD_EFFECT;
      reason =
        n < MIN_CHANGES
          ? `fewer than ${MIN_CHANGES} changes with a pull request`
          : `halving it shortens the median lead time by ${formatPercent(h.relative)}${eligible ? "" : ` (under ${formatPercent(MIN_LEAD_EFFECT, 0)})`}`;
    } else {
      const f = input.failureRate;
      const r = input.recovery;
      ({ before, after, eligible, reason } =
        area.metric === "failureRate"
          ? halvedOutright(
              "changeFailureRate",
              f.rate,
              f.deployments,
              MIN_DEPLOYMENTS,
              "deployments",
              `change failure rate ${formatPercent(f.rate)}`,
            )
          : halvedOutright(
              "recoveryTime",
              r.median,
              r.recovered,
              MIN_RECOVERED,
              "recovered failures",
              `median time to restore ${formatDuration(r.median)}`,
            ));
    }
    const bandBefore = band(METRIC_KEY[area.metric], before);
    const bandAfter = band(METRIC_KEY[area.metric], after);
    return {
      area,
      eligible,
      reason,
      before,
      after,
      relative: before && after !== null ? (before - after) / before : null,
      bandBefore,
      bandAfter,
      steps: bandBefore && bandAfter ? bandIndex(bandBefore) - bandIndex(bandAfter) : 0,
    };
  });
}

/**
 * Pure: the ranking. The area that would lift its DORA band furthest first; then the one whose metric is in the
 * worse band; then the larger relative change; then the order of AREAS.
 */
export function rank(list: readonly Candidate[]): Candidate[] {
  const order = (c: Candidate) => AREAS.findIndex((a) => a.key === c.area.key);
  return list
    .filter((c) => c.eligible)
    .sort(
      (a, b) =>
        b.steps - a.steps ||
        bandIndex(b.bandBefore) - bandIndex(a.bandBefore) ||
        (b.relative ?? 0) - (a.relative ?? 0) ||
        order(a) - order(b),
    );
}

export function calmsVerdict(mean: number): Verdict {
  if (mean >= DISAGREE_MIN) return "disagree";
  if (mean <= AGREE_MAX) return "agree";
  return "mixed";
}

function calmsFor(area: AreaDefinition, calms: CalmsAnswers): FocusArea["calms"] {
  if (calms.status !== "shown") return { verdict: "unavailable", message: calms.message, items: [] };
  const items = area.calmsItems
    .map((key) => calms.items.find((i) => i.key === key))
    .filter((i): i is { key: string; text: string; mean: number } => i !== undefined && i.mean !== null)
    .map((i) => ({ key: i.key, text: i.text, mean: i.mean, verdict: calmsVerdict(i.mean) }));
  if (items.length === 0) {
    return {
      verdict: "unavailable",
      message: `${calms.round} did not ask about this (or nobody answered).`,
      items,
    };
  }
  const verdicts = new Set(items.map((i) => i.verdict));
  const verdict: Verdict = verdicts.size === 1 ? (items[0] as { verdict: Verdict }).verdict : "mixed";
  const message =
    verdict === "agree"
      ? `The team's answers in ${calms.round} agree: they say this practice is not (yet) in place.`
      : verdict === "disagree"
        ? `The team's answers in ${calms.round} disagree: they say this practice is in place, the data says this is where time or stability goes.`
        : `The team's answers in ${calms.round} are mixed on this.`;
  return { verdict, message, items };
}

function evidenceFor(
  c: Candidate,
  input: FocusInput,
): { evidence: string[]; figures: Record<string, number | null> } {
  const s = input.stages;
  if (c.area.metric === "leadTime") {
    const stages = s.stages.filter((st) => c.area.stages.includes(st.key));
    const share = stages.reduce((a, st) => a + (st.share ?? 0), 0);
    const figures: Record<string, number | null> = { changes: s.changes, shareOfLeadTime: share };
    const evidence = [
      `${formatPercent(share, 0)} of the time changes spent between first commit and production went to ${c.area.title.toLowerCase()} (${s.changes} changes).`,
      ...stages.map((st) => {
        figures[`${st.key}P50Seconds`] = st.p50;
        figures[`${st.key}P90Seconds`] = st.p90;
        return `${st.label}: median ${formatDuration(st.p50)}, p90 ${formatDuration(st.p90)} (${st.n} changes).`;
      }),
    ];
    if (c.area.key === "ci" && input.ci) {
      figures.queueP50Seconds = input.ci.queue.p50;
      figures.flakyShas = input.ci.flaky.shas;
      evidence.push(
        `CI runs queued a median ${formatDuration(input.ci.queue.p50)} (p90 ${formatDuration(input.ci.queue.p90)}); ${input.ci.flaky.shas} commits failed and then passed unchanged.`,
      );
    }
    if (c.area.key === "review" && s.unreviewed > 0) {
      figures.unreviewed = s.unreviewed;
      evidence.push(`${s.unreviewed} of ${s.changes} changes were merged without a review.`);
    }
    return { evidence, figures };
  }
  if (c.area.metric === "failureRate") {
    const f = input.failureRate;
    const figures: Record<string, number | null> = {
      failedDeployments: f.failed,
      deployments: f.deployments,
      changeFailureRate: f.rate,
    };
    const evidence = [`${f.failed} of ${f.deployments} deployments failed (${formatPercent(f.rate)}).`];
    if (input.ci && input.ci.defaultBranch.decided > 0) {
      const d = input.ci.defaultBranch;
      figures.ciSuccessRate = d.successRate;
      figures.redSeconds = d.redSeconds;
      evidence.push(
        `CI on the default branch passed ${formatPercent(d.successRate)} of ${d.decided} runs and was red for ${formatDuration(d.redSeconds)} in all.`,
      );
    }
    return { evidence, figures };
  }
  const r = input.recovery;
  return {
    evidence: [
      `Failed deployments took a median ${formatDuration(r.median)} to restore (p90 ${formatDuration(r.p90)}, ${r.recovered} recovered${r.unrecovered ? `, ${r.unrecovered} not yet` : ""}).`,
    ],
    figures: { recoveryP50Seconds: r.median, recoveryP90Seconds: r.p90, recovered: r.recovered },
  };
}

const fmt = (metric: AreaMetric, v: number | null) =>
  metric === "failureRate" ? formatPercent(v) : formatDuration(v);
const METRIC_NAME: Record<AreaMetric, string> = {
  leadTime: "median lead time",
  failureRate: "change failure rate",
  recovery: "median time to restore",
};

function halvedSentence(c: Candidate): string {
  const what = c.area.metric === "leadTime" ? "this stage took half as long" : "this halved";
  const bandPart =
    c.bandBefore && c.bandAfter && c.bandBefore !== c.bandAfter
      ? ` (band ${c.bandBefore} → ${c.bandAfter})`
      : "";
  return `If ${what}, the ${METRIC_NAME[c.area.metric]} would go from ${fmt(c.area.metric, c.before)} to ${fmt(c.area.metric, c.after)} (−${formatPercent(c.relative, 0)})${bandPart}.`;
}

/** Pure: at most three focus areas, ranked, each with its numbers, capability, "if halved" and CALMS. */
export function focusAreas(input: FocusInput): FocusArea[] {
  return rank(candidates(input))
    .slice(0, MAX_AREAS)
    .map((c, i) => ({
      key: c.area.key,
      rank: i + 1,
      title: c.area.title,
      metric: c.area.metric,
      ...evidenceFor(c, input),
      capability: c.area.capability,
      suggestion: c.area.suggestion,
      ifHalved: {
        before: c.before,
        after: c.after,
        relative: c.relative,
        bandBefore: c.bandBefore,
        bandAfter: c.bandAfter,
        sentence: halvedSentence(c),
      },
      calms: calmsFor(c.area, input.calms),
    }));
}
