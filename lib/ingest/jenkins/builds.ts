import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Tx } from "@/lib/db";
import type { CiBuildRecord, DeploymentRecord } from "@/lib/ingest/records";
import type { SourceClient } from "@/lib/ingest/source/client";
import { ensureRepositories, type RepositoryNames } from "@/lib/ingest/source/repositories";
import type { Stream } from "@/lib/ingest/source/stream";
import { upsertCiBuilds, upsertDeployments } from "@/lib/ingest/store";
import { BUILDS_PER_PAGE, buildsTree, type JenkinsBuild, jobPath } from "./api";
import type { ListedJob } from "./jobs";
import { buildFact, type Classified, classify } from "./map";

/**
 * A job's builds, newest first in pages of 100, down to the last build the previous sync read (its state's
 * cursor) or, on a first sync, to the horizon. Builds still running are remembered and read again until they end.
 * A job whose last build number has not moved and has nothing running costs no request at all: the job list
 * already said so. A walk in progress keeps its offset in the state, so a killed sync resumes mid-job (builds that
 * arrived meanwhile only shift the offset: read twice, never missed).
 */

export interface JobSync {
  client: SourceClient;
  config: ThroughlineConfig;
  job: ListedJob;
  /** First sync: builds scheduled before this are not read. */
  since: Date;
  names: RepositoryNames;
  skipped: (reason: string) => void;
}

interface Walk {
  offset: number;
  /** Builds at or below this number were read before (minus the open ones). */
  stop: number;
  top: number;
  open: number[];
}

export const buildsStream: Stream<JobSync> = {
  resource: "builds",
  async *pages(ctx, state) {
    const cursor = state.cursor === null ? null : Number(state.cursor);
    const open = (state.details.open as number[] | undefined) ?? [];
    const resumed = state.details.walk as Walk | undefined;
    if (!resumed) {
      const last = ctx.job.lastBuild;
      if (last === null && cursor === null) return; // never built
      if (cursor !== null && open.length === 0 && (last ?? 0) <= cursor) return; // nothing new, nothing running
    }
    const walk: Walk = resumed ?? {
      offset: 0,
      stop: cursor === null ? 0 : Math.min(cursor, ...open.map((n) => n - 1)),
      top: cursor ?? 0,
      open: [],
    };
    for (;;) {
      const r = await ctx.client
        .as("builds")
        .get<{ allBuilds?: JenkinsBuild[] }>(`${jobPath(ctx.job.name)}/api/json`, {
          query: { tree: buildsTree(walk.offset, walk.offset + BUILDS_PER_PAGE) },
        });
      const listed = r.data.allBuilds ?? [];
      const fresh = listed.filter(
        (b) => b.number > walk.stop && (cursor !== null || b.timestamp >= ctx.since.getTime()),
      );
      for (const b of fresh) {
        walk.top = Math.max(walk.top, b.number);
        if (b.building) walk.open.push(b.number);
      }
      walk.offset += listed.length;
      const end = listed.length < BUILDS_PER_PAGE || fresh.length < listed.length;
      const classified = fresh.map((b) =>
        classify(ctx.config, buildFact(ctx.job.name, b), (n) => ctx.names.resolve(n)),
      );
      for (const c of classified) if (c.kind === "skipped") ctx.skipped(c.reason);
      yield {
        items: fresh.length,
        write: (tx) => writeBuilds(tx, classified),
        state: end
          ? { cursor: String(walk.top), details: { open: [...new Set(walk.open)].sort((a, b) => a - b) } }
          : { details: { walk } },
      };
      if (end) return;
    }
  },
};

/** Writes classified builds (the poller's pages and the webhook's deliveries). */
export async function writeBuilds(tx: Tx, classified: readonly Classified[]): Promise<void> {
  const builds = new Map<string, CiBuildRecord[]>();
  const deployments: DeploymentRecord[] = [];
  for (const c of classified) {
    if (c.kind === "build") builds.set(c.repository, [...(builds.get(c.repository) ?? []), c.record]);
    else if (c.kind === "deployment") deployments.push(c.record);
  }
  const ids = await ensureRepositories(tx, "jenkins", [
    ...builds.keys(),
    ...deployments.map((d) => d.repository),
  ]);
  for (const [repository, records] of builds)
    await upsertCiBuilds(tx, ids.get(repository) as number, records);
  await upsertDeployments(tx, deployments);
}
