import { describe, expect, it } from "vitest";
import { frequencyTrend, logMedianSe, medianTrend, rateTrend, TOO_SMALL, wilson } from "@/lib/metrics/trend";

/**
 * Hand-computed expectations (docs/metrics.md § Trends). z = 1.959964.
 * Wilson 5/10: centre (0.5 + z²/20)/(1 + z²/10) = 0.5; half = z/(1 + z²/10) × √(0.025 + z²/400) = 0.263407.
 */
describe("trends: a change is better or worse only when it is clear for its sample", () => {
  it("Wilson score interval", () => {
    const w = wilson(5, 10);
    expect(w.low).toBeCloseTo(0.236593, 5);
    expect(w.high).toBeCloseTo(0.763407, 5);
    expect(wilson(0, 4).low).toBe(0);
    expect(wilson(4, 4).high).toBe(1);
  });

  it("deployment frequency: −2.7 % over 440 and 452 deployments is no clear change", () => {
    // share 440/892 = 0.4933; Wilson [0.46056, 0.52604] holds the days share 0.5 → ratio interval 0.8538–1.1099.
    const t = frequencyTrend({ count: 440, days: 90 }, { count: 452, days: 90 });
    expect(t.direction).toBe("flat");
    expect(t.relative).toBeCloseTo(-12 / 452, 10);
    expect(t.interval?.low).toBeCloseTo(-0.146214, 4);
    expect(t.interval?.high).toBeCloseTo(0.109888, 4);
    expect(t.note).toMatch(/892 deployments over both periods/);
  });

  it("deployment frequency: 130 against 92 in equal periods is clearly better", () => {
    // share 130/222: Wilson [0.51987, 0.64839] excludes 0.5 → rate ratio 1.0827–1.8441.
    const t = frequencyTrend({ count: 130, days: 91 }, { count: 92, days: 91 });
    expect(t.direction).toBe("better");
    expect(t.interval?.low).toBeCloseTo(0.082749, 4);
    expect(t.interval?.high).toBeCloseTo(0.844094, 4);
    expect(t.note).toBeNull();
  });

  it("deployment frequency: from none is a change only with enough deployments; no data is no trend", () => {
    expect(frequencyTrend({ count: 1, days: 30 }, { count: 0, days: 30 }).direction).toBe("flat");
    const up = frequencyTrend({ count: 8, days: 30 }, { count: 0, days: 30 });
    expect(up.direction).toBe("better");
    expect(up.relative).toBeNull();
    expect(up.interval?.high).toBeNull(); // unbounded: from none
    expect(frequencyTrend({ count: 0, days: 30 }, { count: 0, days: 30 }).direction).toBe("flat");
    const none = frequencyTrend({ count: 5, days: 30 }, null);
    expect(none.direction).toBeNull();
    expect(none.note).toBe("no deployment data for the previous period");
    expect(frequencyTrend(null, { count: 5, days: 30 }).direction).toBeNull();
  });

  it("rates: Newcombe's hybrid score interval (his worked example 56/70 against 48/80: 0.0524 to 0.3339)", () => {
    const t = rateTrend(
      "changeFailureRate",
      { numerator: 56, denominator: 70 },
      { numerator: 48, denominator: 80 },
    );
    expect(t.delta).toBeCloseTo(0.2, 10);
    expect(t.interval?.low).toBeCloseTo(0.0524, 4);
    expect(t.interval?.high).toBeCloseTo(0.3339, 4);
    expect(t.direction).toBe("worse"); // a failure rate going up
  });

  it("rates: 1 of 1 against 0 of 1 is no clear change; a tiny change held steady; no deployments, no trend", () => {
    const one = rateTrend("reworkRate", { numerator: 1, denominator: 1 }, { numerator: 0, denominator: 1 });
    expect(one.direction).toBe("flat");
    expect(one.note).toBe("over 1 and 1 deployments the change is within what chance gives");
    const tiny = rateTrend(
      "changeFailureRate",
      { numerator: 4_020, denominator: 100_000 },
      { numerator: 4_000, denominator: 100_000 },
    );
    expect(tiny.direction).toBe("flat");
    expect(tiny.note).toBe(TOO_SMALL);
    expect(
      rateTrend("reworkRate", { numerator: 0, denominator: 0 }, { numerator: 1, denominator: 9 }).direction,
    ).toBeNull();
  });
  it("a small estimate with a wide interval is unclear for want of data, not 'too small to matter'", () => {
    // 7 deployments in 30 days against 7 in the 30 before: relative change 0, but the Wilson interval of the share
    // 7/14 is 0.268..0.732, a rate ratio of 0.366..2.73: far outside ±2 %, so nothing is known to have held steady.
    const few = frequencyTrend({ count: 7, days: 30 }, { count: 7, days: 30 });
    expect(few.relative).toBe(0);
    expect(few.direction).toBe("flat");
    expect(few.note).toBe("14 deployments over both periods: the change is within what chance gives");
    // Two recoveries each with the same median: too few to tell, whatever the estimate.
    const two = medianTrend(
      "recoveryTime",
      { n: 2, median: 600, upper: 900, q: 0.9 },
      { n: 2, median: 600, upper: 900, q: 0.9 },
    );
    expect(two.note).toBe(
      "too few recovered failures to tell: 2 now and 2 before, where each period needs 5",
    );
    // 50,000 deployments against 50,000: the whole interval is inside ±2 %, so it held steady.
    const many = frequencyTrend({ count: 50_000, days: 30 }, { count: 50_000, days: 30 });
    expect(many.note).toBe(TOO_SMALL);
  });

  it("medians: the log median's standard error from the spacing to p75 (or p90)", () => {
    // p75 = 2 × median, n = 100: ln 2 / (2 × 0.25 × 10) = 0.138629.
    expect(logMedianSe({ n: 100, median: 3_600, upper: 7_200, q: 0.75 })).toBeCloseTo(0.138629, 5);
    // p90 = 4 × median, n = 25: ln 4 / (2 × 0.4 × 5) = 0.346574.
    expect(logMedianSe({ n: 25, median: 600, upper: 2_400, q: 0.9 })).toBeCloseTo(0.346574, 5);
    expect(logMedianSe({ n: 4, median: 600, upper: 2_400, q: 0.9 })).toBeNull();
    expect(logMedianSe({ n: 40, median: 600, upper: 600, q: 0.9 })).toBeNull();
  });

  it("medians: 10 h → 8 h is no clear change over 100 changes each, and clearly better over 400", () => {
    // d = ln 0.8; half = z × √2 × se. n=100: se 0.138629 → −45.5 % to +17.5 %. n=400: se 0.069315 → −34.0 % to −3.05 %.
    const H = 3_600;
    const at = (n: number, median: number) => ({ n, median, upper: 2 * median, q: 0.75 });
    const hundred = medianTrend("changeLeadTime", at(100, 8 * H), at(100, 10 * H));
    expect(hundred.direction).toBe("flat");
    expect(hundred.interval?.low).toBeCloseTo(-0.455233, 5);
    expect(hundred.interval?.high).toBeCloseTo(0.174815, 5);
    const four = medianTrend("changeLeadTime", at(400, 8 * H), at(400, 10 * H));
    expect(four.direction).toBe("better");
    expect(four.interval?.low).toBeCloseTo(-0.339838, 5);
    expect(four.interval?.high).toBeCloseTo(-0.03054, 5);
  });

  it("medians: +51 % from 2 recovered failures is too few to tell; no sample, no trend", () => {
    const t = medianTrend(
      "recoveryTime",
      { n: 2, median: 151, upper: 300, q: 0.9 },
      { n: 3, median: 100, upper: 200, q: 0.9 },
    );
    expect(t.direction).toBe("flat");
    expect(t.relative).toBeCloseTo(0.51, 10);
    expect(t.note).toBe("too few recovered failures to tell: 2 now and 3 before, where each period needs 5");
    const none = medianTrend(
      "recoveryTime",
      { n: 0, median: null, upper: null, q: 0.9 },
      { n: 3, median: 100, upper: 200, q: 0.9 },
    );
    expect(none.direction).toBeNull();
  });
});
