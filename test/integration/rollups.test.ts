import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { seedDemo } from "@/lib/demo/seed";
import { upsertRepositories } from "@/lib/ingest/store";
import { getDashboard } from "@/lib/metrics/dashboard";
import { deriveRepository } from "@/lib/metrics/derive";
import { getOverview } from "@/lib/metrics/overview";
import { lastDays, type Period } from "@/lib/metrics/period";
import { rebuildRollups, rollupsReadable, setRollupReads } from "@/lib/metrics/rollups";
import { setOrgSettings } from "@/lib/settings/org";
import { listTeams } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";
import { applyEvent, type Event, REPO, type Scenario, scenarioArb } from "@/test/helpers/derive-scenario";

/**
 * Org-wide rollups (lib/metrics/rollups, docs/adr/0017-read-scale.md § Rollups) give exactly the figures of the
 * rows: the same counts and the same percentiles (the rollups hold every sample), for every slice, period,
 * granularity and zone; and the rows a derive maintains incrementally are the rows a rebuild writes.
 */

const RUNS = Number(process.env.FC_RUNS ?? 6);

/** The maintained rollup rows, comparable: arrays as sorted multisets of (value, flags). */
async function rollupRows(db: Db) {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select service_id, environment, grain, to_char(day, 'YYYY-MM-DD') as day, repository_id, deployments, failed,
               rework, recovered, unrecovered,
               array(select x from unnest(recovery_seconds) x order by x)::text as recovery,
               array(select row(s, e, t)::text from unnest(lead_seconds, lead_first_in_environment, lead_first_in_tier) v(s, e, t)
                     order by 1)::text as lead
        from metric_rollups order by service_id, environment, grain, day`,
  );
  return rows.map((r) => ({ ...r }));
}

/** A figure computed both ways: from the rows (rollup reads off), then from the rollups. */
async function both<T>(compute: () => Promise<T>): Promise<{ exact: T; rolled: T }> {
  setRollupReads(false);
  const exact = await compute();
  setRollupReads(true);
  const rolled = await compute();
  return { exact, rolled };
}

describeDb("rollups", ({ db }) => {
  beforeAll(() => setRollupReads(true));
  afterAll(() => setRollupReads(false));

  it("equal the exact figures on the demo organisation, in every zone, and follow a zone change", async () => {
    // Built empty, then maintained by every derive of the seed (the demo keeps the zone UTC).
    await rebuildRollups(db());
    await seedDemo(db(), { anchor: "2026-11-20", months: 3 });
    expect(await rollupsReadable(db(), "UTC")).toBe(true);
    const maintained = await rollupRows(db());
    expect(maintained.length).toBeGreaterThan(0);
    await rebuildRollups(db());
    expect(await rollupRows(db())).toEqual(maintained);

    const now = new Date("2026-11-20T18:00:00Z");
    const teams = await listTeams(db());
    const check = async (zone: string) => {
      // Five years reads by month: whole months from month rows, the edges from day rows.
      for (const days of [90, 365, 1826]) {
        const period = lastDays(days, zone, now);
        const o = await both(() => getOverview(db(), { period }));
        expect(o.rolled).toEqual(o.exact);
        expect(o.exact.org.metrics.deploymentFrequency.current.deployments).toBeGreaterThan(0);
      }
      const period = lastDays(30, zone, now);
      const env = await both(() => getOverview(db(), { period, environment: "staging" }));
      expect(env.rolled).toEqual(env.exact);
      for (const team of teams.slice(0, 2)) {
        for (const granularity of ["day", "week", "month"] as const) {
          const d = await both(() => getDashboard(db(), { slice: { team: team.slug }, period, granularity }));
          expect(d.rolled).toEqual(d.exact);
        }
        const year = lastDays(365, zone, now);
        const byMonth = await both(() =>
          getDashboard(db(), { slice: { team: team.slug }, period: year, granularity: "month" }),
        );
        expect(byMonth.rolled).toEqual(byMonth.exact);
      }
    };
    await check("UTC");
    await setOrgSettings(db(), { timeZone: "America/Los_Angeles" });
    await check("America/Los_Angeles");

    // A new zone: the rollups are rebuilt in it (the settings write does it), and still equal the rows.
    await setOrgSettings(db(), { timeZone: "Asia/Kolkata", weekStart: 7 });
    expect(await rollupsReadable(db(), "Asia/Kolkata")).toBe(true);
    await check("Asia/Kolkata");

    // Until a rebuild in the new zone commits, nothing reads them.
    await db().execute(sql`update rollup_state set time_zone = 'UTC'`);
    expect(await rollupsReadable(db(), "Asia/Kolkata")).toBe(false);
  }, 600_000); // generous: a demo seed on a busy 2-core machine (its speed is bench:metrics's business)

  it("maintained by incremental derives equal a rebuild, and the figures equal the rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb,
        fc.constantFrom("UTC", "Pacific/Auckland", "America/New_York"),
        async (s: Scenario, zone: string) => {
          await db().execute(sql`delete from corrections`);
          await db().execute(sql`delete from incidents`);
          await db().execute(sql`delete from repositories`);
          await setOrgSettings(db(), { timeZone: zone });
          await rebuildRollups(db());
          const ids = await upsertRepositories(db(), [{ fullName: REPO, source: "api" }]);
          const repositoryId = ids.get(REPO) as number;
          await deriveRepository(db(), repositoryId);
          const pending = [...s.events];
          for (let i = 0; pending.length > 0 && i < 400; i++) {
            const e = pending.shift() as Event;
            if (!(await applyEvent(db(), repositoryId, e))) {
              pending.push(e);
              continue;
            }
            if (s.deriveAfter[i % s.deriveAfter.length]) await deriveRepository(db(), repositoryId);
          }
          await deriveRepository(db(), repositoryId);
          const maintained = await rollupRows(db());
          await rebuildRollups(db());
          expect(maintained).toEqual(await rollupRows(db()));

          // The scenario's days (March 2026): pooled production, and each environment it deployed to (staging too).
          const period: Period = { from: "2026-03-02", to: "2026-03-05", days: 4 };
          const known = await queryRows<{ name: string }>(
            db(),
            sql`select name from environments order by name`,
          );
          for (const environment of [null, ...known.map((e) => e.name)]) {
            for (const granularity of ["day", "week"] as const) {
              const d = await both(() => getDashboard(db(), { slice: { environment }, period, granularity }));
              expect(d.rolled).toEqual(d.exact);
            }
          }
          const o = await both(() => getOverview(db(), { period }));
          expect(o.rolled).toEqual(o.exact);
          // March by month: its month row (and February's, the previous period); day rows for January's end.
          const march: Period = { from: "2026-03-01", to: "2026-03-31", days: 31 };
          const m = await both(() => getDashboard(db(), { slice: {}, period: march, granularity: "month" }));
          expect(m.rolled).toEqual(m.exact);
        },
      ),
      {
        numRuns: RUNS,
        endOnFailure: true,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      },
    );
  }, 600_000); // generous: FC_RUNS histories on a busy 2-core machine
});
