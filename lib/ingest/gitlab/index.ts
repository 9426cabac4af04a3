import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { matchesAny } from "@/lib/domain/glob";
import type { SourceClient } from "@/lib/ingest/source/client";
import { SourceNotFoundError } from "@/lib/ingest/source/errors";
import { nextLink } from "@/lib/ingest/source/paginate";
import { runScopes, runStream, type ScopeRun, type SourceSyncSummary } from "@/lib/ingest/source/stream";
import { upsertRepositories } from "@/lib/ingest/store";
import { readState } from "@/lib/ingest/sync-state";
import { deriveRepositories } from "@/lib/metrics/derive";
import { type GlProject, graphql, PER_PAGE, projectId } from "./api";
import type { Probe, ProjectSync } from "./context";
import { PROBE, type ProbeResult } from "./queries";
import { projectStreams } from "./streams";

/**
 * One GitLab sync: list the configured groups' projects (subgroups included), then each project is a scope of the
 * shared runner (ADR 0011): one GraphQL probe says what changed, and only the streams with news read anything;
 * derive afterwards. A quiet project costs two requests (the probe and the deployments check).
 */

export const PROJECT_LIST_SCOPE = "(project list)";
const SOURCE = "gitlab";
const DAY = 86_400_000;

export interface GitLabSyncOptions {
  config: ThroughlineConfig;
  client: SourceClient;
  /** One project only (its full path); it must be configured. */
  project?: string;
  /** First-sync horizon (YYYY-MM-DD); default gitlab.since, else 365 days. */
  since?: string;
  dryRun?: boolean;
  log: (line: string) => void;
  now?: Date;
}

export async function syncGitLab(db: Db, o: GitLabSyncOptions): Promise<SourceSyncSummary> {
  const gl = o.config.gitlab;
  if (!gl) throw new Error("throughline.config.yaml has no gitlab section (README § GitLab)");
  const now = o.now ?? new Date();
  const since = new Date(
    o.since ?? gl.since ?? new Date(now.getTime() - 365 * DAY).toISOString().slice(0, 10),
  );
  const run = {
    db,
    source: SOURCE,
    label: "GitLab",
    client: o.client,
    dryRun: o.dryRun ?? false,
    log: o.log,
  };

  const paths = new Set(gl.projects);
  const listing = gl.groups.length
    ? await runScopes(run, [PROJECT_LIST_SCOPE], async (s) => {
        for (const group of gl.groups)
          for (const path of await groupProjects(o.client, group)) paths.add(path);
        s.counts.projects = paths.size;
      })
    : null;
  let projects = [...paths].filter((x) => !gl.exclude.some((pattern) => matchesAny(x, [pattern]))).sort();
  if (o.project) {
    if (!projects.includes(o.project))
      throw new Error(`${o.project} is not among the configured GitLab projects`);
    projects = [o.project];
  }
  o.log(
    `GitLab: ${projects.length} project${projects.length === 1 ? "" : "s"}${run.dryRun ? " (dry run: nothing is written)" : ""}`,
  );
  if (listing?.stopped) {
    const stopped = listing.stopped;
    const skipped = projects.map((scope) => ({
      scope,
      ok: false,
      error: `not synced: ${stopped}`,
      counts: {},
      requests: 0,
      ms: 0,
    }));
    return { ...listing, scopes: [...listing.scopes, ...skipped] };
  }
  const synced = await runScopes(run, projects, (s) => syncProject(s, o, since));
  if (!run.dryRun) await deriveRepositories(db);
  if (!listing) return synced;
  return {
    ...synced,
    scopes: [...listing.scopes, ...synced.scopes],
    ms: listing.ms + synced.ms,
    stopped: listing.stopped ?? synced.stopped,
  };
}

/** Every unarchived project of a group and its subgroups (100 a request). */
async function groupProjects(client: SourceClient, group: string): Promise<string[]> {
  const out: string[] = [];
  let url: string | null = null;
  do {
    const r: { data: GlProject[]; headers: Headers } = await client
      .as("projects")
      .get<GlProject[]>(url ?? `groups/${projectId(group)}/projects`, {
        query: url
          ? {}
          : {
              include_subgroups: true,
              archived: false,
              simple: true,
              order_by: "id",
              sort: "asc",
              per_page: PER_PAGE,
            },
      });
    for (const x of r.data ?? []) out.push(x.path_with_namespace);
    url = nextLink(r.headers.get("link"));
  } while (url);
  return out;
}

async function syncProject(s: ScopeRun, o: GitLabSyncOptions, since: Date): Promise<void> {
  const pipelines = await readState(s.db, SOURCE, s.scope, "pipelines");
  const data = await graphql<ProbeResult>(o.client.as("probe"), PROBE, {
    path: s.scope,
    pipelinesAfter: pipelines.cursor ?? since.toISOString(),
  });
  const found = data.project;
  if (!found)
    throw new SourceNotFoundError(`GitLab project ${s.scope} not found or not visible to this token (404)`);
  const defaultBranch = found.repository?.rootRef ?? "main";
  let id = -1;
  if (!s.dryRun) {
    const ids = await upsertRepositories(s.db, [
      {
        fullName: s.scope,
        provider: "gitlab",
        url: found.webUrl,
        defaultBranch,
        archived: found.archived,
        source: "gitlab",
      },
    ]);
    id = ids.get(s.scope) as number;
  }
  const probe: Probe = {
    head: found.repository?.tree?.lastCommit?.sha.toLowerCase() ?? null,
    newestMergeRequestAt: found.mergeRequests.nodes[0]?.updatedAt ?? null,
    newestIssueAt: found.issues.nodes[0]?.updatedAt ?? null,
    newestReleaseAt: found.releases.nodes[0]?.releasedAt ?? null,
    pipelinesChanged: found.pipelines.nodes.map((n) => n.updatedAt),
  };
  const ctx: ProjectSync = {
    db: s.db,
    client: o.client,
    config: o.config,
    project: { id, path: s.scope, defaultBranch },
    probe,
    since,
  };
  for (const stream of projectStreams(ctx)) await runStream(s, stream, ctx);
}
