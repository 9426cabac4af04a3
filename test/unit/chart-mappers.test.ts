import { describe, expect, it } from "vitest";
import { durationAxis } from "@/lib/charts/axis";
import {
  bucketTitle,
  coverage,
  fullDays,
  partialNote,
  toBreakdownBars,
  toBreakdownSegments,
  toDeploymentBars,
  toLeadTimePoints,
  toRatePoints,
  toRecoveryPoints,
} from "@/lib/charts/mappers";
import type { WeekStart } from "@/lib/domain/vocabulary";
import type { SeriesPoint } from "@/lib/metrics/dashboard";
import {
  bucketsOf,
  daysInBucket,
  type Granularity,
  lastDays,
  type Period,
  period,
} from "@/lib/metrics/period";

const point = (over: Partial<SeriesPoint>): SeriesPoint => ({
  bucket: "2026-03-02",
  days: 7,
  deployments: 0,
  failed: 0,
  rework: 0,
  changeFailureRate: null,
  reworkRate: null,
  changes: 0,
  leadTimeP50: null,
  leadTimeP75: null,
  leadTimeP90: null,
  recovered: 0,
  recoveryP50: null,
  recoveryP90: null,
  ...over,
});

describe("chart mappers", () => {
  it("splits deployments into succeeded and failed, stacked to the total", () => {
    const [bar] = toDeploymentBars([point({ deployments: 5, failed: 2, rework: 1 })], "week");
    expect(bar).toMatchObject({ label: "2 Mar", succeeded: 3, failed: 2, total: 5, rework: 1 });
  });

  it("lead time in hours with a p75–p90 band; gaps stay gaps", () => {
    const [a, b] = toLeadTimePoints(
      [point({ leadTimeP50: 7_200, leadTimeP75: 10_800, leadTimeP90: 36_000, changes: 4 }), point({})],
      "week",
    );
    expect(a).toMatchObject({ median: 2, band: [3, 10], changes: 4 });
    expect(b).toMatchObject({ median: null, band: null });
  });

  it("rates in percent, null (not 0 %) where nothing was deployed", () => {
    const points = toRatePoints(
      [point({ deployments: 4, failed: 1, changeFailureRate: 0.25, reworkRate: 0 }), point({})],
      "day",
    );
    expect(points.map((p) => p.changeFailure)).toEqual([25, null]);
    expect(points[0]?.rework).toBe(0);
  });

  it("names partial buckets", () => {
    expect(bucketTitle({ bucket: "2026-03-30", days: 2 }, "week")).toBe(
      "Week of 30 Mar 2026 (partial week: 2 of 7 days)",
    );
    expect(bucketTitle({ bucket: "2026-03-01", days: 31 }, "month")).toBe("Mar 2026");
    expect(bucketTitle({ bucket: "2026-02-01", days: 20 }, "month")).toBe(
      "Feb 2026 (partial month: 20 of 28 days)",
    );
  });

  it("breakdown bars per bucket: stage medians in hours, gaps where no PR shipped", () => {
    const empty = {
      prs: 0,
      unreviewed: 0,
      codingP50: null,
      pickupP50: null,
      reviewP50: null,
      deployP50: null,
      totalP50: null,
    };
    const bars = toBreakdownBars(
      [
        {
          bucket: "2026-03-02",
          days: 7,
          ...empty,
          prs: 2,
          codingP50: 7_200,
          pickupP50: 1_800,
          reviewP50: 3_600,
          deployP50: 900,
        },
        { bucket: "2026-03-09", days: 7, ...empty },
      ],
      "week",
    );
    expect(bars[0]).toMatchObject({
      label: "2 Mar",
      prs: 2,
      coding: 2,
      pickup: 0.5,
      review: 1,
      deploy: 0.25,
    });
    expect(bars[1]).toMatchObject({ prs: 0, coding: null, deploy: null });
  });

  it("breakdown segments share the sum of stage medians; unknown stages take no width", () => {
    const segs = toBreakdownSegments({
      prs: 3,
      unreviewed: 1,
      codingP50: 3_600,
      pickupP50: null,
      reviewP50: 3_600,
      deployP50: 7_200,
      totalP50: 20_000,
    });
    expect(segs.map((s) => [s.key, s.share])).toEqual([
      ["coding", 0.25],
      ["pickup", 0],
      ["review", 0.25],
      ["deploy", 0.5],
    ]);
  });
});

/** A zero-filled series over a period, with each bucket's days in the period (as lib/metrics/dashboard.ts builds it). */
function seriesOf(p: Period, g: Granularity, weekStart: WeekStart): SeriesPoint[] {
  return bucketsOf(p, g, weekStart).map((bucket) =>
    point({ bucket, days: daysInBucket(bucket, g, p), deployments: 3 }),
  );
}
const covered = (bars: { partial: { days: number; of: number; running: boolean } | null }[]) =>
  bars.map((b) => (b.partial ? [b.partial.days, b.partial.of, b.partial.running] : "whole"));

