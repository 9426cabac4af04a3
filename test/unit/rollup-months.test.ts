import { expect, it } from "vitest";
import { wholeMonths } from "@/lib/metrics/rollups/read";

/** Which months a rollup read takes from month rows: only whole months inside one period, only when reading by month. */
it("reads whole months inside one period from month rows, everything else by day", () => {
  const q = {
    period: { from: "2026-03-01", to: "2026-05-15", days: 76 },
    previous: { from: "2025-12-15", to: "2026-02-28", days: 76 },
    granularity: "month" as const,
  };
  expect(wholeMonths(q)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]);
  // A month across the boundary of the two periods is read by day.
  expect(
    wholeMonths({
      ...q,
      period: { ...q.period, from: "2026-02-10" },
      previous: { ...q.previous, to: "2026-02-09" },
    }),
  ).toEqual(["2026-01-01", "2026-03-01", "2026-04-01"]);
  expect(wholeMonths({ ...q, granularity: "week" })).toEqual([]);
  expect(wholeMonths({ ...q, granularity: "week", series: false })).toHaveLength(4);
});
