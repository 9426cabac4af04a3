import { describe, expect, it } from "vitest";
import {
  changeDisclosure,
  commentsVisible,
  dimensionShown,
  effectiveThreshold,
  orgDimensionWithheld,
  planDisclosure,
  selectionMembers,
} from "@/lib/calms/suppression";

const g = (key: string, n: number) => ({ key, label: key, n });

describe("the threshold", () => {
  it("is 5 unless lowered, and never below 3", () => {
    expect(effectiveThreshold(5)).toBe(5);
    expect(effectiveThreshold(3)).toBe(3);
    expect(effectiveThreshold(2)).toBe(3);
    expect(effectiveThreshold(0)).toBe(3);
  });

  it("hides a team below it and shows a team at it", () => {
    const d = planDisclosure([g("a", 4), g("b", 5), g("c", 9)], 5);
    expect(d.hidden.get("a")).toBe("below_threshold");
    // a (4) alone would be the residual: b (the smallest shown) is hidden with it.
    expect(d.hidden.has("c")).toBe(false);
  });

  it("hides nothing when every team reaches it", () => {
    const d = planDisclosure([g("a", 5), g("b", 7)], 5);
    expect(d.hidden.size).toBe(0);
    expect(d.total).toEqual({ n: 12, visible: true });
  });
});

describe("complementary suppression: no hidden team can be worked out by subtraction", () => {
  /** What an attacker gets: the organisation figure minus every team shown. */
  const residual = (groups: { key: string; n: number }[], d: ReturnType<typeof planDisclosure>) =>
    d.total.visible ? groups.filter((x) => d.hidden.has(x.key)).reduce((s, x) => s + x.n, 0) : null;

  it("hides the next smallest team when one team is hidden (org − shown teams = the hidden team)", () => {
    const groups = [g("payments", 8), g("search", 6), g("billing", 2), g("identity", 9)];
    const d = planDisclosure(groups, 5);
    expect(d.hidden.get("billing")).toBe("below_threshold");
    expect(d.hidden.get("search")).toBe("complementary");
    expect(d.hidden.has("payments")).toBe(false);
    expect(d.hidden.has("identity")).toBe(false);
    expect(residual(groups, d)).toBe(8); // billing + search: at least 5
  });

  it("keeps adding the smallest shown team until the residual reaches the threshold", () => {
    const groups = [g("a", 1), g("b", 1), g("c", 5), g("d", 5), g("e", 20)];
    const d = planDisclosure(groups, 10);
    // a, b, c, d are all below 10; residual 12 ≥ 10 → e stays.
    expect([...d.hidden.keys()].sort()).toEqual(["a", "b", "c", "d"]);
    const tight = planDisclosure([g("a", 1), g("b", 6), g("c", 7), g("d", 30)], 5);
    expect(tight.hidden.get("b")).toBe("complementary");
    expect(tight.hidden.has("c")).toBe(false);
    expect(residual([g("a", 1), g("b", 6), g("c", 7), g("d", 30)], tight)).toBe(7);
  });

  it("breaks ties between equally small teams by name, so the choice is stable", () => {
    const d = planDisclosure([g("search", 5), g("identity", 5), g("billing", 2), g("payments", 6)], 5);
    expect(d.hidden.get("identity")).toBe("complementary");
    expect(d.hidden.has("search")).toBe(false);
  });

  it("is not needed when the hidden teams together reach the threshold, or when no one answered", () => {
    const d = planDisclosure([g("a", 3), g("b", 2), g("c", 7)], 5);
    expect(d.hidden.has("c")).toBe(false); // residual 3 + 2 = 5
    const empty = planDisclosure([g("a", 0), g("c", 7)], 5);
    expect(empty.hidden.get("a")).toBe("below_threshold");
    expect(empty.hidden.has("c")).toBe(false); // residual 0: nothing to reveal
  });

  it("hides the organisation figure itself when the whole round is below the threshold", () => {
    const d = planDisclosure([g("a", 2), g("b", 2)], 5);
    expect(d.total).toEqual({ n: 4, visible: false });
  });

  it("with two teams, one hidden, shows only the organisation figure", () => {
    const d = planDisclosure([g("a", 8), g("b", 2)], 5);
    expect(d.hidden.get("a")).toBe("complementary");
    expect(d.total.visible).toBe(true);
  });

  it("holds for every combination of small teams (exhaustive check)", () => {
    for (let a = 0; a <= 7; a++)
      for (let b = 0; b <= 7; b++)
        for (let c = 0; c <= 7; c++)
          for (const k of [3, 5]) {
            const groups = [g("a", a), g("b", b), g("c", c)];
            const d = planDisclosure(groups, k);
            const r = residual(groups, d);
            if (r !== null) expect(r === 0 || r >= k, `${a},${b},${c} k=${k}: residual ${r}`).toBe(true);
            for (const x of groups) if (x.n < k) expect(d.hidden.has(x.key)).toBe(true);
          }
  });
});

describe("filters pool shown teams only", () => {
  it("leaves hidden teams out of a selection, so two selections cannot be subtracted to reveal one", () => {
    const d = planDisclosure([g("a", 8), g("b", 3), g("c", 9), g("d", 6)], 5);
    // b is hidden (3), d hidden with it (complementary: residual 3 → 9).
    expect(selectionMembers(d, ["a", "b"])).toEqual({ included: ["a"], excluded: ["b"] });
    // "a + b" minus "a" would be b: but both selections pool only a.
    expect(selectionMembers(d, ["a", "b"]).included).toEqual(selectionMembers(d, ["a"]).included);
    expect(selectionMembers(d, ["a", "c", "d"])).toEqual({ included: ["a", "c"], excluded: ["d"] });
  });
});

describe("dimensions resting on fewer people than the team's answers", () => {
  it("withhold a team's dimension score below the threshold (the others chose Don't know)", () => {
    expect(dimensionShown(4, 5)).toBe(false);
    expect(dimensionShown(5, 5)).toBe(true);
    expect(dimensionShown(3, 3)).toBe(true);
    expect(dimensionShown(2, 2)).toBe(false); // the floor of 3 holds here too
  });

  it("withhold the organisation's dimension when it minus the team scores shown leaves 1 to k − 1 people", () => {
    // Teams shown with 8 and 6 people in Measurement; the organisation has 15: one hidden person's score would be
    // 15 × org − 8 × a − 6 × b.
    expect(orgDimensionWithheld(15, [8, 6], 5)).toBe("complementary");
    expect(orgDimensionWithheld(14, [8, 6], 5)).toBeNull(); // nothing left over
    expect(orgDimensionWithheld(19, [8, 6], 5)).toBeNull(); // 5 left over: at the threshold
    expect(orgDimensionWithheld(4, [], 5)).toBe("too_few");
    expect(orgDimensionWithheld(7, [], 5)).toBeNull(); // no team shown: the residual is the whole, 7 ≥ 5
  });
});

describe("round-to-round changes", () => {
  it("are withheld when the number of answers differs by one or two", () => {
    expect(changeDisclosure(5, 6)).toBe("membership");
    expect(changeDisclosure(8, 6)).toBe("membership");
    expect(changeDisclosure(6, 6)).toBe("ok");
    expect(changeDisclosure(6, 9)).toBe("ok");
  });
});

describe("comments", () => {
  it("need 10 answers (or a higher threshold) and a shown team", () => {
    expect(commentsVisible(9, true, 5)).toBe(false);
    expect(commentsVisible(10, true, 5)).toBe(true);
    expect(commentsVisible(10, false, 5)).toBe(false);
    expect(commentsVisible(11, true, 12)).toBe(false);
  });
});
