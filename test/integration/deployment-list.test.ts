import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { type ListCursor, listDeployments, parseCursor } from "@/lib/deployments";
import { resolveScope } from "@/lib/metrics/scope";
import { loadMarch } from "@/test/fixtures/march";
import { describeDb } from "@/test/helpers/db";

/**
 * The drill-down list pages by keyset: walking it page by page, older then newer, gives exactly the rows the
 * OFFSET paging gave (newest first, ties on the instant broken by id), with no row twice and none missed.
 */
describeDb("deployment list: keyset paging", ({ db }) => {
  it("pages forward and back through every row in the order OFFSET paging used, ties included", async () => {
    await loadMarch(db());
    // Three deployments at one instant, to the microsecond: the id must break the tie.
    await db().execute(
      sql`update deployments set finished_at = '2026-03-05T10:00:00.123456Z', created_at = '2026-03-05T09:00:00Z'
          where id in (select id from deployments order by id limit 3)`,
    );
    const zone = "Europe/Berlin";
    for (const slice of [{}, { team: "payments" }]) {
      const scope = await resolveScope(db(), slice);
      const o = { scope, zone, anyEnvironment: true };
      const all = await listDeployments(db(), { ...o, limit: 1_000 });
      // The bounded count of the drill-down: exact below the bound, "more than" above it.
      const counted = await listDeployments(db(), { ...o, limit: 1, countUpTo: 1_000 });
      expect(counted.matching).toEqual({ count: all.rows.length, capped: false });
      if (all.rows.length > 1) {
        const capped = await listDeployments(db(), { ...o, limit: 1, countUpTo: all.rows.length - 1 });
        expect(capped.matching).toEqual({ count: all.rows.length - 1, capped: true });
      }
      const before = await queryRows<{ id: number }>(
        db(),
        sql`select d.id::int as id from deployments d
            where ${
              scope.serviceIds === null
                ? sql`true`
                : sql`d.service_id in (${sql.join(
                    scope.serviceIds.map((s) => sql`${s}`),
                    sql`, `,
                  )})`
            }
            order by coalesce(d.finished_at, d.created_at) desc, d.id desc`,
      );
      expect(all.rows.map((r) => r.id)).toEqual(before.map((r) => r.id));
      expect(all.rows.length).toBeGreaterThan(4);
      expect([all.older, all.newer]).toEqual([null, null]);

      for (const limit of [1, 2, 3]) {
        const forward: number[][] = [];
        let page = await listDeployments(db(), { ...o, limit });
        expect(page.newer).toBeNull();
        forward.push(page.rows.map((r) => r.id));
        while (page.older) {
          page = await listDeployments(db(), { ...o, limit, after: page.older });
          forward.push(page.rows.map((r) => r.id));
        }
        expect(forward.flat(), `limit ${limit}`).toEqual(before.map((r) => r.id));
        expect(forward.every((p) => p.length > 0)).toBe(true);

        // Back from the last page: the same pages, newest first again.
        const back: number[][] = [page.rows.map((r) => r.id)];
        let cursor: ListCursor | null = page.newer;
        while (cursor) {
          const newer = await listDeployments(db(), { ...o, limit, before: cursor });
          back.unshift(newer.rows.map((r) => r.id));
          cursor = newer.newer;
        }
        expect(back.flat(), `limit ${limit}, back`).toEqual(before.map((r) => r.id));
      }
    }
  });

  it("reads only cursors it wrote", () => {
    expect(parseCursor("2026-03-05T10:00:00.123456Z_42")).toEqual({
      at: "2026-03-05T10:00:00.123456Z",
      id: 42,
    });
    for (const bad of ["", "42", "2026-03-05T10:00:00Z_42", "2026-13-45T10:00:00.000000Z_1", "x_1", null]) {
      expect(parseCursor(bad), String(bad)).toBeNull();
    }
  });

  it("a cursor in a year PostgreSQL refuses is no cursor (it was a 500 on /deployments?after=0000-…)", async () => {
    // Issue 14: Date.parse accepts year 0000, PostgreSQL's timestamptz does not.
    for (const bad of ["0000-01-01T00:00:00.000000Z_1", "9999-12-31T23:59:59.999999Z_1"])
      expect(parseCursor(bad), bad).toBeNull();
    const scope = await resolveScope(db(), {});
    await expect(
      listDeployments(db(), {
        scope,
        zone: "UTC",
        limit: 5,
        after: parseCursor("0000-01-01T00:00:00.000000Z_1"),
      }),
    ).resolves.toMatchObject({ rows: [] });
  });
});
