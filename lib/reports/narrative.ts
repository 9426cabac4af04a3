import { formatChange, formatCount, formatDurationLong, formatFrequency, formatPercent } from "@/lib/format";
import { BAND_LABELS, BANDS, type Band, band, type MetricKey } from "@/lib/metrics/bands";
import type { Dashboard } from "@/lib/metrics/dashboard";
import { METRIC_ORDER } from "@/lib/metrics/definitions";
import { TOO_SMALL, type Trend } from "@/lib/metrics/trend";
import type { Sentence } from "./types";

/**
 * The summary's plain sentences, generated from the figures: deterministic (same figures, same words), pure, and
 * tested word for word (test/unit/report-narrative.test.ts). They say what improved and what got worse, by how
 * much, the band now and before, and when a sample is too small to read much into.
 */

type Metrics = Dashboard["metrics"];

/** Below this many deployments, changes or recovered failures, the summary warns that one event moves a figure. */
export const SMALL_SAMPLE = 10;

const NAMES: Record<MetricKey, string> = {
  deploymentFrequency: "deployment frequency",
  changeLeadTime: "change lead time",
  changeFailureRate: "change failure rate",
  recoveryTime: "recovery time",
  reworkRate: "rework rate",
};

const frequency = (perWeek: number | null) => formatFrequency(perWeek).replace(" / ", " a ");
const verb = (delta: number | null) => ((delta ?? 0) > 0 ? "rose" : "fell");
/** "23%" or "4.2 percentage points": the size of a change, without its sign (the verb says which way). */
function amount(delta: number | null, relative: number | null, isRate: boolean): string {
  const s = formatChange(delta, relative, isRate).replace(/^[+−±]/, "");
  return isRate ? s.replace(/ pp$/, " percentage points") : s;
}
/** "rose 23%", "fell 4.2 percentage points"; just "rose" from a previous value of 0 (no relative change). */
function moved(t: { delta: number | null; relative: number | null }, isRate: boolean): string {
  if (!isRate && t.relative === null) return verb(t.delta);
  return `${verb(t.delta)} ${amount(t.delta, t.relative, isRate)}`;
}

/** "; now in the High band, up from Medium" / "; still in the High band" / "; in the High band". */
function bandClause(now: Band | null, before: Band | null): string {
  if (!now) return "";
  const label = BAND_LABELS[now];
  if (!before) return `in the ${label} band`;
  if (now === before) return `still in the ${label} band`;
  const up = BANDS.indexOf(now) < BANDS.indexOf(before);
  return `now in the ${label} band, ${up ? "up" : "down"} from ${BAND_LABELS[before]}`;
}

const tone = (d: "better" | "worse" | "flat" | null): Sentence["tone"] => d ?? "info";

/**
 * A change that is not clear for its sample (lib/metrics/trend.ts): "held steady" only when the change is too small
 * to matter; otherwise the two values and why the difference says nothing yet.
 */
function unclear(
  t: Trend,
  name: string,
  value: string,
  sample: string,
  before: string,
  prev: string,
  clause: string,
): Sentence {
  if (t.note === TOO_SMALL)
    return { tone: "flat", text: `${name} held steady at ${value}${sample}; ${clause}.` };
  return {
    tone: "flat",
    text: `${name} was ${value}${sample}, against ${before} in ${prev}: no clear change (${t.note}); ${clause}.`,
  };
}

