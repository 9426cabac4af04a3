import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { DEFAULT_ITEM_KEYS } from "@/lib/calms/inputs";
import { createRound } from "@/lib/calms/rounds";
import { submitResponse } from "@/lib/calms/submit";
import { queryRows } from "@/lib/db/rows";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

const TODAY = "2026-03-10";
/** Through a shared team link (ADR 0014); single-use links: calms-respondent-links.test.ts. */
const round = {
  title: "Spring check",
  opensOn: "2026-03-02",
  closesOn: "2026-03-16",
  linkMode: "team" as const,
};
const full = (value = "3") => Object.fromEntries(DEFAULT_ITEM_KEYS.map((k) => [k, value]));

describeDb("CALMS answers", ({ db }) => {
  async function link() {
    const team = await createTeam(db(), { slug: "payments", name: "Payments" });
    const { links } = await createRound(db(), { ...round, teamIds: [team], itemKeys: DEFAULT_ITEM_KEYS });
    return links[0]?.token as string;
  }
  const count = async (table: string) =>
    (await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from ${sql.raw(table)}`))[0]?.n;

  it("records answers (Don't know as null) and the comment apart from them", async () => {
    const token = await link();
    const answers = { ...full(), C1: "dk", A1: "0", A2: "4" };
    const result = await submitResponse(
      db(),
      token,
      { submissionId: randomUUID(), answers, comment: " Good " },
      TODAY,
    );
    expect(result).toEqual({ status: "recorded" });
    const rows = await queryRows<{ item_key: string; value: number | null }>(
      db(),
      sql`select item_key, value from calms_answers where item_key in ('C1', 'A1', 'A2') order by item_key`,
    );
    expect(rows).toEqual([
      { item_key: "A1", value: 0 },
      { item_key: "A2", value: 4 },
      { item_key: "C1", value: null },
    ]);
    expect(await queryRows(db(), sql`select body from calms_comments`)).toEqual([{ body: "Good" }]);
  });

  it("puts a clear message at each missing or out-of-range answer, and stores nothing", async () => {
    const token = await link();
    const answers: Record<string, string> = { ...full(), A3: "9", M1: "" };
    delete answers.L2;
    const result = await submitResponse(db(), token, { submissionId: randomUUID(), answers }, TODAY);
    expect(result.status).toBe("invalid");
    if (result.status !== "invalid") return;
    expect(Object.keys(result.errors).sort()).toEqual(["A3", "L2", "M1"]);
    expect(result.errors.L2?.[0]).toMatch(/Choose an answer/);
    expect(result.errors.A3?.[0]).toMatch(/not one of the answers offered/);
    expect(await count("calms_responses")).toBe(0);
  });

  it("refuses a Westrum value on the frequency scale, and an answer to a statement the round does not ask", async () => {
    const token = await link();
    const result = await submitResponse(
      db(),
      token,
      { submissionId: randomUUID(), answers: { ...full(), C2: "7", W1: "7" } },
      TODAY,
    );
    expect(result.status).toBe("invalid");
    if (result.status === "invalid") expect(Object.keys(result.errors)).toEqual(["C2"]);
  });

  it("counts a double submit once, even when both arrive at the same time", async () => {
    const token = await link();
    const submissionId = randomUUID();
    const input = { submissionId, answers: full(), comment: "once" };
    const results = await Promise.all([
      submitResponse(db(), token, input, TODAY),
      submitResponse(db(), token, input, TODAY),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["duplicate", "recorded"]);
    expect(await submitResponse(db(), token, input, TODAY)).toEqual({ status: "duplicate" });
    expect(await count("calms_responses")).toBe(1);
    expect(await count("calms_answers")).toBe(DEFAULT_ITEM_KEYS.length);
    expect(await count("calms_comments")).toBe(1);
  });

  it("asks for a fresh form when the submission id is missing or malformed", async () => {
    const token = await link();
    const result = await submitResponse(db(), token, { submissionId: "nope", answers: full() }, TODAY);
    expect(result).toMatchObject({
      status: "invalid",
      errors: { submissionId: [expect.stringMatching(/reload/)] },
    });
  });

  it("stores nothing that identifies a person: no name, e-mail, IP, user agent or time", async () => {
    const columns = await queryRows<{ table_name: string; column_name: string }>(
      db(),
      sql`select table_name, column_name from information_schema.columns
          where table_schema = 'public' and table_name in ('calms_responses', 'calms_answers', 'calms_comments')
          order by table_name, ordinal_position`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      "calms_answers.submission_id",
      "calms_answers.item_key",
      "calms_answers.value",
      "calms_comments.id",
      "calms_comments.round_team_id",
      "calms_comments.body",
      "calms_responses.submission_id",
      "calms_responses.round_team_id",
    ]);
  });
});
