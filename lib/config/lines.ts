import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { updateRows } from "@/lib/db/bulk";
import { deployments, repositories } from "@/lib/db/schema";
import { releaseLine } from "@/lib/ingest/github/rules";
import { readState, writeState } from "@/lib/ingest/sync-state";
import { markForDerive } from "@/lib/metrics/derive/marks";
import type { ThroughlineConfig } from "./schema";

/**
 * The config's line rules name the release line of every GitHub deployment when it is read. A sync reads only
 * what is new, so when the rules change, the deployments already stored are named again here (once per change of
 * the rules) and their repositories derive again.
 */
const SOURCES = ["github", "webhook"] as const;

export async function relabelLines(db: Db, config: ThroughlineConfig): Promise<number> {
  const fingerprint = JSON.stringify(config.deployments.lines);
  const state = await readState(db, "config", "*", "lines");
  if (state.details.fingerprint === fingerprint) return 0;
  const rows = await db
    .select({
      id: deployments.id,
      repositoryId: deployments.repositoryId,
      finishedAt: deployments.finishedAt,
      repository: repositories.fullName,
      ref: deployments.ref,
      line: deployments.line,
    })
    .from(deployments)
    .innerJoin(repositories, eq(repositories.id, deployments.repositoryId))
    .where(inArray(deployments.source, [...SOURCES]));
  const changed = rows
    .map((r) => ({ ...r, next: releaseLine(config, r.repository, r.ref) }))
    .filter((r) => r.next !== r.line);
  await db.transaction(async (tx) => {
    await updateRows(
      tx,
      deployments,
      "id",
      changed.map((r) => ({ id: r.id, line: r.next })),
    );
    // A deployment's line changes its chain from its own time on (ADR 0018).
    for (const r of changed) await markForDerive(tx, [r.repositoryId], { from: r.finishedAt });
    await writeState(tx, "config", "*", "lines", { details: { fingerprint }, status: "ok" });
  });
  return changed.length;
}
