import { count } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { repositories } from "@/lib/db/schema";
import { seedDemo } from "@/lib/demo/seed";
import { getOrgSettings } from "@/lib/settings/org";
import { teamCount } from "@/lib/teams";

/**
 * `npm start` on a fresh machine shows a populated product: an empty embedded database gets the demo
 * organisation — unless the user removed it before, or already has data of their own.
 */
export async function loadDemoIfEmpty(db: Db): Promise<void> {
  const settings = await getOrgSettings(db);
  if (settings.demoState !== "none") return;
  const [repos] = await db.select({ n: count() }).from(repositories);
  if ((repos?.n ?? 0) > 0 || (await teamCount(db)) > 0) return;
  console.log(
    "[throughline] empty embedded database: loading the demo organisation (remove it in Settings)…",
  );
  const result = await seedDemo(db, { log: () => {} });
  console.log(
    `[throughline] demo loaded: ${result.teams} teams, ${result.repositories} repositories, ${result.deployments} deployments in ${(result.ms / 1000).toFixed(1)} s`,
  );
}
