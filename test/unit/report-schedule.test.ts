import { describe, expect, it } from "vitest";
import { cronProblem, nextDue, PRESETS, parseSchedule, webhookUrlProblem } from "@/lib/delivery/schedule";
import { lastCompleted, resolveReportPeriod } from "@/lib/reports/period";

const ZONE = "Europe/Berlin";

describe("schedules: cron in the org's zone", () => {
  it("the weekly preset fires Mondays 08:00 local, across the change to summer time", () => {
    // Friday 27 March 2026 12:00 UTC; summer time starts Sunday 29 March.
    const first = nextDue(PRESETS.weekly.cron, ZONE, new Date("2026-03-27T12:00:00Z"));
    expect(first.toISOString()).toBe("2026-03-30T06:00:00.000Z"); // 08:00 CEST
    const before = nextDue(PRESETS.weekly.cron, ZONE, new Date("2026-03-20T12:00:00Z"));
    expect(before.toISOString()).toBe("2026-03-23T07:00:00.000Z"); // 08:00 CET
    // Strictly after: at the due instant itself, the next one.
    expect(nextDue(PRESETS.weekly.cron, ZONE, first).toISOString()).toBe("2026-04-06T06:00:00.000Z");
  });

  it("monthly and quarterly presets", () => {
    expect(nextDue(PRESETS.monthly.cron, ZONE, new Date("2026-12-02T10:00:00Z")).toISOString()).toBe(
      "2027-01-01T07:00:00.000Z",
    );
    expect(nextDue(PRESETS.quarterly.cron, ZONE, new Date("2026-04-01T06:00:00Z")).toISOString()).toBe(
      "2026-07-01T06:00:00.000Z",
    );
  });

  it("refuses expressions that are malformed, have six fields, or fire more than hourly", () => {
    expect(cronProblem("0 8 * * 1", ZONE)).toBeNull();
    expect(cronProblem("0 */2 * * *", ZONE)).toBeNull();
    expect(cronProblem("* * * * *", ZONE)).toMatch(/^fires more often than once an hour/);
    expect(cronProblem("*/30 * * * *", ZONE)).toMatch(/^fires more often than once an hour/);
    expect(cronProblem("0 0 8 * * 1", ZONE)).toMatch(/^must have five fields/);
    expect(cronProblem("0 25 * * *", ZONE)).toMatch(/^is not a cron expression/);
  });
});

describe("schedules: input", () => {
  const base = { name: "Weekly", team: "", preset: "weekly" };

  it("e-mail: addresses split on commas, semicolons and lines, lower-cased and de-duplicated", () => {
    const r = parseSchedule(
      {
        ...base,
        channel: "email",
        formats: ["pdf", "csv", "pdf"],
        recipients: "a@x.test; B@x.test\nb@x.test",
      },
      ZONE,
    );
    expect(r).toEqual({
      ok: true,
      spec: {
        name: "Weekly",
        team: null,
        channel: "email",
        cron: "0 8 * * 1",
        period: "last-week",
        formats: ["pdf", "csv"],
        recipients: ["a@x.test", "b@x.test"],
        webhookUrl: null,
      },
    });
  });

  it("names every field to fix", () => {
    const r = parseSchedule({ name: " ", team: "Bad Team", channel: "fax", preset: "weekly" }, ZONE);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: ["required: a name such as “Weekly digest”"],
      team: ["must be a team's slug"],
      channel: ["must be email, slack or teams"],
    });
    const e = parseSchedule({ ...base, channel: "email", recipients: "x@y.test, nope" }, ZONE);
    expect(e).toEqual({
      ok: false,
      errors: { recipients: ["is not an e-mail address (1)"], formats: ["choose PDF, CSV or both"] },
    });
    // One answer names every field: a missing name does not hide the missing recipients.
    const all = parseSchedule({ ...base, name: "", channel: "email", formats: ["pdf"] }, ZONE);
    expect(all.ok ? null : all.errors).toEqual({
      name: ["required: a name such as “Weekly digest”"],
      recipients: ["required: at least one e-mail address"],
    });
    const f = parseSchedule({ ...base, channel: "email", recipients: "" }, ZONE);
    expect(f).toEqual({
      ok: false,
      errors: { recipients: ["required: at least one e-mail address"], formats: ["choose PDF, CSV or both"] },
    });
    const c = parseSchedule(
      { ...base, preset: "cron", cron: "* * * * *", channel: "slack", webhookUrl: "x" },
      ZONE,
    );
    expect(c.ok ? null : c.errors).toEqual({
      cron: ["fires more often than once an hour: choose a fixed minute and hour, e.g. 0 8 * * 1"],
      webhookUrl: ["must be the incoming webhook's URL, starting with https://"],
    });
    const p = parseSchedule(
      {
        ...base,
        preset: "cron",
        cron: "0 8 * * 1",
        period: "soon",
        channel: "email",
        formats: ["pdf"],
        recipients: "a@b.test",
      },
      ZONE,
    );
    expect(p.ok ? null : p.errors).toEqual({
      period: ["must be last-week, last-month, last-quarter or days such as 30d"],
    });
    expect(parseSchedule({ ...base, channel: "email", extra: 1 }, ZONE).ok).toBe(false);
  });

  it("webhook URLs: https, or http on this machine only; no credentials", () => {
    expect(webhookUrlProblem("https://hooks.slack.com/services/T/B/x")).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:8080/hook")).toBeNull();
    expect(webhookUrlProblem("http://hooks.slack.com/services/T/B/x")).toBe("must start with https://");
    expect(webhookUrlProblem("javascript:alert(1)")).toBe("must start with https://");
    expect(webhookUrlProblem("https://u:p@example.com/x")).toBe("must not contain a user name or password");
  });
});

describe("report periods: last-week", () => {
  it("is the last complete week from the org's week start, compared with the week before", () => {
    // Wednesday 2 December 2026.
    const now = new Date("2026-12-02T10:00:00Z");
    expect(lastCompleted(ZONE, now).week).toBe("2026-11-23..2026-11-29");
    expect(lastCompleted(ZONE, now, 7).week).toBe("2026-11-22..2026-11-28"); // weeks start on Sunday
    const p = resolveReportPeriod("last-week", ZONE, now);
    expect(p?.period).toMatchObject({ from: "2026-11-23", to: "2026-11-29", days: 7 });
    expect(p?.previous).toMatchObject({ from: "2026-11-16", to: "2026-11-22" });
    // On Monday 08:00 local the week just ended is the last complete one.
    expect(lastCompleted(ZONE, new Date("2026-11-30T07:00:00Z")).week).toBe("2026-11-23..2026-11-29");
  });
});
