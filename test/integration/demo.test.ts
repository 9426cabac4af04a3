import { count, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { environments, incidents, orgSettings, repositories, teams } from "@/lib/db/schema";
import { demoState, removeDemo, seedDemo } from "@/lib/demo/seed";
import { getDashboard } from "@/lib/metrics/dashboard";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

const ANCHOR = "2026-11-20";
/** Midday on the anchor day: the default 90-day window then ends on the anchor. */
const NOW = new Date(`${ANCHOR}T12:00:00Z`);
const DAY = 86_400;

describeDb("the demo organisation", ({ db }) => {
  // Seeding the full organisation takes seconds and every test starts from empty tables: one test seeds once and
  // checks everything that needs the whole organisation, then removes it.
  it("seeds a believable organisation, refuses to seed twice, and removes cleanly", async () => {
    const lines: string[] = [];
    // A first start loads this in the server's background (lib/server/boot.ts), showing the progress meanwhile.
    // PGlite runs in this thread: without a pause between steps no request (no timer) ran until the load ended.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const progress: Array<[number, number]> = [];
    const result = await seedDemo(db(), {
      anchor: ANCHOR,
      log: (l) => lines.push(l),
      onProgress: (done, total) => progress.push([done, total]),
    }).finally(() => clearInterval(timer));
    expect(ticks).toBeGreaterThanOrEqual(result.repositories);
    expect(progress).toHaveLength(result.repositories + 1);
    expect(progress[0]).toEqual([0, result.repositories]);
    expect(progress.at(-1)).toEqual([result.repositories, result.repositories]);
    expect(result).toMatchObject({ teams: 6 });
    expect(result.repositories).toBeGreaterThanOrEqual(18);
    expect(result.deployments).toBeGreaterThan(5_000);
    expect(lines.filter((l) => l.includes("acme/"))).toHaveLength(result.repositories);
    expect(await demoState(db())).toBe("loaded");
    const [settings] = await db().select().from(orgSettings);
    expect(settings).toMatchObject({ name: "Acme (demo)", timeZone: "UTC", weekStart: 1 });

    const dash = (slice: Parameters<typeof getDashboard>[1]["slice"]) =>
      getDashboard(db(), { slice, now: NOW });

    for (const team of ["payments", "checkout", "search", "identity", "data-platform", "billing-legacy"]) {
      const d = await dash({ team });
      expect(d.metrics.deploymentFrequency.current.deployments, team).toBeGreaterThan(0);
      // The baselines are a year back: nothing in the window lacks its previous deployment.
      expect(
        d.quality.map((q) => q.code),
        team,
      ).not.toContain("baseline");
    }

    const elite = (await dash({ team: "payments" })).metrics;
    expect(elite.changeLeadTime.current.median).toBeLessThan(DAY);
    expect(elite.changeLeadTime.band).toBe("elite");
    expect(elite.deploymentFrequency.band).toBe("elite");

    const low = await dash({ team: "billing-legacy" });
    expect(["low", "medium"]).toContain(low.metrics.deploymentFrequency.band);
    expect(["low", "medium"]).toContain(low.metrics.changeLeadTime.band);
    expect(low.quality.map((q) => q.code)).toContain("no_incidents");
    expect((await dash({ team: "payments" })).quality.map((q) => q.code)).not.toContain("no_incidents");

    for (const service of ["ingest", "warehouse", "api"]) {
      const d = await dash({ repo: "acme/data-platform", service });
      expect(d.metrics.deploymentFrequency.current.deployments, service).toBeGreaterThan(0);
      expect(d.metrics.changeLeadTime.current.changes, service).toBeGreaterThan(0);
    }

    const org = (await dash({})).metrics.changeFailureRate.current.rate as number;
    expect(org).toBeGreaterThan(0.03);
    expect(org).toBeLessThan(0.35);

    // Two production regions: each deployment counts, each change counts once (at its first region).
    const tier = (await dash({ team: "checkout" })).metrics;
    const eu = (await dash({ team: "checkout", environment: "prod-eu" })).metrics;
    const us = (await dash({ team: "checkout", environment: "prod-us" })).metrics;
    expect(tier.deploymentFrequency.current.deployments).toBe(
      eu.deploymentFrequency.current.deployments + us.deploymentFrequency.current.deployments,
    );
    expect(eu.changeLeadTime.current.changes).toBeGreaterThan(100);
    expect(
      Math.abs(tier.changeLeadTime.current.changes - eu.changeLeadTime.current.changes),
    ).toBeLessThanOrEqual(3);
    const [twice] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from (
            select service_id, commit_id from deployment_changes
            where first_in_tier and environment in ('prod-eu', 'prod-us')
            group by 1, 2 having count(*) > 1) x`,
    );
    expect(twice?.n).toBe(0);

    // Every kind of failure signal made it through derive.
    const reasons = await queryRows<{ reason: string }>(
      db(),
      sql`select distinct unnest(failure_reasons) as reason from deployments`,
    );
    expect(reasons.map((r) => r.reason).sort()).toEqual(["fix_deployment", "incident", "revert", "rollback"]);
    const links = await queryRows<{ method: string | null }>(
      db(),
      sql`select distinct link_method as method from incidents`,
    );
    expect(links.map((l) => l.method)).toEqual(expect.arrayContaining(["explicit", "sha", "window", null]));

    await expect(seedDemo(db(), { anchor: ANCHOR })).rejects.toThrow(/already loaded/);

    expect(await removeDemo(db())).toEqual({ teams: 6, repositories: result.repositories });
    for (const table of [repositories, teams, incidents, environments]) {
      const [row] = await db().select({ n: count() }).from(table);
      expect(row?.n).toBe(0);
    }
    expect(await demoState(db())).toBe("removed");
  }, 1_200_000); // a year of twenty repositories, stored and derived: 287 s seen on the busy 2-core machine

  it("loads only into an empty database, and replace reloads it", async () => {
    await seedDemo(db(), { anchor: ANCHOR, months: 1 });
    const first = await db().select({ n: count() }).from(repositories);
    const again = await seedDemo(db(), { anchor: ANCHOR, months: 1, replace: true });
    expect(await db().select({ n: count() }).from(repositories)).toEqual(first);
    expect(again.repositories).toBe(first[0]?.n);

    await removeDemo(db());
    // Removed, then loaded again from Settings: allowed, the database is empty.
    await seedDemo(db(), { anchor: ANCHOR, months: 1 });
    expect(await demoState(db())).toBe("loaded");
    await removeDemo(db());
    await createTeam(db(), { slug: "platform", name: "Platform", members: [] });
    await expect(seedDemo(db(), { anchor: ANCHOR, months: 1 })).rejects.toThrow(/of your own/);
    expect(await demoState(db())).toBe("removed");
  }, 1_200_000); // three loads of a month of twenty repositories (236 s seen on the busy machine)
});
