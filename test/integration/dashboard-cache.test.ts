import { afterAll, beforeAll, expect, it } from "vitest";
import { upsertDeployments } from "@/lib/ingest/store";
import { dashboardCacheSize, setDashboardCache } from "@/lib/metrics/cache";
import { getDashboard } from "@/lib/metrics/dashboard";
import { deriveRepositories } from "@/lib/metrics/derive";
import { getOverview } from "@/lib/metrics/overview";
import { setOrgSettings } from "@/lib/settings/org";
import { loadMarch, MARCH } from "@/test/fixtures/march";
import { sha } from "@/test/fixtures/sha";
import { describeDb } from "@/test/helpers/db";

/**
 * Cached dashboards (lib/metrics/cache.ts): the same figures as computing them, one computation for many viewers,
 * and a new deployment on the next view once derive has run (the data version moved).
 */
describeDb("dashboard cache", ({ db }) => {
  beforeAll(() => setDashboardCache(true));
  afterAll(() => setDashboardCache(false));

  it("serves repeated and concurrent views from one computation, and moves with derive and settings", async () => {
    await loadMarch(db());
    const input = { slice: { team: "payments" }, period: MARCH };
    setDashboardCache(false);
    const uncached = await getDashboard(db(), input);
    setDashboardCache(true);

    const first = await getDashboard(db(), input);
    expect(first).toEqual(uncached);
    // Fifty viewers at once: one computation, the same object for all of them.
    const many = await Promise.all(Array.from({ length: 50 }, () => getDashboard(db(), input)));
    expect(many.every((d) => d === first)).toBe(true);
    expect(dashboardCacheSize()).toBe(1);
    expect(first.metrics.deploymentFrequency.current.deployments).toBe(6);

    // A deployment pushed and derived: the next view counts it.
    await upsertDeployments(db(), [
      {
        repository: "acme/pay",
        environment: "production",
        sha: sha("p8"),
        status: "success",
        createdAt: "2026-03-31T23:00:00Z",
        startedAt: "2026-03-31T23:00:00Z",
        finishedAt: "2026-03-31T23:00:00Z",
        source: "api",
        externalId: "late-redeploy-check",
        trigger: "ci",
      },
    ]);
    const stale = await getDashboard(db(), input);
    expect(stale).toBe(first); // not derived yet: nothing a reader could see has changed
    await deriveRepositories(db());
    const after = await getDashboard(db(), input);
    expect(after).not.toBe(first);
    setDashboardCache(false);
    expect(after).toEqual(await getDashboard(db(), input));
    setDashboardCache(true);

    // The org overview is cached the same way; a settings change (time zone) is a new version.
    const o1 = await getOverview(db(), { period: MARCH });
    expect(await getOverview(db(), { period: MARCH })).toBe(o1);
    await setOrgSettings(db(), { timeZone: "UTC" });
    const o2 = await getOverview(db(), { period: MARCH });
    expect(o2).not.toBe(o1);
    expect(o2.timeZone).toBe("UTC");
  });
});
