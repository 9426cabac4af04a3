import { and, eq, inArray } from "drizzle-orm";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { commits } from "@/lib/db/schema";
import type { SourceClient } from "@/lib/ingest/source/client";

/** What a GitLab stream needs about one project and the run. */
export interface ProjectSync {
  db: Db;
  client: SourceClient;
  config: ThroughlineConfig;
  project: {
    /** Our repository id. */
    id: number;
    /** group/subgroup/project */
    path: string;
    defaultBranch: string;
  };
  probe: Probe;
  /** First-sync horizon. */
  since: Date;
}

/** The newest of everything in a project, from one GraphQL request (queries.ts PROBE). */
export interface Probe {
  head: string | null;
  newestMergeRequestAt: string | null;
  newestIssueAt: string | null;
  newestReleaseAt: string | null;
  /** updatedAt of pipelines changed after the pipelines watermark (at most 20). */
  pipelinesChanged: string[];
}

export const iso = (d: Date) => d.toISOString();

/** Instants compared as instants (GitLab writes `…Z` in GraphQL and `…+00:00` or ms in REST). */
export const after = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && (!b || Date.parse(a) > Date.parse(b));

/** Which of these SHAs the database already holds for the project. */
export async function knownShas(ctx: ProjectSync, shas: readonly string[]): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const rows = await ctx.db
    .select({ sha: commits.sha })
    .from(commits)
    .where(and(eq(commits.repositoryId, ctx.project.id), inArray(commits.sha, [...new Set(shas)])));
  return new Set(rows.map((r) => r.sha));
}
