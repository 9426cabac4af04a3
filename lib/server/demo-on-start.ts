import { count, eq, ne } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { repositories, teams } from "@/lib/db/schema";
import { seedDemo } from "@/lib/demo/seed";
import { getOrgSettings } from "@/lib/settings/org";
import { demoLoading, setDemoLoading } from "./starting";

/**
 * `npm start` on a fresh machine shows a populated product: an empty embedded database gets the demo
 * organisation — unless the user removed it before, or already has data of their own.
 */

/** "load": an empty database; "reload": a load that was interrupted (demo rows, state still "none"); else nothing. */
export async function demoToLoad(db: Db): Promise<"load" | "reload" | null> {
  const settings = await getOrgSettings(db);
  if (settings.demoState !== "none") return null;
  const rows = async (table: typeof repositories | typeof teams, demo: boolean) => {
    const [row] = await db
      .select({ n: count() })
      .from(table)
      .where(demo ? eq(table.source, "demo") : ne(table.source, "demo"));
    return row?.n ?? 0;
  };
  if ((await rows(repositories, false)) > 0 || (await rows(teams, false)) > 0) return null;
  // A server stopped while it loaded the demo left part of it behind, still marked "none": load it again.
  return (await rows(repositories, true)) + (await rows(teams, true)) > 0 ? "reload" : "load";
}

/** Marks the demo as loading before the server takes its first request (boot starts the load a moment later). */
export function markDemoLoading(): void {
  setDemoLoading({ done: 0, total: 0, startedAt: Date.now() });
}

/**
 * Loads the demo while the server already answers: the proxy answers 503 with "Loading the demo: N of M
 * repositories" (lib/server/starting.ts) until it is in, so no page shows half an organisation. The caller does not
 * wait: the first start's server listens as soon as its database is migrated.
 */
export function loadDemoInBackground(db: Db, mode: "load" | "reload"): Promise<void> {
  const startedAt = demoLoading()?.startedAt ?? Date.now();
  console.log(
    `[throughline] empty embedded database: loading the demo organisation (remove it in Settings)${mode === "reload" ? " again, as the last load was interrupted" : ""}…`,
  );
  return seedDemo(db, {
    replace: mode === "reload",
    onProgress: (done, total) => setDemoLoading({ done, total, startedAt }),
  })
    .then((result) => {
      console.log(
        `[throughline] demo loaded: ${result.teams} teams, ${result.repositories} repositories, ${result.deployments} deployments in ${(result.ms / 1000).toFixed(1)} s`,
      );
    })
    .catch((error: unknown) => {
      // The app then serves what is there; the next start loads the demo again (demoToLoad's "reload").
      console.error(
        `[throughline] loading the demo failed: ${(error as Error).message}. Pages answer without it; the next start tries again.`,
      );
    })
    .finally(() => setDemoLoading(undefined));
}