function deploymentSentence(m: Metrics, prev: string): Sentence {
  const { current: c, previous: p, band: b, trend: t, reason } = m.deploymentFrequency;
  const deps = formatCount(c.deployments, "deployment");
  if (c.perWeek === null) return { tone: "info", text: `Deployment frequency has no figure: ${reason}.` };
  if (p.perWeek === null) {
    return {
      tone: "info",
      text: `Deployment frequency was ${frequency(c.perWeek)} (${deps}), ${bandClause(b, null)}; ${prev} has no deployment data to compare with.`,
    };
  }
  if (c.deployments === 0) {
    return p.deployments === 0
      ? { tone: "info", text: `No deployment reached production in this period or in ${prev}.` }
      : {
          tone: tone(t.direction),
          text: `No deployment reached production in this period, down from ${frequency(p.perWeek)} (${formatCount(p.deployments, "deployment")}) in ${prev}.`,
        };
  }
  if (p.deployments === 0 && t.direction !== "flat") {
    return {
      tone: tone(t.direction),
      text: `Deployment frequency rose to ${frequency(c.perWeek)} (${deps}), from none in ${prev}; ${bandClause(b, null)}.`,
    };
  }
  const clause = bandClause(b, band("deploymentFrequency", p.perWeek));
  if (t.direction === "flat") {
    const before = p.deployments === 0 ? "none" : frequency(p.perWeek);
    return unclear(t, "Deployment frequency", frequency(c.perWeek), ` (${deps})`, before, prev, clause);
  }
  return {
    tone: tone(t.direction),
    text: `Deployment frequency ${moved(t, false)} to ${frequency(c.perWeek)} (${deps}); ${clause}.`,
  };
}

function leadTimeSentence(m: Metrics, prev: string): Sentence {
  const { current: c, previous: p, band: b, trend: t } = m.changeLeadTime;
  if (c.median === null) {
    return p.median === null
      ? {
          tone: "info",
          text: `No change reached production in this period or in ${prev}, so there is no lead time.`,
        }
      : {
          tone: "info",
          text: `No change reached production in this period, so there is no lead time (${formatDurationLong(p.median)} in ${prev}).`,
        };
  }
  const over = `over ${formatCount(c.changes, "change")}`;
  if (p.median === null) {
    return {
      tone: "info",
      text: `Median lead time was ${formatDurationLong(c.median)} ${over}, ${bandClause(b, null)}; ${prev} had no changes to compare with.`,
    };
  }
  const clause = bandClause(b, band("changeLeadTime", p.median));
  if (t.direction === "flat") {
    const value = formatDurationLong(c.median);
    return unclear(t, "Median lead time", value, ` ${over}`, formatDurationLong(p.median), prev, clause);
  }
  return {
    tone: tone(t.direction),
    text: `Median lead time ${moved(t, false)} to ${formatDurationLong(c.median)} ${over}; ${clause}.`,
  };
}

function rateSentence(m: Metrics, key: "changeFailureRate" | "reworkRate", prev: string): Sentence {
  const { current: c, previous: p, band: b, trend: t } = m[key];
  const name = key === "changeFailureRate" ? "Change failure rate" : "Rework rate";
  const of = `${c.numerator} of ${formatCount(c.deployments, "deployment")}`;
  const sample =
    key === "changeFailureRate"
      ? `${of} failed`
      : `${of} ${c.numerator === 1 ? "was" : "were"} unplanned remediation`;
  const value = formatPercent(c.rate);
  if (p.rate === null) {
    return {
      tone: "info",
      text: `${name} was ${value} (${sample}), ${bandClause(b, null)}; ${prev} had no deployments to compare with.`,
    };
  }
  const clause = bandClause(b, band(key, p.rate));
  if (t.direction === "flat") {
    return unclear(t, name, value, ` (${sample})`, formatPercent(p.rate), prev, clause);
  }
  return {
    tone: tone(t.direction),
    text: `${name} ${moved(t, true)} to ${value} (${sample}); ${clause}.`,
  };
}

function recoverySentences(m: Metrics, prev: string): Sentence[] {
  const { current: c, previous: p, band: b, trend: t } = m.recoveryTime;
  const failed = m.changeFailureRate.current.numerator;
  const out: Sentence[] = [];
  if (failed === 0) {
    out.push({
      tone: "info",
      text:
        p.median === null
          ? "No deployment failed, so there was no recovery to time."
          : `No deployment failed, so there was no recovery to time (${formatDurationLong(p.median)} in ${prev}).`,
    });
  } else if (c.median === null) {
    out.push({ tone: "info", text: "No failed deployment has recovered yet, so there is no recovery time." });
  } else {
    const over = `over ${formatCount(c.recovered, "recovered failure")}`;
    if (p.median === null) {
      out.push({
        tone: "info",
        text: `Median recovery time was ${formatDurationLong(c.median)} ${over}, ${bandClause(b, null)}; ${prev} had no recovered failures to compare with.`,
      });
    } else {
      const clause = bandClause(b, band("recoveryTime", p.median));
      out.push(
        t.direction === "flat"
          ? unclear(
              t,
              "Median recovery time",
              formatDurationLong(c.median),
              ` ${over}`,
              formatDurationLong(p.median),
              prev,
              clause,
            )
          : {
              tone: tone(t.direction),
              text: `Median recovery time ${moved(t, false)} to ${formatDurationLong(c.median)} ${over}; ${clause}.`,
            },
      );
    }
  }
  if (c.unrecovered > 0) {
    out.push({
      tone: "info",
      text: `${formatCount(c.unrecovered, "failed deployment")} ${c.unrecovered === 1 ? "has" : "have"} no recovery recorded yet.`,
    });
  }
  return out;
}

