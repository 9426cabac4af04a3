/**
 * Working time for the demo organisation. People work Monday to Friday, 08:00–18:00 UTC (the demo org's zone), so
 * a three-hour review that starts at 16:00 ends the next morning and the charts show quiet weekends. Everything
 * is in epoch milliseconds: the simulation does a lot of arithmetic and Date objects would only slow it down.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const WORK_START = 8 * HOUR;
const WORK_END = 18 * HOUR;

export const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(ms: number): number {
  const d = new Date(ms).getUTCDay();
  return d === 0 ? 7 : d;
}

export const isWorkingDay = (ms: number) => weekday(ms) <= 5;

/** The first instant at or after `ms` that is inside working hours. */
export function nextWorkingInstant(ms: number): number {
  let day = startOfDay(ms);
  let at = ms;
  for (;;) {
    if (isWorkingDay(day)) {
      if (at < day + WORK_START) return day + WORK_START;
      if (at < day + WORK_END) return at;
    }
    day += DAY;
    at = day;
  }
}

/** `ms` plus `duration` of working time: nights and weekends do not count. */
export function addWorkingTime(ms: number, duration: number): number {
  let at = nextWorkingInstant(ms);
  let left = Math.max(0, duration);
  for (;;) {
    const close = startOfDay(at) + WORK_END;
    if (at + left <= close) return at + left;
    left -= close - at;
    at = nextWorkingInstant(close);
  }
}

/** A local date `YYYY-MM-DD` → the UTC instant its day starts. */
export function dayStart(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return ms;
}

/** The day `months` calendar months before `date`, plus one: a 12-month history ending on 20 Nov starts 21 Nov. */
export function historyStart(anchor: string, months: number): number {
  const end = new Date(dayStart(anchor));
  const y = end.getUTCFullYear();
  const m = end.getUTCMonth() - months;
  // Clamp the day to the target month's length (31 March minus one month is 28/29 February).
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(end.getUTCDate(), lastDay)) + DAY;
}

/** Today's date in UTC, the default anchor. */
export const todayUtc = (now: Date = new Date()) => now.toISOString().slice(0, 10);