describe("partial buckets (first and last weeks the period only partly covers)", () => {
  it("a period starting on a Wednesday: the first and last weeks are partial, marked, not scaled", () => {
    // 4 Mar 2026 is a Wednesday; weeks start on Monday. Weeks of 2 Mar (4–8 Mar: 5 days), 9, 16, 23 Mar (7 each),
    // 30 Mar (30–31 Mar: 2 days). The period is long past: no bucket is in progress.
    const s = seriesOf(period("2026-03-04", "2026-03-31"), "week", 1);
    const clock = { zone: "UTC", now: new Date("2026-04-15T12:00:00Z"), periodTo: "2026-03-31" };
    const bars = toDeploymentBars(s, "week", clock);
    expect(bars.map((b) => b.label)).toEqual(["2 Mar", "9 Mar", "16 Mar", "23 Mar", "30 Mar"]);
    expect(covered(bars)).toEqual([[5, 7, false], "whole", "whole", "whole", [2, 7, false]]);
    expect(bars.map((b) => b.total)).toEqual([3, 3, 3, 3, 3]); // counts as they are: never scaled up
    expect(bars[0]?.title).toBe("Week of 2 Mar 2026 (partial week: 5 of 7 days)");
    expect(partialNote(bars, "week")).toBe(
      "Hatched bars are partial: 2 Mar (partial week: 5 of 7 days); 30 Mar (partial week: 2 of 7 days). " +
        "Counts there cover fewer days, so a shorter bar is not a drop.",
    );
  });

  it("the last week is in progress by the org's time zone, not UTC's", () => {
    // Sunday 1 Mar 2026, 20:00 UTC, the last 28 days, weeks from Monday.
    const now = new Date("2026-03-01T20:00:00Z");
    const run = (zone: string, weekStart: WeekStart) => {
      const p = lastDays(28, zone, now);
      const bars = toDeploymentBars(seriesOf(p, "week", weekStart), "week", { zone, now, periodTo: p.to });
      return { p, bars };
    };
    // UTC: today is Sun 1 Mar; the period is 2 Feb – 1 Mar, four whole weeks; the last one holds today.
    const utc = run("UTC", 1);
    expect([utc.p.from, utc.p.to]).toEqual(["2026-02-02", "2026-03-01"]);
    expect(covered(utc.bars)).toEqual(["whole", "whole", "whole", [7, 7, true]]);
    expect(utc.bars[3]?.title).toBe("Week of 23 Feb 2026 (week in progress: 7 of 7 days so far)");
    // Auckland (UTC+13 in March): it is already Mon 2 Mar, 09:00. The period is 3 Feb – 2 Mar: the week of 2 Feb
    // has 6 days in it (3–8 Feb), and the week of 2 Mar has begun (1 day so far).
    const akl = run("Pacific/Auckland", 1);
    expect([akl.p.from, akl.p.to]).toEqual(["2026-02-03", "2026-03-02"]);
    expect(akl.bars.map((b) => b.label)).toEqual(["2 Feb", "9 Feb", "16 Feb", "23 Feb", "2 Mar"]);
    expect(covered(akl.bars)).toEqual([[6, 7, false], "whole", "whole", "whole", [1, 7, true]]);
    // Los Angeles (UTC−8): Sun 1 Mar, 12:00, with weeks from Sunday: 1 Feb (2–7 Feb: 6 days) … 1 Mar (today).
    const lax = run("America/Los_Angeles", 7);
    expect(lax.bars.map((b) => b.label)).toEqual(["1 Feb", "8 Feb", "15 Feb", "22 Feb", "1 Mar"]);
    expect(covered(lax.bars)).toEqual([[6, 7, false], "whole", "whole", "whole", [1, 7, true]]);
    expect(partialNote(lax.bars, "week")).toContain("1 Mar (week in progress: 1 of 7 days so far)");
  });

  it("a week the period ends inside, before today, is partial but not in progress", () => {
    const c = coverage({ bucket: "2026-03-02", days: 3 }, "week", {
      zone: "Europe/Berlin",
      now: new Date("2026-03-05T10:00:00Z"),
      periodTo: "2026-03-04",
    });
    expect(c).toEqual({ days: 3, of: 7, running: false });
  });

  it("whole buckets are not marked; months have their own length", () => {
    expect(fullDays("2026-02-01", "month")).toBe(28);
    expect(fullDays("2024-02-01", "month")).toBe(29);
    expect(fullDays("2026-03-01", "month")).toBe(31);
    expect(coverage({ bucket: "2026-02-01", days: 28 }, "month")).toBeNull();
    expect(partialNote(toDeploymentBars([point({})], "week"), "week")).toBeNull();
  });
});

describe("recovery points and duration axes", () => {
  it("median and p90 per bucket, in hours; null where nothing recovered", () => {
    const pts = toRecoveryPoints(
      [point({ recovered: 3, recoveryP50: 5_400, recoveryP90: 36_000 }), point({})],
      "week",
    );
    expect(pts.map((p) => [p.median, p.p90, p.recovered])).toEqual([
      [1.5, 10, 3],
      [null, null, 0],
    ]);
  });

  it("a linear axis from zero in one unit, with round steps", () => {
    const h = durationAxis([2, 25, null]); // hours: 25 h → steps of 10 h up to 30 h
    expect(h.ticks).toEqual([0, 10, 20, 30]);
    expect(h.ticks.map(h.label)).toEqual(["0 h", "10 h", "20 h", "30 h"]);
    const m = durationAxis([0.5]); // 30 min
    expect(m.ticks.map(m.label)).toEqual(["0 min", "10 min", "20 min", "30 min"]);
    const d = durationAxis([100]); // 4.17 d → steps of 2 d up to 6 d
    expect(d.ticks).toEqual([0, 48, 96, 144]);
    expect(d.ticks.map(d.label)).toEqual(["0 d", "2 d", "4 d", "6 d"]);
  });

  it("no axis mixes units", () => {
    for (const max of [0.01, 0.3, 1.9, 2, 7, 30, 71, 72, 200, 900, 4_000]) {
      const a = durationAxis([max / 3, max]);
      const units = new Set(a.ticks.map((t) => a.label(t).split(" ")[1]));
      expect(units.size, `max ${max} h`).toBe(1);
      expect(a.domain[1]).toBeGreaterThanOrEqual(max);
    }
  });
});
