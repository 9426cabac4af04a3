import { describe, expect, it } from "vitest";
import { parseFilters } from "@/lib/web/filters";
import { cardLinks, rowsHref } from "@/lib/web/rows-link";

describe("every number is a link to its rows", () => {
  it("keeps the slice and period, and adds the team and the outcome the figure counts", () => {
    const { filters } = parseFilters({ period: "30d", env: "production", repo: "acme/pay" });
    expect(rowsHref({ filters, team: "payments", outcome: "failed" })).toBe(
      "/deployments?period=30d&env=production&repo=acme%2Fpay&team=payments&outcome=failed",
    );
    const links = cardLinks(parseFilters({}).filters, null);
    expect(links).toEqual({
      deploymentFrequency: "/deployments?outcome=counted",
      changeLeadTime: "/deployments?outcome=counted",
      changeFailureRate: "/deployments?outcome=failed",
      recoveryTime: "/deployments?outcome=recovered",
      reworkRate: "/deployments?outcome=rework",
    });
  });

  it("a chart bucket opens its own days", () => {
    const { filters } = parseFilters({ period: "90d" });
    expect(
      rowsHref({ filters, team: "web", outcome: "counted", range: { from: "2026-03-02", to: "2026-03-08" } }),
    ).toBe("/deployments?from=2026-03-02&to=2026-03-08&team=web&outcome=counted");
  });
});
