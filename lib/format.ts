/** Pure display formatting shared by pages, charts, the API docs and reports. */

const MIN = 60;
const HOUR = 3_600;
const DAY = 86_400;

const trim = (n: number, digits = 1) => {
  const s = n.toFixed(digits);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
};

/** 42 s · 18 min · 5.5 h · 3.2 d · 6.1 wk: one unit, 2–3 significant figures. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
  const s = Math.max(0, seconds);
  if (s < MIN) return `${Math.round(s)} s`;
  if (s < HOUR) return `${Math.round(s / MIN)} min`;
  if (s < DAY) return `${trim(s / HOUR, s < 10 * HOUR ? 1 : 0)} h`;
  if (s < 14 * DAY) return `${trim(s / DAY, 1)} d`;
  if (s < 120 * DAY) return `${trim(s / (7 * DAY), 1)} wk`;
  return `${trim(s / (30 * DAY), 0)} mo`;
}

/** The same, spelled out for screen readers and tooltips: "5.5 hours". */
export function formatDurationLong(seconds: number | null | undefined): string {
  const short = formatDuration(seconds);
  return short
    .replace(/ s$/, " seconds")
    .replace(/ min$/, " minutes")
    .replace(/ h$/, " hours")
    .replace(/ d$/, " days")
    .replace(/ wk$/, " weeks")
    .replace(/ mo$/, " months")
    .replace(/^1 (\w+)s$/, "1 $1");
}

export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "–";
  return `${trim(rate * 100, digits)}%`;
}

/** Deployment frequency: "2.3 / day" at a day or more, else "4.5 / week", "0.8 / month" below one a week. */
export function formatFrequency(perWeek: number | null | undefined): string {
  if (perWeek === null || perWeek === undefined || Number.isNaN(perWeek)) return "–";
  if (perWeek >= 7) return `${trim(perWeek / 7, 1)} / day`;
  if (perWeek >= 1) return `${trim(perWeek, 1)} / week`;
  if (perWeek === 0) return "none";
  return `${trim((perWeek * 30) / 7, 1)} / month`;
}

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** Signed change for a trend line: "+23%" relative, or "+2.1 pp" for a rate. */
export function formatChange(delta: number | null, relative: number | null, isRate: boolean): string {
  if (delta === null) return "";
  if (isRate) {
    const pp = delta * 100;
    return `${pp > 0 ? "+" : pp < 0 ? "−" : "±"}${trim(Math.abs(pp), 1)} pp`;
  }
  // From none there is no percentage: say so rather than "up from 0" (a zero that may be no data).
  if (relative === null) return delta > 0 ? "up from none" : "";
  const pct = relative * 100;
  return `${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${trim(Math.abs(pct), Math.abs(pct) < 10 ? 1 : 0)}%`;
}

/**
 * The 95 % interval of a change, for a trend's hover and the report: "−15% to +11%" (relative) or
 * "−3.1 to +2.4 pp" (a rate's points); a missing upper bound is unbounded: "at least +8.3%".
 */
export function formatInterval(
  interval: { low: number | null; high: number | null } | null,
  isRate: boolean,
): string | null {
  if (!interval || interval.low === null) return null;
  const signed = (x: number) => {
    const v = x * 100;
    return `${v > 0 ? "+" : v < 0 ? "−" : "±"}${trim(Math.abs(v), Math.abs(v) < 10 ? 1 : 0)}`;
  };
  const unit = isRate ? " pp" : "%";
  if (interval.high === null) return `at least ${signed(interval.low)}${unit}`;
  return isRate
    ? `${signed(interval.low)} to ${signed(interval.high)} pp`
    : `${signed(interval.low)}% to ${signed(interval.high)}%`;
}

/** "3 Mar 2026" from a local date. */
export function formatLocalDate(date: string, opts: { year?: boolean } = {}): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const month = dateTimeFormat("en-GB", { month: "short", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
  return opts.year === false ? `${d} ${month}` : `${d} ${month} ${y}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 256;

/**
 * One Intl.DateTimeFormat per (locale, options): building one costs ~250 µs, formatting with a built one ~2 µs, so
 * a CSV export that built one per cell spent its time here (issue 11). Bounded: time zones are few, but a caller
 * passing arbitrary options must not grow it without end.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** An instant in the org's zone: "3 Mar 2026, 14:05". */
export function formatInstant(at: Date | string | null | undefined, zone: string): string {
  if (!at) return "–";
  const date = typeof at === "string" ? new Date(at) : at;
  return dateTimeFormat("en-GB", {
    timeZone: zone,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
