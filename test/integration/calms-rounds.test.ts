import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { DEFAULT_ITEM_KEYS } from "@/lib/calms/inputs";
import {
  closeRound,
  createRound,
  findByToken,
  listRounds,
  RoundError,
  renewLink,
  roundItems,
  setMinGroupSize,
} from "@/lib/calms/rounds";
import { submitResponse } from "@/lib/calms/submit";
import { hashLinkToken } from "@/lib/calms/tokens";
import { queryRows } from "@/lib/db/rows";
import { calmsRoundTeams } from "@/lib/db/schema";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

const TODAY = "2026-03-10";
/** These tests are about the shared team link (lower assurance, ADR 0014); calms-respondent-links covers the default. */
const base = {
  title: "Spring check",
  opensOn: "2026-03-02",
  closesOn: "2026-03-16",
  linkMode: "team" as const,
};

describeDb("CALMS rounds", ({ db }) => {
  async function teams() {
    const a = await createTeam(db(), { slug: "payments", name: "Payments", members: ["ann", "bo", "cy"] });
    const b = await createTeam(db(), { slug: "search", name: "Search" });
    return { a, b };
  }

  it("creates a round with its statements, team sizes and one link per team, storing only the link's hash", async () => {
    const { a, b } = await teams();
    const { roundId, links } = await createRound(db(), {
      ...base,
      teamIds: [a, b],
      itemKeys: DEFAULT_ITEM_KEYS,
      customItems: [{ block: "lean", text: "We paired on changes that touched several services." }],
    });
    expect(links.map((l) => l.slug)).toEqual(["payments", "search"]);
    const items = await roundItems(db(), roundId);
    expect(items).toHaveLength(29);
    // Custom items come after the bank items of their dimension; positions follow C, A, L, M, S.
    expect(items.filter((i) => i.block === "lean").at(-1)?.key).toMatch(/^U\d+$/);
    expect(items.map((i) => i.block).join(",")).toMatch(
      /^(culture,)+(automation,)+(lean,)+(measurement,)+(sharing,?)+$/,
    );

    const stored = await queryRows<{ token_hash: string; team_size: number | null }>(
      db(),
      sql`select token_hash, team_size from calms_round_teams order by id`,
    );
    expect(stored.map((s) => s.team_size)).toEqual([3, null]);
    expect(stored[0]?.token_hash).toBe(hashLinkToken(links[0]?.token as string));
    const everything = JSON.stringify(await queryRows(db(), sql`select * from calms_round_teams`));
    for (const l of links) expect(everything).not.toContain(l.token);

    const found = await findByToken(db(), links[0]?.token as string, TODAY);
    expect(found).toMatchObject({ teamName: "Payments", status: "open" });
    expect(await findByToken(db(), "x".repeat(43), TODAY)).toBeNull();
  });

  it("refuses a dimension with a single statement and a threshold below 3, at the field", async () => {
    const { a } = await teams();
    await expect(
      createRound(db(), { ...base, teamIds: [a], itemKeys: ["C1", "A1", "A2"] }),
    ).rejects.toMatchObject({ field: "itemKeys" });
    await expect(
      createRound(db(), { ...base, teamIds: [a], itemKeys: ["A1", "A2"], minGroupSize: 2 }),
    ).rejects.toThrow(/At least 3/);
    const { roundId } = await createRound(db(), { ...base, teamIds: [a], itemKeys: ["A1", "A2"] });
    await expect(setMinGroupSize(db(), roundId, 2)).rejects.toBeInstanceOf(RoundError);
    await setMinGroupSize(db(), roundId, 3);
    expect((await listRounds(db(), TODAY))[0]?.minGroupSize).toBe(3);
  });

  it("reuses a custom statement with the same wording instead of duplicating it", async () => {
    const { a } = await teams();
    const custom = [{ block: "sharing" as const, text: "We demoed our work to another team." }];
    const one = await createRound(db(), { ...base, teamIds: [a], itemKeys: ["S1"], customItems: custom });
    const two = await createRound(db(), { ...base, teamIds: [a], itemKeys: ["S1"], customItems: custom });
    const k1 = (await roundItems(db(), one.roundId)).map((i) => i.key);
    const k2 = (await roundItems(db(), two.roundId)).map((i) => i.key);
    expect(k1).toEqual(k2);
  });

  it("renews a link (the old one stops working) and closes a round (answers are refused)", async () => {
    const { a } = await teams();
    const { roundId, links } = await createRound(db(), { ...base, teamIds: [a], itemKeys: ["A1", "A2"] });
    const old = links[0]?.token as string;
    const fresh = await renewLink(db(), roundId, a);
    expect(await findByToken(db(), old, TODAY)).toBeNull();
    expect(await findByToken(db(), fresh, TODAY)).not.toBeNull();
    const answers = { A1: "4", A2: "dk" };
    expect(await submitResponse(db(), old, { submissionId: randomUUID(), answers }, TODAY)).toEqual({
      status: "unknown_link",
    });

    expect((await listRounds(db(), TODAY))[0]?.status).toBe("open");
    await closeRound(db(), roundId);
    expect((await listRounds(db(), TODAY))[0]?.status).toBe("closed");
    expect(await submitResponse(db(), fresh, { submissionId: randomUUID(), answers }, TODAY)).toMatchObject({
      status: "closed",
    });
    const [rt] = await db().select().from(calmsRoundTeams).where(eq(calmsRoundTeams.roundId, roundId));
    expect(rt?.tokenHash).toBe(hashLinkToken(fresh));
  });

  it("says a round has not opened yet, and closes it after its last day", async () => {
    const { a } = await teams();
    const { links } = await createRound(db(), { ...base, teamIds: [a], itemKeys: ["A1", "A2"] });
    const token = links[0]?.token as string;
    const answers = { A1: "4", A2: "3" };
    expect(
      await submitResponse(db(), token, { submissionId: randomUUID(), answers }, "2026-03-01"),
    ).toMatchObject({
      status: "scheduled",
      opensOn: "2026-03-02",
    });
    expect(await submitResponse(db(), token, { submissionId: randomUUID(), answers }, "2026-03-16")).toEqual({
      status: "recorded",
    });
    expect(
      await submitResponse(db(), token, { submissionId: randomUUID(), answers }, "2026-03-17"),
    ).toMatchObject({
      status: "closed",
    });
  });
});
