import type { WeekStart } from "@/lib/domain/vocabulary";
import { formatLocalDate } from "@/lib/format";
import {
  addDays,
  bucketStart,
  daysBetween,
  localDate,
  MAX_PERIOD_DAYS,
  type Period,
  parsePeriodSpec,
  period,
  previousPeriod,
} from "@/lib/metrics/period";

/**
 * A report's period and the one it is compared with. A manager reading "Q3 2026" expects the comparison with
 * Q2 2026, not with the 92 days before 1 July (which start on 31 March): calendar quarters, months and years are
 * compared with the previous calendar quarter, month or year; any other range with the period of equal length that
 * ends the day before (as the dashboards do). Periods of unequal length compare fairly because deployment
 * frequency is per week and the other metrics are rates and medians. docs/adr/0008-reports.md.
 */

export type ReportPeriodKind = "quarter" | "month" | "year" | "range";

export interface ReportPeriod extends Period {
  kind: ReportPeriodKind;
  /** Canonical notation: 2026-Q3, 2026-09, 2026 or 2026-07-01..2026-09-30. */
  spec: string;
  /** "Q3 2026", "September 2026", "2026", "1 Jul 2026 – 30 Sep 2026". */
  label: string;
  /** "1 Jul – 30 Sep 2026". */
  dates: string;
}

export interface ReportPeriods {
  period: ReportPeriod;
  previous: ReportPeriod;
  /** How the previous period was chosen. */
  comparison: "previous calendar period" | "previous period of equal length";
}

export const PERIOD_HELP =
  "2026-Q3, 2026-09, 2026, 2026-07-01..2026-09-30, last-quarter, last-month, last-week or a number of days such as 90d";

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function endOfMonth(year: number, month: number): string {
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
  return addDays(next, -1);
}

/** "1 Jul – 30 Sep 2026", or "3 Dec 2025 – 2 Jan 2026" across years. */
export function formatDates(p: Period): string {
  return p.from.slice(0, 4) === p.to.slice(0, 4)
    ? `${formatLocalDate(p.from, { year: false })} – ${formatLocalDate(p.to)}`
    : `${formatLocalDate(p.from)} – ${formatLocalDate(p.to)}`;
}

/** Names a period: a whole calendar quarter, month or year is one, whatever notation asked for it. */
export function describePeriod(p: Period): ReportPeriod {
  const y = Number(p.from.slice(0, 4));
  const m = Number(p.from.slice(5, 7));
  const first = p.from.slice(8) === "01";
  const base = { ...p, dates: formatDates(p) };
  if (first && m === 1 && p.to === `${y}-12-31`)
    return { ...base, kind: "year", spec: `${y}`, label: `${y}` };
  if (first && (m - 1) % 3 === 0 && p.to === endOfMonth(y, m + 2)) {
    const q = (m - 1) / 3 + 1;
    return { ...base, kind: "quarter", spec: `${y}-Q${q}`, label: `Q${q} ${y}` };
  }
  if (first && p.to === endOfMonth(y, m)) {
    return { ...base, kind: "month", spec: `${y}-${pad(m)}`, label: `${MONTHS[m - 1]} ${y}` };
  }
  return {
    ...base,
    kind: "range",
    spec: `${p.from}..${p.to}`,
    label: `${formatLocalDate(p.from)} – ${formatLocalDate(p.to)}`,
  };
}

/** The period a report compares with: the previous calendar quarter, month or year, else equal length. */
export function comparisonPeriod(p: ReportPeriod): ReportPeriod {
  const y = Number(p.from.slice(0, 4));
  const m = Number(p.from.slice(5, 7));
  if (p.kind === "year") return describePeriod(period(`${y - 1}-01-01`, `${y - 1}-12-31`));
  if (p.kind === "quarter") {
    const [py, pm] = m === 1 ? [y - 1, 10] : [y, m - 3];
    return describePeriod(period(`${py}-${pad(pm)}-01`, endOfMonth(py, pm + 2)));
  }
  if (p.kind === "month") {
    const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
    return describePeriod(period(`${py}-${pad(pm)}-01`, endOfMonth(py, pm)));
  }
  const prev = previousPeriod(p);
  // An equal-length range is named by its dates even when it happens to be a whole month.
  return {
    ...prev,
    kind: "range",
    spec: `${prev.from}..${prev.to}`,
    label: formatDates(prev),
    dates: formatDates(prev),
  };
}

/**
 * The last complete calendar quarter, month and week (starting on the org's week start, Monday unless set) before
 * today in the org's zone: the report presets and the scheduled reports' periods.
 */
export function lastCompleted(
  zone: string,
  now: Date = new Date(),
  weekStart: WeekStart = 1,
): { quarter: string; month: string; week: string } {
  const today = localDate(zone, now);
  const thisWeek = bucketStart(today, "week", weekStart);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const q = Math.floor((m - 1) / 3) + 1;
  return {
    quarter: q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`,
    month: m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`,
    week: `${addDays(thisWeek, -7)}..${addDays(thisWeek, -1)}`,
  };
}

/**
 * Parses a report period: the notations of parsePeriodSpec (2026-Q3, 2026-09, 2026, from..to, 90d) plus
 * last-quarter, last-month and last-week (the last complete ones, for scheduled reports). Null when it is none of
 * them or longer than five years.
 */
export function resolveReportPeriod(
  spec: string,
  zone: string,
  now: Date = new Date(),
  weekStart: WeekStart = 1,
): ReportPeriods | null {
  const s = spec.trim().toLowerCase();
  const last = lastCompleted(zone, now, weekStart);
  const named: Record<string, string> = {
    "last-quarter": last.quarter,
    "last-month": last.month,
    "last-week": last.week,
  };
  const expanded = named[s] ?? spec.trim();
  const p = parsePeriodSpec(expanded, zone, now);
  if (!p || daysBetween(p.from, p.to) + 1 > MAX_PERIOD_DAYS) return null;
  const current = describePeriod(p);
  return {
    period: current,
    previous: comparisonPeriod(current),
    comparison: current.kind === "range" ? "previous period of equal length" : "previous calendar period",
  };
}
