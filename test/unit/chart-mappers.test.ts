import { describe, expect, it } from "vitest";
import {
  bucketTitle,
  toBreakdownBars,
  toBreakdownSegments,
  toDeploymentBars,
  toLeadTimePoints,
  toRatePoints,
} from "@/lib/charts/mappers";
import type { SeriesPoint } from "@/lib/metrics/dashboard";

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
      "Week of 30 Mar 2026 (2 of 7 days in period)",
    );
    expect(bucketTitle({ bucket: "2026-03-01", days: 31 }, "month")).toBe("Mar 2026");
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
