import { count, eq, isNull } from "drizzle-orm";
import { expect, it } from "vitest";
import { saveService } from "@/lib/catalog/ownership";
import type { Db } from "@/lib/db";
import { commits, repositories, services } from "@/lib/db/schema";
import {
  upsertCommits,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequests,
  upsertRepositories,
  upsertServices,
} from "@/lib/ingest/store";
import { getDashboard } from "@/lib/metrics/dashboard";
import { deriveRepository } from "@/lib/metrics/derive";
import { period } from "@/lib/metrics/period";
import { demoRepository, fakeData, fromDemo, startFakeGitHub } from "@/test/fakes/github";
import { describeDb, resetDatabase } from "@/test/helpers/db";
import { config, sync } from "@/test/helpers/github";

const ANCHOR = "2026-11-20";
const WINDOW = period("2026-09-01", "2026-11-20");

async function figures(db: Db, service: string | null) {
  const d = await getDashboard(db, {
    slice: { repo: "acme/data-platform", ...(service ? { service } : {}) },
    period: WINDOW,
  });
  const m = d.metrics;
  return {
    deployments: m.deploymentFrequency.current.deployments,
    changes: m.changeLeadTime.current.changes,
    leadMedian: m.changeLeadTime.current.median,
    leadP90: m.changeLeadTime.current.p90,
    failed: m.changeFailureRate.current.numerator,
    rework: m.reworkRate.current.numerator,
    recovered: m.recoveryTime.current.recovered,
  };
}

/**
 * The demo's monorepo (three services mapped by path) two ways: written straight through the store, and served by
 * the fake GitHub and read by the GitHub ingest (commit graph, path histories, PR files, deployments with their
 * service in the payload, incidents). Every DORA figure of every service must come out the same.
 */
describeDb("GitHub ingest reproduces the store's numbers on a monorepo", ({ db }) => {
  const id2 = () => repoId;
  let repoId = 0;
  it("same figures per service and for the whole repository", async () => {
    const demo = demoRepository("acme/data-platform", { anchor: ANCHOR, months: 3 });
    expect(demo.services.map((s) => s.name).sort()).toEqual(["api", "ingest", "warehouse"]);

    // The store path gets what GitHub can carry: whole seconds, and no "this deployment fixes that one" or
    // "restored by" links (GitHub's Deployments API and issues have no such thing; the push API does).
    const seconds = <T extends object>(record: T): T =>
      Object.fromEntries(
        Object.entries(record).map(([k, v]) => [
          k,
          v instanceof Date ? new Date(Math.floor(v.getTime() / 1000) * 1000) : v,
        ]),
      ) as T;
    const ids = await upsertRepositories(db(), [{ ...demo.repository, teamSlug: null }]);
    const id = ids.get("acme/data-platform") as number;
    await upsertServices(db(), demo.services);
    await upsertCommits(db(), id, demo.commits.map(seconds));
    await upsertPullRequests(db(), id, demo.pullRequests.map(seconds));
    await upsertDeployments(
      db(),
      demo.deployments.map((d) => seconds({ ...d, fixes: null })),
    );
    await upsertIncidents(
      db(),
      demo.incidents.map((i) => seconds({ ...i, restoredBy: null })),
    );
    await deriveRepository(db(), id);
    const viaStore = {
      all: await figures(db(), null),
      ...Object.fromEntries(
        await Promise.all(demo.services.map(async (s) => [s.name, await figures(db(), s.name)] as const)),
      ),
    };
    expect(viaStore.all.deployments).toBeGreaterThan(20);

    await resetDatabase(db());
    const fake = await startFakeGitHub({ data: fakeData(fromDemo(demo)) });
    try {
      const serviceYaml = demo.services.map(
        (s) => `{ repository: acme/data-platform, name: ${s.name}, paths: [${s.pathPrefixes.join(", ")}] }`,
      );
      const s = await sync(
        db(),
        fake,
        config(`
teams:
  - { slug: data-platform, name: Data Platform, services: [${serviceYaml.join(", ")}] }
github: { repositories: [acme/data-platform], since: 2026-08-01 }
incidents: { labels: [incident] }
`),
      );
      expect(s.repositories[0]?.ok).toBe(true);
      const [repo] = await db()
        .select()
        .from(repositories)
        .where(eq(repositories.fullName, "acme/data-platform"));
      repoId = repo?.id ?? 0;
      const viaGitHub = {
        all: await figures(db(), null),
        ...Object.fromEntries(
          await Promise.all(
            demo.services.map(async (sv) => [sv.name, await figures(db(), sv.name)] as const),
          ),
        ),
      };
      expect(viaGitHub).toEqual(viaStore);

      // Someone changes a service's prefixes: its commits' paths are unknown until the next sync recomputes them.
      const [svc] = await db().select().from(services).where(eq(services.name, "api"));
      await saveService(
        db(),
        { repositoryId: id2(), name: "api", pathPrefixes: ["services/api/v2/"], teamId: null },
        svc?.id,
      );
      const unknown = async () =>
        (await db().select({ n: count() }).from(commits).where(isNull(commits.changedPaths)))[0]?.n;
      expect(await unknown()).toBeGreaterThan(0);
      fake.reset();
      await sync(db(), fake, config(`github: { repositories: [acme/data-platform], since: 2026-08-01 }`));
      expect(await unknown()).toBe(0);
      expect(fake.requests.filter((r) => r.operationName === "PathHistory").length).toBeGreaterThan(0);
      const after = await figures(db(), null);
      expect(after.deployments).toBe(viaStore.all.deployments); // the repository as a whole is unchanged
    } finally {
      await fake.close();
    }
  });
});
