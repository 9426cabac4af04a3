import { describe, expect, it } from "vitest";
import { toDeploymentBars, toLeadTimePoints, toRatePoints, toRecoveryPoints } from "@/lib/charts/mappers";
import type { SeriesPoint } from "@/lib/metrics/dashboard";
import {
  deploymentsChart,
  durationScale,
  leadTimeChart,
  linearScale,
  ratesChart,
  recoveryChart,
  type Shape,
} from "@/lib/reports/charts";
import { pdfText } from "@/lib/reports/pdf/theme";

const BOX = { width: 500, height: 150, font: 7 };

function point(bucket: string, s: Partial<SeriesPoint>): SeriesPoint {
  return {
    bucket,
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
    ...s,
  };
}
const SERIES = [
  point("2026-07-06", {
    deployments: 4,
    failed: 1,
    rework: 1,
    changeFailureRate: 0.25,
    reworkRate: 0.25,
    changes: 5,
    leadTimeP50: 7_200,
    leadTimeP75: 36_000,
    leadTimeP90: 90_000,
  }),
  point("2026-07-13", {}),
  point("2026-07-20", {
    deployments: 6,
    changeFailureRate: 0,
    reworkRate: 0,
    changes: 8,
    leadTimeP50: 14_400,
    leadTimeP75: 40_000,
    leadTimeP90: 100_000,
  }),
  point("2026-07-27", {
    deployments: 2,
    failed: 2,
    changeFailureRate: 1,
    reworkRate: 0,
    changes: 2,
    leadTimeP50: 3_600,
    leadTimeP75: 3_600,
    leadTimeP90: 3_600,
  }),
];
const of = <K extends Shape["kind"]>(shapes: Shape[], kind: K) =>
  shapes.filter((s): s is Extract<Shape, { kind: K }> => s.kind === kind);

describe("report chart geometry (fed by the dashboard's mappers)", () => {
  it("round linear scales from zero; whole steps for counts", () => {
    expect(linearScale(6, { integer: true }).ticks).toEqual([0, 2, 4, 6]);
    expect(linearScale(45, { integer: true }).ticks).toEqual([0, 20, 40, 60]);
    expect(linearScale(0, { integer: true }).ticks).toEqual([0, 1]);
    expect(linearScale(33, { floor: 10, unit: "%" }).ticks).toEqual([0, 10, 20, 30, 40]);
    expect(linearScale(7.7, { floor: 10, unit: "%" }).label(2.5)).toBe("2.5%");
  });

  it("duration scales are the dashboard's: linear from zero, one unit", () => {
    const s = durationScale([2, 25, null]);
    expect(s.ticks.map(s.label)).toEqual(["0 h", "10 h", "20 h", "30 h"]);
    expect(s.at(0)).toBe(0);
    expect(s.at(15)).toBe(0.5);
    expect(s.at(30)).toBe(1);
    expect(s.at(-1)).toBe(0); // clamped, never off the chart
    expect(s.at(99)).toBe(1);
  });

  it("draws recovery like the dashboard: median and p90 as lines with points", () => {
    const c = recoveryChart(
      toRecoveryPoints(
        [
          point("2026-07-06", { recovered: 2, recoveryP50: 3_600, recoveryP90: 7_200 }),
          point("2026-07-13", { recovered: 1, recoveryP50: 1_800, recoveryP90: 1_800 }),
        ],
        "week",
      ),
      "week",
      BOX,
    );
    const paths = of(c.shapes, "path");
    expect(paths.map((p) => p.stroke)).toEqual(["series2Soft", "series2"]);
    expect(of(c.shapes, "rect")).toHaveLength(0); // no bars
    expect(c.legend.map((l) => l.label)).toEqual(["Median", "p90"]);
    expect(of(c.shapes, "text").map((t) => t.text)).toEqual(
      expect.arrayContaining(["0 h", "0.5 h", "1 h", "1.5 h", "2 h"]),
    );
  });

  it("pales a partial week's bars and says which weeks are partial", () => {
    const bars = toDeploymentBars(
      [point("2026-07-01", { days: 5, deployments: 2 }), point("2026-07-06", { deployments: 4, failed: 1 })],
      "week",
    );
    const c = deploymentsChart(bars, "week", BOX);
    expect(of(c.shapes, "rect").map((r) => r.fill)).toEqual(["series1Partial", "series1", "fail"]);
    expect(c.note).toBe(
      "Paler bar is partial: 1 Jul (partial week: 5 of 7 days). Counts there cover fewer days, so a shorter bar is not a drop.",
    );
    expect(c.legend.map((l) => l.label)).toContain("Partial week");
  });

  it("stacks failed on succeeded deployments, one bar per bucket, to scale", () => {
    const c = deploymentsChart(toDeploymentBars(SERIES, "week"), "week", BOX);
    const rects = of(c.shapes, "rect");
    expect(rects.map((r) => r.fill)).toEqual(["series1", "fail", "series1", "fail"]);
    // 3 succeeded + 1 failed in week 1 is as tall as 4 succeeded would be; week 4 is 2 failed.
    const [ok1, fail1, ok3, fail4] = rects as [
      (typeof rects)[0],
      (typeof rects)[0],
      (typeof rects)[0],
      (typeof rects)[0],
    ];
    expect(ok1.h / 3).toBeCloseTo(fail1.h, 1);
    expect(ok3.h / 6).toBeCloseTo(fail4.h / 2, 1);
    expect(c.empty).toBeNull();
    expect(of(c.shapes, "text").map((t) => t.text)).toEqual(
      expect.arrayContaining(["0", "2", "4", "6", "6 Jul", "27 Jul"]),
    );
  });

  it("leaves a gap where nothing was measured (not a zero), and draws lone points as dots", () => {
    const c = leadTimeChart(toLeadTimePoints(SERIES, "week"), "week", BOX);
    const paths = of(c.shapes, "path");
    const line = paths.filter((p) => p.stroke === "series1");
    expect(line).toHaveLength(1); // weeks 3–4 only: week 2 is a gap, week 1 a lone point
    expect(line[0]?.d.match(/[ML]/g)).toEqual(["M", "L"]);
    expect(of(c.shapes, "circle")).toHaveLength(3);
    expect(paths.filter((p) => p.fill === "series1Soft")).toHaveLength(1); // the p75–p90 band, weeks 3–4
  });

  it("says so when there is nothing to draw", () => {
    const empty = [point("2026-07-06", {}), point("2026-07-13", {})];
    expect(deploymentsChart(toDeploymentBars(empty, "week"), "week", BOX).empty).toBe(
      "No deployments in this period.",
    );
    expect(ratesChart(toRatePoints(empty, "week"), "week", BOX).empty).toBe(
      "Nothing was deployed in this period.",
    );
  });
});

describe("PDF text", () => {
  it("keeps what Helvetica can show and spells out the rest", () => {
    expect(pdfText("−4.2 pp · 1 Jul – 30 Sep 2026 · “ok” …")).toBe("-4.2 pp · 1 Jul – 30 Sep 2026 · “ok” …");
    expect(pdfText("Settings → Teams ≈ 5 ≥ 4")).toBe("Settings -> Teams ~ 5 >= 4");
    expect(pdfText("Zürich café €")).toBe("Zürich café €");
    expect(pdfText("東京")).toBe("??");
  });
});
