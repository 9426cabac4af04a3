import { describe, expect, it } from "vitest";
import { toTen } from "@/lib/calms/bank";
import {
  blockScores,
  itemDistributions,
  minAnswered,
  personBlockScore,
  type ResponseAnswers,
  type RoundItem,
  straightLined,
} from "@/lib/calms/scoring";
import { summarise, tCritical, welch } from "@/lib/calms/stats";

const item = (
  key: string,
  block: RoundItem["block"],
  position: number,
  scale: RoundItem["scale"] = "frequency",
) => ({ key, block, scale, text: `${key} text`, position }) satisfies RoundItem;
const resp = (answers: Record<string, number | null>): ResponseAnswers => ({
  answers: new Map(Object.entries(answers)),
});

const LEAN = [item("L1", "lean", 0), item("L2", "lean", 1), item("L3", "lean", 2)];

describe("the 0–10 scale", () => {
  it("puts frequency answers at 0, 2.5, 5, 7.5, 10 and agreement answers at 0 … 10", () => {
    expect([0, 1, 2, 3, 4].map((v) => toTen("frequency", v))).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(toTen("agreement", 1)).toBe(0);
    expect(toTen("agreement", 4)).toBe(5);
    expect(toTen("agreement", 7)).toBe(10);
  });
});

describe("a person's block score", () => {
  it("is the mean of the answered items", () => {
    // Usually (7.5), Always (10), Rarely (2.5) → 20 / 3
    expect(personBlockScore(resp({ L1: 3, L2: 4, L3: 1 }), LEAN)).toBeCloseTo(20 / 3, 10);
  });

  it("leaves Don't know out of the mean, and needs two thirds of the items answered", () => {
    expect(minAnswered(3)).toBe(2);
    expect(minAnswered(5)).toBe(4);
    expect(minAnswered(6)).toBe(4);
    expect(personBlockScore(resp({ L1: 4, L2: null, L3: 2 }), LEAN)).toBe(7.5);
    expect(personBlockScore(resp({ L1: 4, L2: null, L3: null }), LEAN)).toBeNull();
    expect(personBlockScore(resp({ L1: 4 }), LEAN)).toBeNull();
  });
});

describe("a group's block score", () => {
  it("averages people's scores, with n, SD and a t-based 95% interval", () => {
    const rs = [resp({ L1: 4, L2: 4, L3: 4 }), resp({ L1: 2, L2: 2, L3: 2 }), resp({ L1: 3, L2: 3, L3: 3 })];
    const [lean] = blockScores(rs, LEAN);
    // Scores 10, 5, 7.5: mean 7.5, SD 2.5, CI half-width t(2) × 2.5 / √3 = 4.303 × 1.4434 = 6.2106
    expect(lean).toMatchObject({ block: "lean", n: 3, items: 3 });
    expect(lean?.mean).toBeCloseTo(7.5, 10);
    expect(lean?.sd).toBeCloseTo(2.5, 10);
    expect(lean?.ci).toBeCloseTo(6.2106, 3);
  });

  it("counts only people with enough answers in n", () => {
    const [lean] = blockScores([resp({ L1: 4, L2: 4, L3: 4 }), resp({ L1: null, L2: null, L3: 1 })], LEAN);
    expect(lean?.n).toBe(1);
    expect(lean?.ci).toBeNull();
  });
});

describe("item distributions", () => {
  it("counts answers per scale point, Don't know apart, and the mean of the answers on 0–10", () => {
    const rs = [resp({ L1: 0 }), resp({ L1: 4 }), resp({ L1: 4 }), resp({ L1: null }), resp({ L2: 1 })];
    const [l1] = itemDistributions(rs, LEAN);
    expect(l1).toMatchObject({ key: "L1", counts: [1, 0, 0, 0, 2], dontKnow: 1, answered: 3 });
    expect(l1?.mean).toBeCloseTo(20 / 3, 10);
  });

  it("has seven points for agreement items", () => {
    const [w] = itemDistributions(
      [resp({ W1: 7 }), resp({ W1: 1 })],
      [item("W1", "westrum", 0, "agreement")],
    );
    expect(w?.counts).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(w?.mean).toBe(5);
  });
});

describe("straight-lining", () => {
  it("counts responses with one answer to every statement (ten or more)", () => {
    const items = Array.from({ length: 10 }, (_, i) => item(`A${i}`, "automation", i));
    const same = resp(Object.fromEntries(items.map((i) => [i.key, 4])));
    const varied = resp(Object.fromEntries(items.map((i, n) => [i.key, n % 2 ? 4 : 3])));
    expect(straightLined([same, varied, same], items)).toBe(2);
  });
});

describe("t and Welch", () => {
  it("uses Student's t for small groups", () => {
    expect(tCritical(4)).toBe(2.776);
    expect(tCritical(21)).toBeCloseTo(2.08, 2);
    expect(tCritical(1e9)).toBeCloseTo(1.96, 3);
  });

  it("gives the standard error of a difference of two means", () => {
    const a = summarise([5, 6, 7, 8, 9]); // mean 7, SD √2.5
    const b = summarise([7, 8, 9, 10, 11]); // mean 9, SD √2.5
    const d = welch(a, b);
    // SE = √(2.5/5 + 2.5/5) = 1; df = (0.5 + 0.5)² / (0.25/4 + 0.25/4) = 8; margin = t(8) = 2.306
    expect(d?.diff).toBe(2);
    expect(d?.se).toBeCloseTo(1, 10);
    expect(d?.df).toBeCloseTo(8, 10);
    expect(d?.margin).toBeCloseTo(2.306, 3);
  });
});
