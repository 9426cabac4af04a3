import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { teamResultsJson } from "@/lib/calms/api";
import {
  createRespondentLinks,
  createRound,
  findByToken,
  RoundError,
  renewLink,
  roundTeams,
} from "@/lib/calms/rounds";
import { submitResponse } from "@/lib/calms/submit";
import { teamResults } from "@/lib/calms/team";
import { hashLinkToken } from "@/lib/calms/tokens";
import { queryRows } from "@/lib/db/rows";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

/**
 * Issue 14 §3 and ADR 0014: single-use respondent links, and the shared team link without statement detail.
 * Statements A1 A2 (Automation, Never 0 … Always 4 → 0–10 in steps of 2.5), threshold 5.
 *
 * Respondent round, five people:  p1 4,4  p2 4,3  p3 3,3  p4 0,1  p5 2,4
 *   A1: Never 1, About half the time 1, Usually 1, Always 2; mean (10+10+7.5+0+5)/5 = 6.5
 *   A2: Rarely 1, Usually 2, Always 2; mean (10+7.5+7.5+2.5+10)/5 = 7.5
 *   Automation: people 10, 8.75, 7.5, 1.25, 7.5 → 35/5 = 7.0
 * The attack of the report: one team link, four fake "Always, Always" and one real "Never, Never": the dimension
 * score (40 + 0)/5 = 8.0 is shown (5 answers reach the threshold), the statements (Never 1, Always 4) are not.
 */

const TODAY = "2026-03-10";
const KEYS = ["A1", "A2"];
const round = { title: "Spring check", opensOn: "2026-03-02", closesOn: "2026-03-16", itemKeys: KEYS };
const answersOf = (a1: string, a2: string) => ({ A1: a1, A2: a2 });

