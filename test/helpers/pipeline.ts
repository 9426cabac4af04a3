import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { repositories } from "@/lib/db/schema";
import type { ChangeFacts } from "@/lib/pipeline/stages";

export async function getRepositoryId(db: Db, fullName: string): Promise<number> {
  const [row] = await db
    .select({ id: repositories.id })
    .from(repositories)
    .where(eq(repositories.fullName, fullName));
  if (!row) throw new Error(`no repository ${fullName}`);
  return row.id;
}

/** Instants in hours after 2 March 2026 00:00 UTC, for hand-computed pipeline cases. */
export const T0 = Date.UTC(2026, 2, 2);
export const h = (n: number) => T0 + n * 3_600_000;

/** A PR change of the current period with every event at T0 unless overridden. */
export const pipelineChange = (over: Partial<ChangeFacts>): ChangeFacts => ({
  pullRequestId: 1,
  repository: "acme/api",
  number: 1,
  title: "t",
  url: null,
  period: "current",
  bucket: "2026-03-02",
  startedAt: h(0),
  firstCommitAt: h(0),
  readyAt: h(0),
  firstReviewAt: null,
  mergedAt: h(0),
  ciRuns: [],
  deployStartedAt: h(0),
  liveAt: h(0),
  ...over,
});