/** "a, b and c". */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "Compared with Q2 2026: 2 metrics improved (…); 1 got worse (…); 2 could not be compared (…)." */
function headline(m: Metrics, prev: string): Sentence {
  const groups: [string, MetricKey[]][] = [
    ["improved", []],
    ["got worse", []],
    ["held steady", []],
    ["showed no clear change", []],
    ["could not be compared", []],
  ];
  for (const key of METRIC_ORDER) {
    const none =
      key === "deploymentFrequency" && m[key].current.deployments + m[key].previous.deployments === 0;
    const t = m[key].trend;
    const d = none ? null : t.direction;
    const at = d === null ? 4 : d === "better" ? 0 : d === "worse" ? 1 : t.note === TOO_SMALL ? 2 : 3;
    groups[at]?.[1].push(key);
  }
  const used = groups.filter(([, keys]) => keys.length > 0);
  if (used.length === 1 && used[0]?.[0] === "could not be compared") {
    return {
      tone: "info",
      text: `No metric can be compared with ${prev}: one of the two periods has no data.`,
    };
  }
  if (used.length === 1 && used[0]) {
    return { tone: "info", text: `Compared with ${prev}, all five metrics ${used[0][0]}.` };
  }
  const parts = used.map(([what, keys], i) => {
    const n = i === 0 ? `${keys.length} ${keys.length === 1 ? "metric" : "metrics"}` : `${keys.length}`;
    return `${n} ${what} (${list(keys.map((k) => NAMES[k]))})`;
  });
  return { tone: "info", text: `Compared with ${prev}: ${parts.join("; ")}.` };
}

function smallSamples(m: Metrics): Sentence | null {
  const parts = [
    [m.deploymentFrequency.current.deployments, "deployment"],
    [m.changeLeadTime.current.changes, "change"],
    [m.recoveryTime.current.recovered, "recovered failure"],
  ] as const;
  const small = parts.filter(([n]) => n > 0 && n < SMALL_SAMPLE).map(([n, what]) => formatCount(n, what));
  if (small.length === 0) return null;
  return {
    tone: "info",
    text: `These figures rest on small samples (${list(small)}): a single event moves them a lot, so read the trend over several periods.`,
  };
}

/** The sentences of the summary, in reading order. `previousLabel` names the comparison: "Q2 2026". */
export function narrative(m: Metrics, previousLabel: string): Sentence[] {
  const out: Sentence[] = [headline(m, previousLabel), deploymentSentence(m, previousLabel)];
  if (m.deploymentFrequency.current.perWeek === null) {
    out.push({
      tone: "info",
      text: "Without deployment data there is no change failure rate, rework rate or recovery time for this period: empty, not zero.",
    });
  } else if (m.deploymentFrequency.current.deployments > 0) {
    out.push(
      leadTimeSentence(m, previousLabel),
      rateSentence(m, "changeFailureRate", previousLabel),
      ...recoverySentences(m, previousLabel),
      rateSentence(m, "reworkRate", previousLabel),
    );
  } else {
    out.push({
      tone: "info",
      text: "Without deployments there is no change failure rate, rework rate or recovery time for this period.",
    });
    if (m.changeLeadTime.current.changes > 0) out.push(leadTimeSentence(m, previousLabel));
  }
  const small = smallSamples(m);
  if (small) out.push(small);
  return out;
}