describeDb("CALMS single-use links and the anonymity threshold", ({ db }) => {
  async function respondentRound() {
    const teamId = await createTeam(db(), { slug: "payments", name: "Payments" });
    const { roundId, links } = await createRound(db(), { ...round, teamIds: [teamId] });
    return { teamId, roundId, links };
  }
  const count = async (table: string) =>
    (await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from ${sql.raw(table)}`))[0]?.n;
  const answersOfTeam = async (roundId: number) => (await roundTeams(db(), roundId))[0]?.n;

  it("is the default: no team link; links are stored only as SHA-256 hashes", async () => {
    const { teamId, roundId, links } = await respondentRound();
    expect(links).toEqual([]);
    const tokens = await createRespondentLinks(db(), roundId, teamId, 3);
    expect(new Set(tokens).size).toBe(3);
    const stored = await queryRows<{ token_hash: string; used: boolean }>(
      db(),
      sql`select token_hash, used from calms_respondent_links order by id`,
    );
    expect(stored).toEqual(tokens.map((t) => ({ token_hash: hashLinkToken(t), used: false })));
    const everything = JSON.stringify(
      await queryRows(db(), sql`select * from calms_respondent_links, calms_round_teams`),
    );
    for (const t of tokens) expect(everything).not.toContain(t);
    expect((await roundTeams(db(), roundId))[0]).toMatchObject({
      linkMode: "respondent",
      linksIssued: 3,
      n: 0,
    });
    expect(await findByToken(db(), tokens[0] as string, TODAY)).toMatchObject({
      teamName: "Payments",
      used: false,
    });
  });

  it("answers once per link: a second submission is refused and writes nothing; a resubmission stays a duplicate", async () => {
    const { teamId, roundId } = await respondentRound();
    const [token] = await createRespondentLinks(db(), roundId, teamId, 1);
    const first = { submissionId: randomUUID(), answers: answersOf("4", "4") };
    expect(await submitResponse(db(), token as string, first, TODAY)).toEqual({ status: "recorded" });
    // Double click / back-and-resubmit of the same form: idempotent, as before.
    expect(await submitResponse(db(), token as string, first, TODAY)).toEqual({ status: "duplicate" });
    // A fresh form through the used link: refused.
    const again = { submissionId: randomUUID(), answers: answersOf("0", "0") };
    expect(await submitResponse(db(), token as string, again, TODAY)).toEqual({ status: "used" });
    expect([await count("calms_responses"), await count("calms_answers")]).toEqual([1, 2]);
    expect(await findByToken(db(), token as string, TODAY)).toMatchObject({ used: true });
    expect(await answersOfTeam(roundId)).toBe(1);
  });

  it("lets exactly one of two concurrent submissions through one link count", async () => {
    const { teamId, roundId } = await respondentRound();
    const [token] = await createRespondentLinks(db(), roundId, teamId, 1);
    const results = await Promise.all(
      ["4", "0"].map((v) =>
        submitResponse(
          db(),
          token as string,
          { submissionId: randomUUID(), answers: answersOf(v, v) },
          TODAY,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["recorded", "used"]);
    expect([await count("calms_responses"), await count("calms_answers")]).toEqual([1, 2]);
  });

  it("compares distinct links answered with the threshold, then shows the statements", async () => {
    const { teamId, roundId } = await respondentRound();
    const tokens = await createRespondentLinks(db(), roundId, teamId, 5);
    const people = [
      ["4", "4"],
      ["4", "3"],
      ["3", "3"],
      ["0", "1"],
      ["2", "4"],
    ] as const;
    for (const [i, [a1, a2]] of people.slice(0, 4).entries()) {
      const input = { submissionId: randomUUID(), answers: answersOf(a1, a2) };
      expect(await submitResponse(db(), tokens[i] as string, input, TODAY)).toEqual({ status: "recorded" });
    }
    // Four people, and p1 tries to make up the fifth through their own link: still four, still hidden.
    const extra = { submissionId: randomUUID(), answers: answersOf("4", "4") };
    expect(await submitResponse(db(), tokens[0] as string, extra, TODAY)).toEqual({ status: "used" });
    let json = teamResultsJson((await teamResults(db(), roundId, "payments", TODAY)) as never);
    expect([json.team.answers, json.team.hidden, json.statements]).toEqual([4, "below_threshold", null]);

    const last = { submissionId: randomUUID(), answers: answersOf("2", "4") };
    expect(await submitResponse(db(), tokens[4] as string, last, TODAY)).toEqual({ status: "recorded" });
    json = teamResultsJson((await teamResults(db(), roundId, "payments", TODAY)) as never);
    expect([json.team.answers, json.team.hidden, json.team.linkMode]).toEqual([5, null, "respondent"]);
    expect(json.team.dimensions?.automation).toMatchObject({ score: 7, n: 5, withheld: null });
    expect(json.statements?.map((s) => [s.key, s.answers, s.dontKnow, s.mean])).toEqual([
      ["A1", { Never: 1, Rarely: 0, "About half the time": 1, Usually: 1, Always: 2 }, 0, 6.5],
      ["A2", { Never: 0, Rarely: 1, "About half the time": 0, Usually: 2, Always: 2 }, 0, 7.5],
    ]);
  });

  it("reproduces the attack of issue 14 §3 on a team link: the dimension score, never the statements", async () => {
    const teamId = await createTeam(db(), { slug: "payments", name: "Payments" });
    const { roundId, links } = await createRound(db(), { ...round, teamIds: [teamId], linkMode: "team" });
    const token = links[0]?.token as string;
    for (const v of ["4", "4", "4", "4", "0"]) {
      const input = { submissionId: randomUUID(), answers: answersOf(v, v) };
      expect(await submitResponse(db(), token, input, TODAY)).toEqual({ status: "recorded" });
    }
    const r = await teamResults(db(), roundId, "payments", TODAY);
    expect(r?.distributions).toBeNull();
    const json = teamResultsJson(r as never);
    expect([json.team.answers, json.team.visible, json.team.linkMode]).toEqual([5, true, "team"]);
    expect(json.team.dimensions?.automation).toMatchObject({ score: 8, n: 5, withheld: null });
    expect(json.statements).toBeNull();
    expect(json.sayVsDo.signals.every((s) => s.teamSays === null)).toBe(true);
    expect(JSON.stringify(json)).not.toMatch(/"Never":1|"Always":4/);
  });

  it("refuses links of the other mode and out-of-range counts, naming the fix", async () => {
    const { teamId, roundId } = await respondentRound();
    await expect(renewLink(db(), roundId, teamId)).rejects.toBeInstanceOf(RoundError);
    await expect(createRespondentLinks(db(), roundId, teamId, 0)).rejects.toMatchObject({ field: "count" });
    await expect(createRespondentLinks(db(), roundId, teamId, 501)).rejects.toThrow(/At most 500/);
    await expect(createRespondentLinks(db(), roundId, teamId, "x")).rejects.toMatchObject({ field: "count" });
    const other = await createTeam(db(), { slug: "search", name: "Search" });
    const shared = await createRound(db(), { ...round, teamIds: [other], linkMode: "team" });
    await expect(createRespondentLinks(db(), shared.roundId, other, 2)).rejects.toThrow(/shared team link/);
    expect(await count("calms_respondent_links")).toBe(0);
  });
});
