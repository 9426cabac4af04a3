import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { resolveReportPeriod } from "@/lib/reports/period";

/**
 * What an admin (or the config file) says about a schedule, checked at the boundary: each field's message says what
 * to write instead. The cron expression is read in the org's time zone; presets cover the usual rhythms.
 */

export const PRESETS = {
  weekly: { cron: "0 8 * * 1", period: "last-week", label: "Weekly, Monday 08:00" },
  monthly: { cron: "0 8 1 * *", period: "last-month", label: "Monthly, the 1st at 08:00" },
  quarterly: { cron: "0 8 1 1,4,7,10 *", period: "last-quarter", label: "Quarterly, the 1st at 08:00" },
} as const;
export type Preset = keyof typeof PRESETS;

export const CHANNELS = ["email", "slack", "teams"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Schedules fire at most hourly: a report is a summary, and a runaway cron must not flood an inbox. */
const MIN_GAP_MS = 60 * 60_000;

/** The next due time strictly after `after`, in the org's zone. */
export function nextDue(cron: string, zone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: zone }).next().toDate();
}

/** Null when the expression is usable, else what is wrong with it. */
export function cronProblem(cron: string, zone: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5)
    return "must have five fields: minute hour day-of-month month day-of-week, e.g. 0 8 * * 1";
  try {
    const it = CronExpressionParser.parse(cron, { currentDate: new Date("2026-01-01T00:00:00Z"), tz: zone });
    const a = it.next().getTime();
    const b = it.next().getTime();
    if (b - a < MIN_GAP_MS)
      return "fires more often than once an hour: choose a fixed minute and hour, e.g. 0 8 * * 1";
  } catch (error) {
    return `is not a cron expression (${(error as Error).message}): e.g. 0 8 * * 1 for Mondays at 08:00`;
  }
  return null;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An incoming-webhook URL: https (http only on this machine, for tests and local relays), no credentials in it. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be the incoming webhook's URL, starting with https://";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname)))
    return "must start with https://";
  if (url.username || url.password) return "must not contain a user name or password";
  return null;
}

const splitList = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

export const ScheduleInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "required: a name such as “Weekly digest”")
      .max(100, "at most 100 characters"),
    team: z
      .string()
      .trim()
      .transform((s) => s || null)
      .pipe(
        z
          .string()
          .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a team's slug")
          .nullable(),
      ),
    channel: z.enum(CHANNELS, { error: "must be email, slack or teams" }),
    preset: z.enum(["weekly", "monthly", "quarterly", "cron"], { error: "choose how often" }),
    cron: z.string().trim().optional(),
    period: z.string().trim().optional(),
    formats: z.array(z.enum(["pdf", "csv"], { error: "must be pdf or csv" })).default([]),
    recipients: z.preprocess(
      splitList,
      z.array(z.email("is not an e-mail address")).max(50, "at most 50 recipients").default([]),
    ),
    webhookUrl: z.string().trim().optional(),
  })
  .strict();
export type ScheduleInput = z.input<typeof ScheduleInput>;

export interface ScheduleSpec {
  name: string;
  team: string | null;
  channel: Channel;
  cron: string;
  period: string;
  formats: ("pdf" | "csv")[];
  recipients: string[];
  webhookUrl: string | null;
}

export type FieldErrors = Record<string, string[]>;

/** Parses and cross-checks a schedule; field errors name the field and the fix. */
export function parseSchedule(
  input: unknown,
  zone: string,
): { ok: true; spec: ScheduleSpec } | { ok: false; errors: FieldErrors } {
  const parsed = ScheduleInput.safeParse(input);
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => {
    errors[field] = [...(errors[field] ?? []), message];
  };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path.length > 1 ? ` (${issue.path.slice(1).join(".")})` : "";
      add(String(issue.path[0] ?? "form"), `${issue.message}${at}`);
    }
  }
  // The cross-field checks run on what parsed, so that one answer names every field to fix.
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const p = parsed.success
    ? parsed.data
    : {
        name: "",
        team: null,
        channel: (CHANNELS as readonly unknown[]).includes(raw.channel) ? (raw.channel as Channel) : null,
        preset: typeof raw.preset === "string" ? raw.preset : "weekly",
        cron: typeof raw.cron === "string" ? raw.cron.trim() : undefined,
        period: typeof raw.period === "string" ? raw.period.trim() : undefined,
        formats: errors.formats ? ["pdf"] : Array.isArray(raw.formats) ? raw.formats : [],
        recipients: errors.recipients
          ? ["x"]
          : typeof raw.recipients === "string"
            ? raw.recipients.trim()
            : [],
        webhookUrl: typeof raw.webhookUrl === "string" ? raw.webhookUrl.trim() : undefined,
      };
  const preset = p.preset in PRESETS ? PRESETS[p.preset as Preset] : null;
  const cron = preset?.cron ?? p.cron ?? "";
  if (!preset && p.preset === "cron") {
    const problem = cron ? cronProblem(cron, zone) : "required with a custom schedule, e.g. 0 8 * * 1";
    if (problem) add("cron", problem);
  }
  const period = p.period || preset?.period || "last-week";
  if (!resolveReportPeriod(period, zone))
    add("period", "must be last-week, last-month, last-quarter or days such as 30d");
  let webhookUrl: string | null = null;
  if (p.channel === "email") {
    if (p.recipients.length === 0) add("recipients", "required: at least one e-mail address");
    if (p.formats.length === 0) add("formats", "choose PDF, CSV or both");
  } else if (p.channel) {
    const problem = p.webhookUrl
      ? webhookUrlProblem(p.webhookUrl)
      : "required: the channel's incoming webhook URL";
    if (problem) add("webhookUrl", problem);
    webhookUrl = p.webhookUrl ?? null;
  }
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    spec: {
      name: d.name,
      team: d.team,
      channel: d.channel,
      cron: cron.trim().split(/\s+/).join(" "),
      period,
      formats: d.channel === "email" ? [...new Set(d.formats)] : [],
      recipients: d.channel === "email" ? [...new Set(d.recipients.map((r) => r.toLowerCase()))] : [],
      webhookUrl,
    },
  };
}
