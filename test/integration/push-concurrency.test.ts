import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { deriveRepositories } from "@/lib/metrics/derive";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";
import { pushClient } from "@/test/helpers/push";

/**
 * Issue 14 §1: parallel pushes with the same id deadlocked (the push took the deployment key then the repository
 * row, derive the reverse) and several callers were told "201 created" for one row. 50 identical and 50 different
 * pushes at once, with derives running alongside: no 5xx, exactly the rows sent, one 201 per new row.
 */

const sha = (n: number) => n.toString(16).padStart(40, "0");
const count = (db: Db, where = sql`true`) =>
  queryRows<{ n: number }>(db, sql`select count(*)::int as n from deployments where ${where}`).then(
    (r) => r[0]?.n,
  );

describeDb("Push API under concurrency", ({ db }) => {
  afterEach(() => settleDerive(db()));

  it("50 identical + 50 different pushes at once: exact rows, no 5xx, truthful 201/200", async () => {
    await createTeam(db(), { slug: "payments", name: "Payments", description: "", members: [] });
    const team = pushClient(
      db(),
      (await createApiToken(db(), { name: "pay", team: "payments" }, "test")).token,
    );
    const base = { repository: "acme/pay", environment: "production", status: "success" };
    const same = { ...base, id: "build-1", sha: sha(1), finishedAt: "2026-03-02T10:00:00Z" };
    const different = (i: number) => ({
      ...base,
      id: `build-${100 + i}`,
      sha: sha(100 + i),
      finishedAt: `2026-03-02T10:${String(i).padStart(2, "0")}:00Z`,
    });
    // The repository does not exist yet: the first pushes also race to create it.
    let deriving = true;
    const deriveLoop = (async () => {
      while (deriving) await deriveRepositories(db());
    })();
    // A route handler that throws is a 500 in Next: count it as one.
    const answer = (p: ReturnType<typeof team.postDeployment>) =>
      p.catch((error: Error) => ({
        status: 500,
        headers: new Headers(),
        body: { error: error.message } as Record<string, unknown>,
      }));
    const answers = await Promise.all([
      ...Array.from({ length: 50 }, () => answer(team.postDeployment(same))),
      ...Array.from({ length: 50 }, (_, i) => answer(team.postDeployment(different(i)))),
    ]).finally(() => {
      deriving = false;
    });
    await deriveLoop;

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const identical = statuses.slice(0, 50);
    expect(identical.filter((s) => s === 201)).toHaveLength(1);
    expect(identical.filter((s) => s === 200)).toHaveLength(49);
    expect(answers.slice(0, 50).filter((a) => a.body.created === true)).toHaveLength(1);
    expect(statuses.slice(50)).toEqual(Array(50).fill(201));
    expect(new Set(answers.slice(0, 50).map((a) => a.body.id)).size).toBe(1);
    expect(await count(db())).toBe(51);
    expect(await count(db(), sql`external_id = 'build-1'`)).toBe(1);
    const repos = await queryRows<{ full_name: string; team: string | null }>(
      db(),
      sql`select r.full_name, t.slug as team from repositories r left join teams t on t.id = r.team_id`,
    );
    expect(repos).toEqual([{ full_name: "acme/pay", team: "payments" }]);
  }, 240_000);
});
