import { describe, expect, it } from "vitest";
import { parseReportParams } from "@/lib/reports/params";
import { lastCompleted, resolveReportPeriod } from "@/lib/reports/period";

const NOW = new Date("2026-11-22T10:00:00Z");
const resolve = (spec: string, zone = "UTC", now = NOW) => {
  const r = resolveReportPeriod(spec, zone, now);
  return (
    r && {
      period: [r.period.spec, r.period.label, r.period.from, r.period.to],
      previous: [r.previous.spec, r.previous.label, r.previous.from, r.previous.to],
      comparison: r.comparison,
    }
  );
};

describe("report periods", () => {
  it("compares a calendar quarter, month or year with the previous one, not with equal days", () => {
    expect(resolve("2026-Q3")).toEqual({
      period: ["2026-Q3", "Q3 2026", "2026-07-01", "2026-09-30"],
      previous: ["2026-Q2", "Q2 2026", "2026-04-01", "2026-06-30"], // 91 days, not the 92 before 1 July
      comparison: "previous calendar period",
    });
    expect(resolve("2026-q1")?.previous).toEqual(["2025-Q4", "Q4 2025", "2025-10-01", "2025-12-31"]);
    expect(resolve("2026-03")?.previous).toEqual(["2026-02", "February 2026", "2026-02-01", "2026-02-28"]);
    expect(resolve("2026-01")?.previous).toEqual(["2025-12", "December 2025", "2025-12-01", "2025-12-31"]);
    expect(resolve("2024-03")?.previous).toEqual(["2024-02", "February 2024", "2024-02-01", "2024-02-29"]);
    expect(resolve("2026")?.previous).toEqual(["2025", "2025", "2025-01-01", "2025-12-31"]);
  });

  it("a range that is a whole month or quarter is one; any other range compares with equal length", () => {
    expect(resolve("2026-07-01..2026-09-30")?.period[0]).toBe("2026-Q3");
    expect(resolve("2026-09-01..2026-09-30")?.period.slice(0, 2)).toEqual(["2026-09", "September 2026"]);
    expect(resolve("2026-07-15..2026-08-14")).toEqual({
      period: ["2026-07-15..2026-08-14", "15 Jul 2026 – 14 Aug 2026", "2026-07-15", "2026-08-14"],
      previous: ["2026-06-14..2026-07-14", "14 Jun – 14 Jul 2026", "2026-06-14", "2026-07-14"],
      comparison: "previous period of equal length",
    });
  });

  it("last-quarter and last-month are the last complete ones in the org's zone", () => {
    expect(lastCompleted("UTC", NOW)).toEqual({
      quarter: "2026-Q3",
      month: "2026-10",
      week: "2026-11-09..2026-11-15",
    });
    expect(lastCompleted("UTC", new Date("2026-01-05T00:00:00Z"))).toEqual({
      quarter: "2025-Q4",
      month: "2025-12",
      week: "2025-12-29..2026-01-04",
    });
    // 31 March 23:30 UTC is already 1 April in Berlin: Q1 is complete there.
    expect(lastCompleted("Europe/Berlin", new Date("2026-03-31T23:30:00Z")).quarter).toBe("2026-Q1");
    expect(resolve("last-quarter")?.period[0]).toBe("2026-Q3");
    expect(resolve("LAST-MONTH")?.period[0]).toBe("2026-10");
    expect(resolve("30d")?.period.slice(2)).toEqual(["2026-10-24", "2026-11-22"]);
  });

  it("refuses what is not a period", () => {
    for (const bad of [
      "",
      "2026-Q5",
      "2026-13",
      "2026-09-31..2026-10-01",
      "2026-10-01..2026-09-01",
      "last-year",
      "2000-01-01..2026-01-01",
    ]) {
      expect(resolveReportPeriod(bad, "UTC", NOW), bad).toBeNull();
    }
  });
});

describe("GET /api/v1/reports parameters", () => {
  const parse = (q: string) => parseReportParams(new URLSearchParams(q), "UTC", NOW);

  it("defaults to a PDF on A4; an empty team is the whole organisation", () => {
    expect(parse("period=2026-Q3")).toEqual({
      ok: true,
      params: { team: null, period: "2026-Q3", format: "pdf", dataset: undefined, paper: "a4" },
    });
    expect(parse("team=&period=last-month&format=csv&dataset=pull-requests")).toMatchObject({
      ok: true,
      params: { team: null, format: "csv", dataset: "pull-requests" },
    });
  });

  it("names each wrong parameter and says what to write", () => {
    const issues = (q: string) => {
      const r = parse(q);
      return r.ok ? [] : r.issues.map((i) => `${i.parameter}: ${i.message}`);
    };
    expect(issues("format=pdf")).toEqual([
      "period: required: 2026-Q3, 2026-09, 2026, 2026-07-01..2026-09-30, last-quarter, last-month, last-week or a number of days such as 90d",
    ]);
    expect(issues("period=2026-Q3&format=xlsx&paper=a3&team=Bad Team")).toEqual([
      "team: must be a team slug such as payments-core",
      "format: must be pdf, csv or json",
      "paper: must be a4 or letter",
    ]);
    expect(issues("period=soon")).toEqual([
      "period: 'soon' is not a period: use 2026-Q3, 2026-09, 2026, 2026-07-01..2026-09-30, last-quarter, last-month, last-week or a number of days such as 90d",
    ]);
    expect(issues("period=2026-Q3&dataset=changes")).toEqual(["dataset: only with format=csv"]);
    expect(issues("period=2026-Q3&format=csv&dataset=people")).toEqual([
      "dataset: must be one of metrics, deployments, changes, pull-requests, incidents, calms",
    ]);
    expect(issues("period=2026-Q3&period=2026-Q2&from=2026-01-01")).toEqual([
      "period: given more than once",
      "from: unknown parameter (expected team, period, format, dataset, paper)",
    ]);
  });
});
