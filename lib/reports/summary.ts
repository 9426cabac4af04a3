import {
  formatChange,
  formatCount,
  formatDuration,
  formatFrequency,
  formatInterval,
  formatPercent,
} from "@/lib/format";
import { BAND_CUTOFFS, BAND_LABELS, type Band, type MetricKey } from "@/lib/metrics/bands";
import type { Dashboard } from "@/lib/metrics/dashboard";
import { DEFINITIONS, METRIC_ORDER } from "@/lib/metrics/definitions";
import type { Trend } from "@/lib/metrics/trend";
import type { MetricDefinition, MetricSummary } from "./types";

/** Pure: the five figures as the report's tiles and tables show them (same wording as the dashboard's cards). */

type Metrics = Dashboard["metrics"];

function change(trend: Trend, isRate: boolean): string {
  if (trend.direction === null) return "no data to compare";
  if (trend.direction === "flat") return "no clear change";
  return formatChange(trend.delta, trend.relative, isRate) || "no clear change";
}

export function summarize(m: Metrics, days: number): MetricSummary[] {
  const df = m.deploymentFrequency;
  const lt = m.changeLeadTime;
  const cfr = m.changeFailureRate;
  const rec = m.recoveryTime;
  const rw = m.reworkRate;
  const rows: Record<MetricKey, Omit<MetricSummary, "key" | "name">> = {
    deploymentFrequency: {
      value: formatFrequency(df.current.perWeek),
      band: df.band,
      change: change(df.trend, false),
      direction: df.trend.direction,
      interval: formatInterval(df.trend.interval, false),
      previous: formatFrequency(df.previous.perWeek),
      sample:
        df.current.perWeek === null
          ? `no data: ${df.reason}`
          : `${formatCount(df.current.deployments, "deployment")} in ${days} days`,
      detail: null,
      sampleSize: df.current.deployments,
    },
    changeLeadTime: {
      value: formatDuration(lt.current.median),
      band: lt.band,
      change: change(lt.trend, false),
      direction: lt.trend.direction,
      interval: formatInterval(lt.trend.interval, false),
      previous: formatDuration(lt.previous.median),
      sample: lt.current.changes
        ? `median of ${formatCount(lt.current.changes, "change")}`
        : "no changes shipped",
      detail: lt.current.changes
        ? `p75 ${formatDuration(lt.current.p75)} · p90 ${formatDuration(lt.current.p90)}`
        : null,
      sampleSize: lt.current.changes,
    },
    changeFailureRate: {
      value: formatPercent(cfr.current.rate),
      band: cfr.band,
      change: change(cfr.trend, true),
      direction: cfr.trend.direction,
      interval: formatInterval(cfr.trend.interval, true),
      previous: formatPercent(cfr.previous.rate),
      sample: cfr.current.deployments
        ? `${cfr.current.numerator} of ${formatCount(cfr.current.deployments, "deployment")} failed`
        : "no deployments",
      detail: null,
      sampleSize: cfr.current.deployments,
    },
    recoveryTime: {
      value: formatDuration(rec.current.median),
      band: rec.band,
      change: change(rec.trend, false),
      direction: rec.trend.direction,
      interval: formatInterval(rec.trend.interval, false),
      previous: formatDuration(rec.previous.median),
      sample: rec.current.recovered
        ? `median of ${formatCount(rec.current.recovered, "recovered failure")}`
        : "no recovered failures",
      detail: rec.current.unrecovered ? `${rec.current.unrecovered} not recovered yet` : null,
      sampleSize: rec.current.recovered,
    },
    reworkRate: {
      value: formatPercent(rw.current.rate),
      band: rw.band,
      change: change(rw.trend, true),
      direction: rw.trend.direction,
      interval: formatInterval(rw.trend.interval, true),
      previous: formatPercent(rw.previous.rate),
      sample: rw.current.deployments
        ? `${rw.current.numerator} of ${formatCount(rw.current.deployments, "deployment")} unplanned`
        : "no deployments",
      detail: null,
      sampleSize: rw.current.deployments,
    },
  };
  return METRIC_ORDER.map((key) => ({ key, name: DEFINITIONS[key].name, ...rows[key] }));
}

const HOUR = 3_600;
const DAY = 24 * HOUR;

/** "1 hour", "1 day", "1 week", "30 days": cut-offs are round numbers of one unit. */
function span(seconds: number): string {
  const [n, unit] =
    seconds % (7 * DAY) === 0
      ? [seconds / (7 * DAY), "week"]
      : seconds % DAY === 0
        ? [seconds / DAY, "day"]
        : [seconds / HOUR, "hour"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

const L = (b: Band) => BAND_LABELS[b];

/** The band cut-offs in words, from BAND_CUTOFFS (so the appendix cannot drift from the code). */
export function bandText(key: MetricKey): string {
  const c = BAND_CUTOFFS[key];
  if (key === "deploymentFrequency") {
    const f = BAND_CUTOFFS.deploymentFrequency;
    const month = formatFrequency(f.medium).replace(" / ", " a ");
    return `${L("elite")}: ${f.elite} or more a week (one a day on average) · ${L("high")}: ${f.high} to ${f.elite} a week · ${L("medium")}: ${month} to ${f.high} a week · ${L("low")}: less than ${month}`;
  }
  if (key === "changeLeadTime" || key === "recoveryTime") {
    return `${L("elite")}: under ${span(c.elite)} · ${L("high")}: under ${span(c.high)} · ${L("medium")}: under ${span(c.medium)} · ${L("low")}: ${span(c.medium)} or more`;
  }
  return `${L("elite")}: under ${formatPercent(c.elite)} · ${L("high")}: under ${formatPercent(c.high)} · ${L("medium")}: under ${formatPercent(c.medium)} · ${L("low")}: ${formatPercent(c.medium)} or more`;
}

export function definitions(): MetricDefinition[] {
  return METRIC_ORDER.map((key) => ({
    key,
    name: DEFINITIONS[key].name,
    definition: DEFINITIONS[key].definition,
    bands: bandText(key),
  }));
}

/** How to read the bands, for the summary and the appendix. */
export const BANDS_EXPLAINED =
  "Bands (Elite, High, Medium, Low) place each figure among the typical results of DORA's 2023–2024 surveys. They are a guide for reading a team's own trend, not a grade to compare teams by. A figure with no sample has no band.";
