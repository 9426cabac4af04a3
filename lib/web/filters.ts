import {
  addDays,
  DEFAULT_PERIOD_DAYS,
  daysBetween,
  isLocalDate,
  lastDays,
  localDate,
  MAX_PERIOD_DAYS,
  type Period,
  period,
} from "@/lib/metrics/period";
import { inSaneRange, YEAR_MESSAGE } from "@/lib/validation/input";

/**
 * Dashboard filters kept in the URL (?period=90d&env=production&repo=acme/pay&service=pay). Pages are lenient:
 * a bad value falls back to the default and the page says so; the API (lib/api/metrics-params.ts) is strict.
 */

export const PERIOD_PRESETS = [
  { value: "30d", label: "Last 30 days", days: 30 },
  { value: "90d", label: "Last 90 days", days: 90 },
  { value: "180d", label: "Last 6 months", days: 180 },
  { value: "365d", label: "Last 12 months", days: 365 },
] as const;
export type PresetValue = (typeof PERIOD_PRESETS)[number]["value"];
export const DEFAULT_PRESET: PresetValue = "90d";

export interface Filters {
  preset: PresetValue | "custom";
  from: string | null;
  to: string | null;
  env: string | null;
  repo: string | null;
  service: string | null;
}

export type SearchParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || null;

export function parseFilters(sp: SearchParams): { filters: Filters; problems: string[] } {
  const problems: string[] = [];
  let preset: Filters["preset"] = DEFAULT_PRESET;
  let from = first(sp.from);
  let to = first(sp.to);
  const requested = first(sp.period);
  if (from || to || requested === "custom") {
    if ([from, to].some((d) => d && /^\d{4}-/.test(d) && !inSaneRange(d))) {
      problems.push(`The custom dates ${YEAR_MESSAGE}: showing the last 90 days.`);
      from = to = null;
    } else if ((from && !isLocalDate(from)) || (to && !isLocalDate(to))) {
      problems.push("The custom dates are not valid calendar dates: showing the last 90 days.");
      from = to = null;
    } else if (from && to && from > to) {
      problems.push("The custom period starts after it ends: showing the last 90 days.");
      from = to = null;
    } else if (from && to && daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) {
      problems.push("The custom period is longer than five years: showing the last 90 days.");
      from = to = null;
    } else if (from || to) {
      preset = "custom";
    }
  } else if (requested) {
    if (PERIOD_PRESETS.some((p) => p.value === requested)) preset = requested as PresetValue;
    else problems.push(`Unknown period '${requested}': showing the last 90 days.`);
  }
  // The repository select submits "owner/name::service" when JavaScript is off.
  const [repo, serviceInRepo] = (first(sp.repo) ?? "").split("::");
  return {
    filters: {
      preset,
      from,
      to,
      env: first(sp.env),
      repo: repo || null,
      service: serviceInRepo || first(sp.service),
    },
    problems,
  };
}

export function periodOf(f: Filters, zone: string, now: Date = new Date()): Period {
  if (f.preset === "custom") {
    const to = f.to ?? localDate(zone, now);
    const from = f.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
    return period(from, to);
  }
  const days = PERIOD_PRESETS.find((p) => p.value === f.preset)?.days ?? 90;
  return lastDays(days, zone, now);
}

/** The query string for these filters with some changed (null removes a key). */
export function withFilters(f: Filters, changes: Partial<Filters> = {}): string {
  const next = { ...f, ...changes };
  const q = new URLSearchParams();
  if (next.preset === "custom") {
    if (next.from) q.set("from", next.from);
    if (next.to) q.set("to", next.to);
  } else if (next.preset !== DEFAULT_PRESET) {
    q.set("period", next.preset);
  }
  if (next.env) q.set("env", next.env);
  if (next.repo) q.set("repo", next.repo);
  if (next.service) q.set("service", next.service);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The same slice as GET /api/v1/metrics parameters (for "Download JSON"). */
export function apiQuery(f: Filters, team: string | null, p: Period): string {
  const q = new URLSearchParams();
  if (team) q.set("team", team);
  if (f.repo) q.set("repo", f.repo);
  if (f.service) q.set("service", f.service);
  if (f.env) q.set("environment", f.env);
  q.set("from", p.from);
  q.set("to", p.to);
  return q.toString();
}
