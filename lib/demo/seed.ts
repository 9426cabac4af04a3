import { count, eq, ne, notExists, sql } from "drizzle-orm";
import { removeDemoCalms, seedDemoCalms } from "@/lib/calms/demo";
import type { Db } from "@/lib/db";
import { deployments, environments, incidents, orgSettings, repositories, teams } from "@/lib/db/schema";
import {
  upsertCiBuilds,
  upsertCommits,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequests,
  upsertRepositories,
  upsertServices,
} from "@/lib/ingest/store";
import { deriveRepository } from "@/lib/metrics/derive";
import { ensureRollups } from "@/lib/metrics/rollups";
import { getOrgSettings } from "@/lib/settings/org";
import { createTeam } from "@/lib/teams";
import {
  type DemoOptions,
  demoRepositories,
  demoRepositoryCount,
  demoTeams,
  resolveDemoOptions,
} from "./generate";

/**
 * Loads the demo organisation through the same path as every real source — the store, then derive — so that what
 * a visitor sees is what Throughline computes, not numbers made up for the screenshot. Every row it writes has
 * source "demo", which is how removeDemo finds them again.
 */

export interface SeedOptions extends DemoOptions {
  log?: (line: string) => void;
  /** Remove a demo organisation already loaded, then load it again. */
  replace?: boolean;
  /** Repositories loaded so far, out of how many: once before the first and after each (the first-start page). */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  teams: number;
  repositories: number;
  commits: number;
  pullRequests: number;
  deployments: number;
  incidents: number;
  ms: number;
}

export const DEMO_ORG_NAME = "Acme (demo)";

/**
 * Lets the event loop run between steps. PGlite executes in this thread and its promises resolve without ever
 * returning to the event loop, so a load in a server's background (lib/server/boot.ts) or beside `npm start`'s
 * starting page held every request until it ended (109 s for one page on a busy machine).
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Creates the demo teams, then writes and derives the repositories one at a time (a scaled organisation streams
 * through without being held in memory). Refuses to load over data of your own, or over a demo already loaded
 * unless `replace` is set. Not one transaction — a benchmark-sized demo would be one enormous transaction — so a
 * load that fails halfway leaves demo rows behind, which removeDemo (or `replace`) clears.
 */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const o = resolveDemoOptions(options);

  const rows = async (table: typeof repositories | typeof teams, demo: boolean) => {
    const [row] = await db
      .select({ n: count() })
      .from(table)
      .where(demo ? eq(table.source, "demo") : ne(table.source, "demo"));
    return row?.n ?? 0;
  };
  const ownRepositories = await rows(repositories, false);
  const ownTeams = await rows(teams, false);
  if (ownRepositories > 0 || ownTeams > 0) {
    throw new Error(
      `The database already holds ${ownRepositories} repositories and ${ownTeams} teams of your own: ` +
        "the demo organisation only loads into an empty database.",
    );
  }
  const leftovers = (await rows(repositories, true)) + (await rows(teams, true));
  if ((await demoState(db)) === "loaded" || leftovers > 0) {
    if (!options.replace)
      throw new Error(
        "The demo organisation is already loaded: remove it first (Settings → Data, or npm run seed:demo -- --remove), or replace it (npm run seed:demo -- --replace).",
      );
    await removeDemo(db);
  }

  const teamList = demoTeams(o);
  const total = demoRepositoryCount(o);
  options.onProgress?.(0, total);
  log(
    `Demo organisation: ${teamList.length} teams, ${total} repositories, ${o.months} months up to ${o.anchor} (seed "${o.seed}")`,
  );
  for (const team of teamList) {
    await createTeam(
      db,
      { slug: team.slug, name: team.name, description: team.description, members: team.members },
      "demo",
    );
  }

  const result: SeedResult = {
    teams: teamList.length,
    repositories: 0,
    commits: 0,
    pullRequests: 0,
    deployments: 0,
    incidents: 0,
    ms: 0,
  };
  for (const repo of demoRepositories(o)) {
    const repoStarted = performance.now();
    const ids = await upsertRepositories(db, [repo.repository]);
    const id = ids.get(repo.repository.fullName) as number;
    await upsertServices(db, repo.services);
    await breathe();
    result.commits += await upsertCommits(db, id, repo.commits);
    await breathe();
    result.pullRequests += await upsertPullRequests(db, id, repo.pullRequests);
    await breathe();
    await upsertCiBuilds(db, id, repo.ciBuilds);
    result.deployments += await upsertDeployments(db, repo.deployments);
    // Incidents name deployments by external id: they go in after the deployments they refer to.
    result.incidents += await upsertIncidents(db, repo.incidents);
    await breathe();
    const derived = await deriveRepository(db, id);
    await breathe();
    result.repositories++;
    options.onProgress?.(result.repositories, total);
    log(
      `[${result.repositories}/${total}] ${repo.repository.fullName}: ${repo.commits.length} commits, ${repo.pullRequests.length} PRs, ` +
        `${repo.deployments.length} deployments, ${repo.incidents.length} incidents; ${derived.failed} failed deployments ` +
        `(${Math.round(performance.now() - repoStarted)} ms, derive ${derived.ms} ms)`,
    );
  }

  await seedDemoCalms(db, { anchor: o.anchor, seed: o.seed });
  await getOrgSettings(db);
  await db
    .update(orgSettings)
    .set({ name: DEMO_ORG_NAME, timeZone: "UTC", weekStart: 1, demoState: "loaded" })
    .where(eq(orgSettings.id, 1));
  // The zone may have changed under rollups maintained in another one (or none were built yet): rebuild then.
  await ensureRollups(db);
  result.ms = Math.round(performance.now() - started);
  log(
    `Loaded in ${(result.ms / 1000).toFixed(1)} s: ${result.deployments} deployments, ${result.commits} commits, ${result.pullRequests} PRs.`,
  );
  return result;
}

/**
 * Deletes every demo row: repositories (their commits, PRs, builds, services and deployments cascade), demo
 * incidents, demo teams, and environments no deployment uses any more. One transaction: all or nothing.
 */
export async function removeDemo(db: Db): Promise<{ teams: number; repositories: number }> {
  return db.transaction(async (tx) => {
    const [repoCount] = await tx
      .select({ n: count() })
      .from(repositories)
      .where(eq(repositories.source, "demo"));
    const [teamCount] = await tx.select({ n: count() }).from(teams).where(eq(teams.source, "demo"));

    await tx.delete(incidents).where(eq(incidents.source, "demo"));
    await removeDemoCalms(tx);
    await tx.delete(repositories).where(eq(repositories.source, "demo"));
    await tx.delete(teams).where(eq(teams.source, "demo"));
    await tx
      .delete(environments)
      .where(
        notExists(
          tx.select({ one: sql`1` }).from(deployments).where(eq(deployments.environment, environments.name)),
        ),
      );

    const settings = await getOrgSettings(tx);
    await tx
      .update(orgSettings)
      .set({ demoState: "removed", ...(settings.name === DEMO_ORG_NAME ? { name: "My organisation" } : {}) })
      .where(eq(orgSettings.id, 1));
    return { teams: teamCount?.n ?? 0, repositories: repoCount?.n ?? 0 };
  });
}

export async function demoState(db: Db): Promise<"none" | "loaded" | "removed"> {
  return (await getOrgSettings(db)).demoState;
}
