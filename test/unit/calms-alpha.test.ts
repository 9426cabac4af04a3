import { describe, expect, it } from "vitest";
import { alphaOf, alphaVerdict, cronbach, isWeakItem } from "@/lib/calms/alpha";

/**
 * Hand-computed example (docs/calms.md § Reliability): five people, three items.
 *   item variances 2.5, 1.8, 1.3 (sum 5.6); totals 5, 7, 10, 13, 14 → variance 14.7
 *   α = 3/2 × (1 − 5.6/14.7) = 13/14 = 0.928571…
 */
const ROWS = [
  [1, 2, 2],
  [2, 2, 3],
  [3, 4, 3],
  [4, 4, 5],
  [5, 5, 4],
];

describe("Cronbach's alpha", () => {
  it("matches the hand-computed example", () => {
    expect(alphaOf(ROWS)).toBeCloseTo(13 / 14, 12);
  });

  it("gives corrected item-total correlations and alpha if deleted", () => {
    const r = cronbach(ROWS);
    expect(r.n).toBe(5);
    // Item 1 (1…5) against items 2 + 3 (4, 5, 7, 9, 9): Sxy = 14, Sxx = 10, Syy = 20.8 → r = 14 / √208 = 0.97073
    expect(r.perItem[0]?.itemTotal).toBeCloseTo(14 / Math.sqrt(208), 10);
    // Without item 1: items 2 and 3, variances 1.8 and 1.3, total variance 5.2 → 2 × (1 − 3.1/5.2) = 0.80769
    expect(r.perItem[0]?.alphaIfDeleted).toBeCloseTo(2 * (1 - 3.1 / 5.2), 10);
  });

  it("is undefined when the totals do not vary, and needs two items and two people", () => {
    expect(
      alphaOf([
        [3, 3],
        [3, 3],
      ]),
    ).toBeNull();
    expect(alphaOf([[1, 2]])).toBeNull();
    expect(alphaOf([[1], [2]])).toBeNull();
  });

  it("is only judged from ten complete answers", () => {
    expect(alphaVerdict(cronbach(ROWS))).toBe("too_few");
    const twelve = [...ROWS, ...ROWS, [3, 3, 3], [2, 3, 2]];
    expect(alphaVerdict(cronbach(twelve))).toBe("ok");
  });

  it("flags an item whose removal would raise alpha", () => {
    // Items 1 and 2 agree exactly; item 3 only loosely: alpha without it is 1.
    const rows = Array.from({ length: 12 }, (_, i) => [i % 5, i % 5, (i * 3) % 5]);
    const r = cronbach(rows);
    expect(r.perItem[2]?.alphaIfDeleted).toBe(1);
    expect(isWeakItem(r, 2)).toBe(true);
    expect(isWeakItem(r, 0)).toBe(false);
  });

  it("calls a block whose items run against each other unreliable", () => {
    // Item 3 is item 1 reversed: the kind of item we never write (no reverse-coded items).
    const rows = Array.from({ length: 12 }, (_, i) => [i % 5, (i % 5) + (i % 2), 4 - (i % 5)]);
    const r = cronbach(rows);
    expect(alphaVerdict(r)).toBe("low");
    expect(r.perItem[2]?.itemTotal).toBeLessThan(0);
    expect(isWeakItem(r, 2)).toBe(true);
  });
});
