import { describe, expect, it } from "vitest";
import { covers } from "@/lib/metrics/coverage";
import { period } from "@/lib/metrics/period";
import { coverageNotes } from "@/lib/metrics/quality";

const MARCH = period("2026-03-01", "2026-03-31");
const codes = (since: string | undefined, deployments: number) =>
  coverageNotes({ since, period: MARCH, deployments }).map((n) => n.code);

describe("no data is not zero: the data panel", () => {
  it("a period is covered when the slice's first deployment is on or before its last day", () => {
    expect(covers("2026-03-31", MARCH)).toBe(true);
    expect(covers("2026-04-01", MARCH)).toBe(false);
    expect(covers(undefined, MARCH)).toBe(false);
  });

  it("says there is no data rather than nothing to flag", () => {
    expect(codes(undefined, 0)).toEqual(["no_data"]);
    expect(codes("2026-04-02", 0)).toEqual(["no_data"]);
    expect(coverageNotes({ since: "2026-04-02", period: MARCH, deployments: 0 })[0]?.message).toBe(
      "This slice's data starts on 2026-04-02, after this period: there is nothing to measure here, so the figures are empty, not zero. Choose a later period.",
    );
  });

  it("a real zero, a period the data starts inside, and a full period with deployments", () => {
    expect(codes("2025-01-01", 0)).toEqual(["no_deployments"]);
    expect(codes("2026-03-10", 4)).toEqual(["partial_data"]);
    expect(codes("2026-03-01", 4)).toEqual([]);
  });
});
