import { describe, expect, it } from "vitest";
import { issuesMessage, parseMetricsParams } from "@/lib/api/metrics-params";
import { parseFilters, periodOf, withFilters } from "@/lib/web/filters";

const now = new Date("2026-11-22T10:00:00Z");
const parse = (qs: string) => parseMetricsParams(new URLSearchParams(qs), "UTC", now);

describe("GET /api/v1/metrics parameters", () => {
  it("defaults to the last 90 days, today included, in the org zone", () => {
    const r = parse("team=payments");
    expect(r.ok && r.period).toEqual({ from: "2026-08-25", to: "2026-11-22", days: 90 });
  });

  it("takes inclusive from/to", () => {
    const r = parse("from=2026-07-01&to=2026-09-30&environment=production");
    expect(r.ok && r.period.days).toBe(92);
  });

  it("says exactly what is wrong", () => {
    const cases: [string, string][] = [
      ["from=2026-02-30", "from: must be a calendar date written YYYY-MM-DD"],
      ["from=2026-09-30&to=2026-07-01", "from: must not be after to (2026-07-01)"],
      [
        "tema=payments",
        "tema: unknown parameter (expected team, repo, service, environment, from, to, granularity)",
      ],
      ["repo=acme", "repo: must be owner/name"],
      ["team=Payments Core", "team: must be a team slug such as payments-core"],
      ["granularity=hour", "granularity: must be day, week or month"],
      ["team=a&team=b", "team: given more than once"],
      ["from=2010-01-01&to=2026-01-01", "from: the period may span at most 1830 days"],
    ];
    for (const [qs, message] of cases) {
      const r = parse(qs);
      expect(r.ok, qs).toBe(false);
      if (!r.ok) expect(issuesMessage(r.issues)).toBe(message);
    }
  });
});

describe("dashboard filters in the URL", () => {
  it("round-trips presets and slices, omitting defaults", () => {
    const { filters } = parseFilters({ period: "30d", env: "staging", repo: "acme/pay" });
    expect(withFilters(filters)).toBe("?period=30d&env=staging&repo=acme%2Fpay");
    expect(withFilters(filters, { preset: "90d", env: null, repo: null })).toBe("");
  });

  it("is lenient with bad values and says so", () => {
    const { filters, problems } = parseFilters({ from: "2026-09-30", to: "2026-07-01" });
    expect(filters.preset).toBe("90d");
    expect(problems[0]).toMatch(/starts after it ends/);
    expect(parseFilters({ period: "7y" }).problems[0]).toMatch(/Unknown period/);
  });

  it("resolves custom periods", () => {
    const { filters } = parseFilters({ from: "2026-07-01", to: "2026-09-30" });
    expect(periodOf(filters, "UTC", now)).toEqual({ from: "2026-07-01", to: "2026-09-30", days: 92 });
    expect(periodOf(parseFilters({ period: "30d" }).filters, "UTC", now).from).toBe("2026-10-24");
  });
});
