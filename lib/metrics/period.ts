import type { WeekStart } from "@/lib/domain/vocabulary";
import { dateTimeFormat } from "@/lib/format";
import { inSaneRange } from "@/lib/validation/input";

/**
 * Calendar arithmetic on local dates (`YYYY-MM-DD` in the org's time zone). Days are calendar days, so this
 * module never needs the zone except to know what "today" is; SQL turns local dates into instants with
 * `AT TIME ZONE` (lib/metrics/sql.ts), which handles DST.
 */

export type LocalDate = string;

/** Dashboards and the API show the last 90 days (today included) unless asked otherwise. */
export const DEFAULT_PERIOD_DAYS = 90;
/** The longest period a query may span: five years. */
export const MAX_PERIOD_DAYS = 1_830;
export type Granularity = "day" | "week" | "month";

export interface Period {
  from: LocalDate;
  to: LocalDate;
  /** Inclusive length in days. */
  days: number;
}

const DAY_MS = 86_400_000;
const FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: LocalDate): number {
  const m = FORMAT.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtc(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A real calendar date, YYYY-MM-DD, within the years a metric can mean (lib/validation/input.ts). */
export function isLocalDate(value: string): boolean {
  const m = FORMAT.exec(value);
  if (!m || !inSaneRange(value)) return false;
  return fromUtc(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === value;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** `to − from` in days. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The local date in `zone` at instant `now`. */
export function localDate(zone: string, now: Date = new Date()): LocalDate {
  // en-CA formats as YYYY-MM-DD.
  return dateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(toUtc(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function period(from: LocalDate, to: LocalDate): Period {
  return { from, to, days: daysBetween(from, to) + 1 };
}

/** The period of equal length that ends the day before `p` starts. */
export function previousPeriod(p: Period): Period {
  const to = addDays(p.from, -1);
  return period(addDays(to, -(p.days - 1)), to);
}

/** Last `days` days ending today (inclusive). */
export function lastDays(days: number, zone: string, now: Date = new Date()): Period {
  const to = localDate(zone, now);
  return period(addDays(to, -(days - 1)), to);
}

export function autoGranularity(days: number): Granularity {
  if (days <= 45) return "day";
  if (days <= 400) return "week";
  return "month";
}

/** The first day of the bucket containing `date`. Mirrors bucketSql in lib/metrics/sql.ts. */
export function bucketStart(date: LocalDate, granularity: Granularity, weekStart: WeekStart): LocalDate {
  if (granularity === "day") return date;
  if (granularity === "month") return `${date.slice(0, 7)}-01`;
  return addDays(date, -((isoWeekday(date) - weekStart + 7) % 7));
}

/** Every bucket that overlaps the period, in order: the x axis of a zero-filled series. */
export function bucketsOf(p: Period, granularity: Granularity, weekStart: WeekStart): LocalDate[] {
  const out: LocalDate[] = [];
  let b = bucketStart(p.from, granularity, weekStart);
  while (b <= p.to) {
    out.push(b);
    b = granularity === "day" ? addDays(b, 1) : granularity === "week" ? addDays(b, 7) : nextMonth(b);
  }
  return out;
}

function nextMonth(date: LocalDate): LocalDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/** The days of bucket `start` that fall inside the period (a partial first or last week/month has fewer). */
/** The days of a bucket inside the period (a partial first or last week is cut to the period). */
export function bucketRange(
  start: LocalDate,
  granularity: Granularity,
  p: Period,
): { from: LocalDate; to: LocalDate } {
  const end =
    granularity === "day"
      ? start
      : granularity === "week"
        ? addDays(start, 6)
        : addDays(nextMonth(start), -1);
  return { from: start < p.from ? p.from : start, to: end > p.to ? p.to : end };
}

export function daysInBucket(start: LocalDate, granularity: Granularity, p: Period): number {
  const { from, to } = bucketRange(start, granularity, p);
  return Math.max(0, daysBetween(from, to) + 1);
}

/**
 * Parses the period notations that reports and the CLI accept: `2026-Q3`, `2026-09`, `2026`,
 * `2026-07-01..2026-09-30`, or `90d` (the last 90 days). Returns null when it is none of them.
 */
export function parsePeriodSpec(spec: string, zone: string, now: Date = new Date()): Period | null {
  const s = spec.trim();
  let m = /^(\d{4})-Q([1-4])$/i.exec(s);
  if (m) {
    const start = (Number(m[2]) - 1) * 3 + 1;
    const from = `${m[1]}-${String(start).padStart(2, "0")}-01`;
    return period(from, addDays(nextMonth(nextMonth(nextMonth(from))), -1));
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const from = `${m[1]}-${m[2]}-01`;
    return period(from, addDays(nextMonth(from), -1));
  }
  m = /^(\d{4})$/.exec(s);
  if (m) return period(`${m[1]}-01-01`, `${m[1]}-12-31`);
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (
    m &&
    isLocalDate(m[1] as string) &&
    isLocalDate(m[2] as string) &&
    (m[1] as string) <= (m[2] as string)
  ) {
    return period(m[1] as string, m[2] as string);
  }
  m = /^(\d{1,4})d$/.exec(s);
  if (m && Number(m[1]) >= 1) return lastDays(Number(m[1]), zone, now);
  return null;
}
