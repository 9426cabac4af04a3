import { describe, expect, it } from "vitest";
import type { ResponseAnswers, RoundItem } from "@/lib/calms/scoring";
import { type TrendRound, teamTrend } from "@/lib/calms/trend";

const item = (key: string, text = `${key} text`, block: RoundItem["block"] = "automation"): RoundItem => ({
  key,
  block,
  scale: "frequency",
  text,
  position: 0,
});
/** n people, each answering `values[i]` to every item. */
const people = (values: number[], keys: string[]): ResponseAnswers[] =>
  values.map((v) => ({ answers: new Map(keys.map((k) => [k, v])) }));

const round = (id: number, values: number[], items: RoundItem[], visible = true): TrendRound => ({
  id,
  title: `R${id}`,
  closesOn: `2026-0${id}-28`,
  n: values.length,
  visible,
  items,
  responses: people(
    values,
    items.map((i) => i.key),
  ),
});

const A = [item("A1"), item("A2")];

describe("a team's trend", () => {
  it("calls a change inside the noise band 'no clear change'", () => {
    // Scores (×2.5): R1 5, 7.5, 10, 5, 7.5 → mean 7; R2 7.5, 7.5, 10, 5, 7.5 → mean 7.5
    const [t] = teamTrend([round(1, [2, 3, 4, 2, 3], A), round(2, [3, 3, 4, 2, 3], A)]);
    const p = t?.points[1];
    expect(p?.change?.verdict).toBe("no_clear_change");
    expect(p?.change?.diff).toBeCloseTo(0.5, 10);
    // Band around R1's 7: ± t(df) × SE
    expect(p?.change?.band?.[0]).toBeLessThan(7);
    expect(p?.change?.band?.[1]).toBeGreaterThan(7.5);
  });

  it("calls a change beyond the band higher or lower", () => {
    const [t] = teamTrend([round(1, [1, 1, 2, 1, 2], A), round(2, [4, 3, 4, 4, 3], A)]);
    expect(t?.points[1]?.change?.verdict).toBe("higher");
    const [down] = teamTrend([round(1, [4, 3, 4, 4, 3], A), round(2, [1, 1, 2, 1, 2], A)]);
    expect(down?.points[1]?.change?.verdict).toBe("lower");
  });

  it("compares rounds only on identical items: a reworded or added item is left out", () => {
    const r1 = round(1, [2, 2, 2, 2, 2], [item("A1"), item("A2"), item("A3")]);
    const r2 = round(2, [4, 4, 4, 4, 4], [item("A1"), item("A2", "A2 reworded"), item("A3"), item("A4")]);
    const [t] = teamTrend([r1, r2]);
    expect(t?.commonItems).toEqual(["A1", "A3"]);
    expect(t?.leftOut.sort()).toEqual(["A2", "A4"]);
  });

  it("says a block is not comparable when no item is shared", () => {
    const [t] = teamTrend([round(1, [2, 2, 2, 2, 2], [item("A1")]), round(2, [3, 3, 3, 3, 3], [item("A9")])]);
    expect(t?.commonItems).toEqual([]);
    expect(t?.points.every((p) => p.score === null)).toBe(true);
  });

  it("withholds the change when the number of answers differs by one or two", () => {
    const [t] = teamTrend([round(1, [1, 1, 1, 1, 1], A), round(2, [4, 4, 4, 4, 4, 4], A)]);
    expect(t?.points[1]?.change).toMatchObject({ verdict: "withheld", diff: null, band: null });
    const [three] = teamTrend([round(1, [1, 1, 1, 1, 1], A), round(2, [4, 4, 4, 4, 4, 4, 4, 4], A)]);
    expect(three?.points[1]?.change?.verdict).toBe("higher");
  });

  it("withholds a score resting on fewer people than the threshold", () => {
    // Round 2: six answers, but two said "Don't know" to everything here: the score rests on four people.
    const r2 = round(2, [4, 4, 4, 4, 4, 4], A);
    const dontKnow = {
      answers: new Map([
        ["A1", null],
        ["A2", null],
      ]),
    };
    r2.responses = [...r2.responses.slice(0, 4), dontKnow, dontKnow];
    const [t] = teamTrend([
      { ...round(1, [1, 1, 1, 1, 1, 1], A), threshold: 5 },
      { ...r2, threshold: 5 },
    ]);
    expect(t?.points[1]).toMatchObject({ n: 6, score: null, change: null });
    // With a threshold of 3 it is shown, resting on 4 people.
    const [low] = teamTrend([
      { ...round(1, [1, 1, 1, 1, 1, 1], A), threshold: 3 },
      { ...r2, threshold: 3 },
    ]);
    expect(low?.points[1]?.score).toMatchObject({ n: 4, mean: 10 });
  });

  it("skips a round in which the team is hidden and compares with the last one shown", () => {
    const [t] = teamTrend([
      round(1, [2, 2, 3, 2, 3], A),
      round(2, [4, 4], A, false),
      round(3, [4, 4, 3, 4, 4], A),
    ]);
    expect(t?.points[1]).toMatchObject({ visible: false, score: null, change: null });
    expect(t?.points[2]?.change?.fromRoundId).toBe(1);
  });

  it("leaves out rounds that did not ask a block at all", () => {
    const westrum = item("W1", "W1 text", "westrum");
    const trends = teamTrend([round(1, [2, 2, 2, 2, 2], A), round(2, [3, 3, 3, 3, 3], [...A, westrum])]);
    const w = trends.find((t) => t.block === "westrum");
    expect(w?.points.map((p) => p.roundId)).toEqual([2]);
  });
});
