import { and, eq, notInArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { reportSchedules, teams } from "@/lib/db/schema";
import { cronProblem, nextDue, PRESETS } from "./schedule";

/**
 * Scheduled reports in the config file (`reports.schedules`), matched by name and marked as managed by the file.
 * Chat schedules name the environment variable that holds the webhook URL, so the URL stays out of the file and the
 * database. An admin may pause a config schedule in Settings; re-applying the file keeps it paused.
 */

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, "the name of an environment variable, e.g. SLACK_PAYMENTS_URL");

export const ReportScheduleConfig = z
  .strictObject({
    name: z.string().min(1).max(100),
    team: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a team's slug")
      .optional(),
    /** weekly, monthly, quarterly, or a five-field cron expression in the org's time zone. */
    every: z.string().min(1),
    period: z
      .enum(["last-week", "last-month", "last-quarter"])
      .or(z.string().regex(/^\d+d$/))
      .optional(),
    email: z.array(z.email()).min(1).max(50).optional(),
    attach: z
      .array(z.enum(["pdf", "csv"]))
      .min(1)
      .default(["pdf"]),
    slack: envName.optional(),
    teams: envName.optional(),
  })
  .superRefine((s, ctx) => {
    const channels = [s.email, s.slack, s.teams].filter((c) => c !== undefined).length;
    if (channels !== 1)
      ctx.addIssue({ code: "custom", message: "give exactly one of email, slack or teams" });
    if (!(s.every in PRESETS)) {
      const problem = cronProblem(s.every, "UTC");
      if (problem)
        ctx.addIssue({
          code: "custom",
          path: ["every"],
          message: `weekly, monthly, quarterly or a cron expression that ${problem}`,
        });
    }
  });

export const ReportsConfig = z.strictObject({
  schedules: z
    .array(ReportScheduleConfig)
    .default([])
    .refine((xs) => new Set(xs.map((x) => x.name)).size === xs.length, "schedule names must be unique"),
});
export type ReportsConfig = z.output<typeof ReportsConfig>;

export async function applyReportSchedules(
  db: Db,
  config: ReportsConfig | undefined,
  zone: string,
  now = new Date(),
): Promise<void> {
  const wanted = config?.schedules ?? [];
  await db.transaction(async (tx) => {
    const slugs = await tx.select({ id: teams.id, slug: teams.slug }).from(teams);
    for (const s of wanted) {
      const preset = PRESETS[s.every as keyof typeof PRESETS];
      const cron = preset?.cron ?? s.every.trim().split(/\s+/).join(" ");
      const teamId = s.team ? slugs.find((t) => t.slug === s.team)?.id : null;
      if (teamId === undefined)
        throw new Error(
          `reports.schedules "${s.name}": no team '${s.team}' (teams: in the config or Settings)`,
        );
      const values = {
        name: s.name,
        teamId,
        period: s.period ?? preset?.period ?? "last-week",
        channel: s.email ? ("email" as const) : s.slack ? ("slack" as const) : ("teams" as const),
        formats: s.email ? s.attach.join(",") : "",
        recipients: (s.email ?? []).map((e) => e.toLowerCase()),
        webhookUrlSealed: null,
        webhookUrlEnv: s.slack ?? s.teams ?? null,
        webhookHost: (s.slack ?? s.teams) ? `$${s.slack ?? s.teams}` : null,
        cron,
        createdBy: "config file",
        source: "config" as const,
      };
      const [existing] = await tx
        .select({ id: reportSchedules.id, cron: reportSchedules.cron, paused: reportSchedules.paused })
        .from(reportSchedules)
        .where(and(eq(reportSchedules.source, "config"), eq(reportSchedules.name, s.name)));
      if (!existing) {
        await tx.insert(reportSchedules).values({ ...values, nextDueAt: nextDue(cron, zone, now) });
      } else {
        // The next due time moves only when the rhythm changed; a paused schedule stays paused.
        const moved =
          existing.cron !== cron && !existing.paused ? { nextDueAt: nextDue(cron, zone, now) } : {};
        await tx
          .update(reportSchedules)
          .set({ ...values, ...moved })
          .where(eq(reportSchedules.id, existing.id));
      }
    }
    const names = wanted.map((s) => s.name);
    await tx
      .delete(reportSchedules)
      .where(
        and(
          eq(reportSchedules.source, "config"),
          names.length ? notInArray(reportSchedules.name, names) : undefined,
        ),
      );
  });
}
