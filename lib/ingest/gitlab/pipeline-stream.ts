import type { Tx } from "@/lib/db";
import type { CiBuildRecord, DeploymentRecord } from "@/lib/ingest/records";
import { nextLink } from "@/lib/ingest/source/paginate";
import type { Stream } from "@/lib/ingest/source/stream";
import { upsertCiBuilds, upsertDeployments } from "@/lib/ingest/store";
import { type GlJob, graphql, PER_PAGE, projectId } from "./api";
import { type JobFacts, numberAttempts, pipelineRecords } from "./ci";
import { after, iso, type ProjectSync } from "./context";
import { gidNumber, type PipelineFacts } from "./map";
import { type GqlJob, type GqlPipeline, PIPELINES, type PipelinesResult } from "./queries";

/**
 * Pipelines changed since the watermark, each as a CI run with its jobs as builds (name, stage, queue and run
 * time) and the deployments the job and source rules make. GraphQL carries up to 50 jobs of each pipeline in the
 * pipelines page itself; only a pipeline with more asks REST for its jobs (`GET /projects/:id/pipelines/:pid/jobs`,
 * retries included, 100 a page). A pipeline changes whenever one of its jobs does, so re-reading the changed
 * pipelines keeps every job current. GitLab lists pipelines newest first, so the watermark moves only when a walk
 * ends; the walk's position is committed with each page.
 */

const fromGql = (j: GqlJob): Omit<JobFacts, "attempt"> => ({
  id: gidNumber(j.id),
  name: j.name,
  stage: j.stage?.name ?? null,
  status: j.status.toLowerCase(),
  createdAt: j.createdAt,
  startedAt: j.startedAt,
  finishedAt: j.finishedAt,
  queuedSeconds: j.queuedDuration,
  runSeconds: j.duration,
  url: null,
});

export const fromRestJob = (j: GlJob): Omit<JobFacts, "attempt"> => ({
  id: j.id,
  name: j.name,
  stage: j.stage ?? null,
  status: j.status,
  createdAt: j.created_at,
  startedAt: j.started_at,
  finishedAt: j.finished_at,
  queuedSeconds: j.queued_duration ?? null,
  runSeconds: j.duration ?? null,
  url: j.web_url,
});

/** Every job of a pipeline, retries included, by REST (a pipeline with more jobs than a GraphQL page holds). */
async function restJobs(ctx: ProjectSync, pipelineId: number): Promise<Omit<JobFacts, "attempt">[]> {
  const out: Omit<JobFacts, "attempt">[] = [];
  let url: string | null = null;
  do {
    const r: { data: GlJob[]; headers: Headers } = await ctx.client
      .as("pipeline-jobs")
      .get<GlJob[]>(url ?? `projects/${projectId(ctx.project.path)}/pipelines/${pipelineId}/jobs`, {
        query: url ? {} : { include_retried: true, per_page: PER_PAGE },
      });
    out.push(...(r.data ?? []).map(fromRestJob));
    url = nextLink(r.headers.get("link"));
  } while (url);
  return out;
}

function facts(ctx: ProjectSync, n: GqlPipeline): PipelineFacts {
  return {
    id: gidNumber(n.id),
    sha: n.sha.toLowerCase(),
    ref: n.ref,
    source: n.source?.toLowerCase() ?? null,
    status: n.status.toLowerCase(),
    createdAt: n.createdAt,
    startedAt: n.startedAt,
    finishedAt: n.finishedAt,
    url: n.path ? new URL(n.path, ctx.client.url("")).toString() : null,
  };
}

export const pipelinesStream: Stream<ProjectSync> = {
  resource: "pipelines",
  async *pages(ctx, state) {
    const floor = (state.details.floor as string | undefined) ?? state.cursor ?? iso(ctx.since);
    let cursor = (state.details.after as string | undefined) ?? null;
    let top = (state.details.top as string | undefined) ?? state.cursor;
    if (!cursor && !ctx.probe.pipelinesChanged.some((t) => after(t, floor))) return;
    const base = new URL(ctx.client.url("")).origin;
    for (;;) {
      const data = await graphql<PipelinesResult>(ctx.client.as("pipelines"), PIPELINES, {
        path: ctx.project.path,
        updatedAfter: floor,
        after: cursor,
      });
      const conn = data.project?.pipelines;
      if (!conn) return;
      for (const n of conn.nodes) if (after(n.updatedAt, top)) top = n.updatedAt;
      const builds: CiBuildRecord[] = [];
      const deployments: DeploymentRecord[] = [];
      for (const n of conn.nodes) {
        const p = facts(ctx, n);
        const listed = n.jobs?.pageInfo.hasNextPage
          ? await restJobs(ctx, p.id)
          : (n.jobs?.nodes ?? []).map((j) => ({
              ...fromGql(j),
              url: j.webPath ? new URL(j.webPath, base).toString() : null,
            }));
        const r = pipelineRecords(ctx.config, ctx.project, p, numberAttempts(listed));
        builds.push(...r.builds);
        deployments.push(...r.deployments);
      }
      const done = !conn.pageInfo.hasNextPage;
      cursor = conn.pageInfo.endCursor;
      yield {
        items: conn.nodes.length,
        write: async (tx: Tx) => {
          await upsertCiBuilds(tx, ctx.project.id, builds);
          await upsertDeployments(tx, deployments);
        },
        state: done ? { cursor: top, details: {} } : { details: { after: cursor, floor, top } },
      };
      if (done) return;
    }
  },
};
