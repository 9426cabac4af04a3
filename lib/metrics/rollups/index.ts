import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";

/**
 * What the end of every per-repository derive (lib/metrics/derive) must bring up to date, in its transaction: the
 * one call site, so that incremental derive can pass the earliest instant it changed. `fromTime` null means the
 * whole repository.
 *
 * Today that is the repository's data version, which cached dashboards key on (lib/metrics/cache.ts): a reader
 * that sees the derive's rows also sees the new version, so a new deployment is on the next view. Maintained
 * org-wide rollups (per service, environment and local day, with exact histograms) are designed to hang here too
 * (docs/adr/0017-read-scale.md) and are not built yet; `fromTime` is for them.
 */
export async function refreshRollups(tx: Db, repositoryId: number, _fromTime: Date | null): Promise<void> {
  await tx.execute(
    sql`update repositories set data_version = nextval('data_version_seq') where id = ${repositoryId}`,
  );
}
