import { describe, expect, it } from "vitest";
import { CommitGraph } from "@/lib/metrics/derive/graph";
import { c, linear, shas } from "@/test/helpers/graph";

describe("CommitGraph.range (git log base..tip)", () => {
  const g = new CommitGraph(linear(["a", "b", "c", "d"]));

  it("returns the commits after base on a linear history", () => {
    const r = g.range("d", "b");
    expect(r.ok && shas(r.commits)).toEqual(["c", "d"]);
  });

  it("is empty when tip is base or an ancestor of it (a rollback)", () => {
    expect(g.range("c", "c")).toEqual({ ok: true, commits: [], cut: 0 });
    expect(g.range("b", "d")).toEqual({ ok: true, commits: [], cut: 0 });
    expect(g.isAncestor("b", "d")).toBe(true);
    expect(g.isAncestor("d", "b")).toBe(false);
  });

  it("reports SHAs it does not hold", () => {
    expect(g.range("zz", "a")).toEqual({ ok: false, reason: "unknown_tip" });
    expect(g.range("d", "zz")).toEqual({ ok: false, reason: "unknown_base" });
  });

  it("includes both sides of a merge, and the merge commit", () => {
    // main: a ← b ← m;  feature: a ← f1 ← f2;  m merges f2 into b
    const merged = new CommitGraph([
      c("a"),
      c("b", ["a"]),
      c("f1", ["a"]),
      c("f2", ["f1"]),
      c("m", ["b", "f2"]),
    ]);
    const r1 = merged.range("m", "b");
    expect(r1.ok && shas(r1.commits)).toEqual(["f1", "f2", "m"]);
    const r2 = merged.range("m", "f1");
    expect(r2.ok && shas(r2.commits)).toEqual(["b", "f2", "m"]);
  });

  it("does not depend on commit timestamps (clock skew, rebases)", () => {
    // b is 'older' than a by its timestamps; generations still order them.
    const skewed = new CommitGraph([
      c("a", [], "2026-05-01T00:00:00Z"),
      c("b", ["a"], "2025-01-01T00:00:00Z"),
      c("c", ["b"], "2024-01-01T00:00:00Z"),
    ]);
    const r = skewed.range("c", "a");
    expect(r.ok && shas(r.commits)).toEqual(["b", "c"]);
  });

  it("stops at history it does not hold (a shallow clone)", () => {
    const shallow = new CommitGraph([c("x", ["missing"]), c("y", ["x"]), c("z", ["y"])]);
    const r = shallow.range("z", "x");
    expect(r.ok && shas(r.commits)).toEqual(["y", "z"]);
  });

  it("walks everything reachable when base is on an unrelated history", () => {
    const g2 = new CommitGraph([...linear(["p", "q", "r"]), c("other")]);
    const r = g2.range("r", "other");
    expect(r.ok && shas(r.commits)).toEqual(["p", "q", "r"]);
  });

  it("gives up past the limit instead of attributing a whole history", () => {
    expect(g.range("d", "a", 2)).toEqual({ ok: false, reason: "too_many" });
    expect(g.range("d", "a", 3).ok).toBe(true);
  });

  it("handles very deep histories without recursion limits, visiting only the difference", () => {
    const n = 100_000;
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    const deep = new CommitGraph(linear(names, "2020-01-01T00:00:00Z", 1));
    expect(deep.size).toBe(n);
    const r = deep.range(`s${n - 1}`, `s${n - 4}`);
    expect(r.ok && r.commits.length).toBe(3);
  }, 60_000); // 100,000 commits: seconds on a busy 2-core machine, not the default 5

  it("handles criss-cross merges (several merge bases)", () => {
    //   a ← b1 ← m1(b1,c1) ;  a ← c1 ← m2(c1,b1) ; tip m3(m1,m2)
    const g3 = new CommitGraph([
      c("a"),
      c("b1", ["a"]),
      c("c1", ["a"]),
      c("m1", ["b1", "c1"]),
      c("m2", ["c1", "b1"]),
      c("m3", ["m1", "m2"]),
    ]);
    const r = g3.range("m3", "m1");
    expect(r.ok && shas(r.commits)).toEqual(["m2", "m3"]);
  });
});
