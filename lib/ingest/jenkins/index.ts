import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import type { SourceClient } from "@/lib/ingest/source/client";
import { RepositoryNames } from "@/lib/ingest/source/repositories";
import { Skipped } from "@/lib/ingest/source/skipped";
import { runScopes, runStream, type SourceSyncSummary } from "@/lib/ingest/source/stream";
import { deriveRepositories } from "@/lib/metrics/derive";
import { buildsStream } from "./builds";
import { type ListedJob, listJobs } from "./jobs";

/**
 * One Jenkins sync: list the jobs (one request for four levels of folders), then each job is a scope of the shared
 * runner (ADR 0011) reading its new builds; derive afterwards. A quiet Jenkins costs the one listing request.
 */

export const JOB_LIST_SCOPE = "(job list)";
const DAY = 86_400_000;

export interface JenkinsSyncOptions {
  config: ThroughlineConfig;
  client: SourceClient;
  /** One job only (its full name). */
  job?: string;
  /** First-sync horizon (YYYY-MM-DD); default jenkins.since, else 90 days. */
  since?: string;
  dryRun?: boolean;
  log: (line: string) => void;
  now?: Date;
}

export async function syncJenkins(db: Db, o: JenkinsSyncOptions): Promise<SourceSyncSummary> {
  const jenkins = o.config.jenkins;
  if (!jenkins) throw new Error("throughline.config.yaml has no jenkins section (README § Jenkins)");
  const now = o.now ?? new Date();
  const since = new Date(
    o.since ?? jenkins.since ?? new Date(now.getTime() - 90 * DAY).toISOString().slice(0, 10),
  );
  const run = {
    db,
    source: "jenkins",
    label: "Jenkins",
    client: o.client,
    dryRun: o.dryRun ?? false,
    log: o.log,
  };

  let jobs: ListedJob[] = [];
  const listing = await runScopes(run, [JOB_LIST_SCOPE], async (s) => {
    jobs = await listJobs(o.client, jenkins);
    s.counts.jobs = jobs.length;
  });
  if (o.job) {
    const only = jobs.filter((j) => j.name === o.job);
    if (listing.scopes[0]?.ok && only.length === 0)
      throw new Error(`${o.job} is not among the Jenkins jobs this config reads`);
    jobs = only;
  }
  const names = await RepositoryNames.load(db);
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const builds = await runScopes(
    run,
    jobs.map((j) => j.name),
    async (s) => {
      const skipped = new Skipped();
      await runStream(s, buildsStream, {
        client: o.client,
        config: o.config,
        job: byName.get(s.scope) as ListedJob,
        since,
        names,
        skipped: skipped.add,
      });
      skipped.report(s.scope, o.log);
    },
  );
  if (!run.dryRun) await deriveRepositories(db);
  return {
    ...builds,
    scopes: [...listing.scopes, ...builds.scopes],
    ms: listing.ms + builds.ms,
    stopped: listing.stopped ?? builds.stopped,
  };
}
