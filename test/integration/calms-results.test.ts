import { expect, it } from "vitest";
import { roundResultsJson, teamResultsJson } from "@/lib/calms/api";
import { roundResults } from "@/lib/calms/results";
import { createRound } from "@/lib/calms/rounds";
import { teamResults } from "@/lib/calms/team";
import { createTeam } from "@/lib/teams";
import { answerPerPerson } from "@/test/helpers/calms";
import { describeDb } from "@/test/helpers/db";

/**
 * The anonymity rules as the pages, the API and exports receive them (lib/calms/results.ts), per team and per
 * dimension, with hand-computed figures. Statements A1 A2 (Automation) and M1 M2 (Measurement); "dk" = Don't know.
 *
 *   Alpha (8): Automation Always ×8 → 10; Measurement answered by 2 people only (6 Don't know) → withheld (2 < 5).
 *   Bravo (6): Automation 5; Measurement all Don't know.   Charlie (3): Automation 2.5; Measurement all Don't know.
 *   Delta (7): Automation 7.5; Measurement 5.
 *
 * Charlie is below 5, so Bravo (6, the smallest team shown) is hidden with it. Organisation (24 answers):
 * Automation (80 + 30 + 7.5 + 52.5) / 24 = 7.08, shown (24 − Alpha 8 − Delta 7 = 9 people left over); Measurement
 * rests on Alpha's 2 and Delta's 7: minus Delta, the only team score of it shown, leaves Alpha's 2: withheld.
 */

const TODAY = "2026-03-10";

function must<T>(value: T | null): T {
  if (value === null) throw new Error("no such round or team");
  return value;
}
const KEYS = ["A1", "A2", "M1", "M2"];
const PEOPLE: Record<string, string[][]> = {
  alpha: [
    ["4", "4", "4", "3"],
    ["4", "4", "3", "3"],
    ...Array.from({ length: 6 }, () => ["4", "4", "dk", "dk"]),
  ],
  bravo: Array.from({ length: 6 }, () => ["2", "2", "dk", "dk"]),
  charlie: Array.from({ length: 3 }, () => ["1", "1", "dk", "dk"]),
  delta: Array.from({ length: 7 }, () => ["3", "3", "2", "2"]),
};

describeDb("CALMS results: anonymity per team and per dimension", ({ db }) => {
  async function seed() {
    const ids = [];
    for (const slug of Object.keys(PEOPLE)) {
      ids.push(await createTeam(db(), { slug, name: slug[0]?.toUpperCase() + slug.slice(1) }));
    }
    const { roundId } = await createRound(db(), {
      title: "Check",
      opensOn: "2026-03-02",
      closesOn: "2026-03-16",
      teamIds: ids,
      itemKeys: KEYS,
    });
    await answerPerPerson(db(), roundId, PEOPLE, KEYS, TODAY);
    return roundId;
  }

  it("hides teams, withholds thin dimensions, and protects the organisation figure per dimension", async () => {
    const roundId = await seed();
    const json = roundResultsJson(must(await roundResults(db(), roundId, { today: TODAY })));
    const dims = (t: {
      dimensions: Record<string, { score: number | null; n: number; withheld: string | null }> | null;
    }) =>
      t.dimensions &&
      Object.fromEntries(Object.entries(t.dimensions).map(([k, d]) => [k, [d.score, d.n, d.withheld]]));
    expect(json.teams.map((t) => [t.slug, t.answers, t.hidden, dims(t)])).toEqual([
      ["alpha", 8, null, { automation: [10, 8, null], measurement: [null, 2, "too_few"] }],
      ["bravo", 6, "complementary", null],
      ["charlie", 3, "below_threshold", null],
      ["delta", 7, null, { automation: [7.5, 7, null], measurement: [5, 7, null] }],
    ]);
    expect(json.organisation.answers).toBe(24);
    expect(dims(json.organisation)).toEqual({
      automation: [7.08, 24, null],
      measurement: [null, 9, "complementary"],
    });
    // Nothing else about the withheld dimension leaves: no SD, no interval.
    expect(json.teams[0]?.dimensions?.measurement).toMatchObject({ score: null, sd: null, ci95: null });
  });

  it("a selection of teams pools only teams shown, and withholds a dimension one of them has withheld", async () => {
    const roundId = await seed();
    const selection = ["alpha", "bravo", "delta"];
    const both = roundResultsJson(must(await roundResults(db(), roundId, { today: TODAY, selection })));
    // Bravo is left out; Alpha + Delta minus Delta would be Alpha's withheld Measurement.
    expect(both.selection).toMatchObject({ teams: ["alpha", "delta"], leftOut: ["bravo"], answers: 15 });
    expect(both.selection?.dimensions?.automation).toMatchObject({ score: 8.83, n: 15, withheld: null });
    expect(both.selection?.dimensions?.measurement).toMatchObject({ score: null, withheld: "complementary" });
    const delta = roundResultsJson(
      must(await roundResults(db(), roundId, { today: TODAY, selection: ["delta"] })),
    );
    expect(delta.selection?.dimensions?.measurement).toMatchObject({ score: 5, n: 7 });
  });

  it("the team view: the organisation beside it under the same rules, nothing of a hidden team", async () => {
    const roundId = await seed();
    const alpha = teamResultsJson(must(await teamResults(db(), roundId, "alpha", TODAY)));
    expect(alpha.team.dimensions?.measurement).toMatchObject({ score: null, withheld: "too_few" });
    expect(alpha.organisation.dimensions?.measurement).toMatchObject({
      score: null,
      withheld: "complementary",
    });
    expect(alpha.organisation.dimensions?.automation?.score).toBe(7.08);
    const charlie = teamResultsJson(must(await teamResults(db(), roundId, "charlie", TODAY)));
    expect(charlie.team).toMatchObject({ answers: 3, visible: false, dimensions: null });
    expect(charlie.statements).toBeNull();
    expect(charlie.trend.flatMap((t) => t.rounds.map((p) => p.score))).toEqual([null, null]);
    expect(charlie.sayVsDo.signals.every((s) => s.teamSays === null)).toBe(true);
  });
});
