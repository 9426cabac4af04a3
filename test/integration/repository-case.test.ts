import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { queryRows } from "@/lib/db/rows";
import { repositoryIds, upsertRepositories } from "@/lib/ingest/store";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";
import { pushClient } from "@/test/helpers/push";

/**
 * Issue 14 §5: a `payments` token got 403 for acme/checkout-web but 201 for ACME/Checkout-Web, creating a second
 * repository owned by payments. Names are case-insensitive everywhere; the first casing seen is kept for display.
 */

const sha = (c: string) => c.repeat(40).slice(0, 40);

describeDb("Repository names are case-insensitive", ({ db }) => {
  afterEach(() => settleDerive(db()));

  it("a team token cannot reach another team's repository by changing the case; no second repository", async () => {
    for (const slug of ["payments", "web"])
      await createTeam(db(), { slug, name: slug, description: "", members: [] });
    await upsertRepositories(db(), [{ fullName: "acme/checkout-web", source: "config", teamSlug: "web" }]);
    const payments = pushClient(
      db(),
      (await createApiToken(db(), { name: "pay", team: "payments" }, "test")).token,
    );
    const org = pushClient(db(), (await createApiToken(db(), { name: "ci" }, "test")).token);
    const body = { environment: "production", sha: sha("a") };

    for (const repository of ["acme/checkout-web", "ACME/Checkout-Web", "Acme/CHECKOUT-WEB"]) {
      const answer = await payments.postDeployment({ ...body, repository });
      expect(answer.status, repository).toBe(403);
    }
    const pushed = await org.postDeployment({ ...body, id: "d-1", repository: "ACME/Checkout-Web" });
    expect(pushed).toMatchObject({ status: 201 });
    expect(await queryRows(db(), sql`select full_name from repositories`)).toEqual([
      { full_name: "acme/checkout-web" },
    ]);
    const again = await org.postDeployment({ ...body, id: "d-1", repository: "acme/CHECKOUT-web" });
    expect(again).toMatchObject({ status: 200, body: { id: pushed.body.id } });
  });

  it("the store upserts and looks up in any casing, keeping the first casing", async () => {
    const first = await upsertRepositories(db(), [{ fullName: "Acme/Pay", source: "api" }]);
    const second = await upsertRepositories(db(), [
      { fullName: "acme/pay", source: "github" },
      { fullName: "ACME/PAY", source: "github" },
      { fullName: "acme/new", source: "github" },
      { fullName: "ACME/New", source: "github" },
    ]);
    expect(second.get("acme/pay")).toBe(first.get("Acme/Pay"));
    expect(second.get("ACME/PAY")).toBe(first.get("Acme/Pay"));
    expect(second.get("ACME/New")).toBe(second.get("acme/new"));
    expect(await queryRows(db(), sql`select full_name from repositories order by id`)).toEqual([
      { full_name: "Acme/Pay" },
      { full_name: "acme/new" },
    ]);
    expect((await repositoryIds(db(), ["aCmE/pAy"])).get("aCmE/pAy")).toBe(first.get("Acme/Pay"));
    await expect(
      db().execute(sql`insert into repositories (full_name, source) values ('ACME/pay', 'api')`),
    ).rejects.toThrow();
  });
});
