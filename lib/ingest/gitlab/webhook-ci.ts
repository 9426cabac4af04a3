import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Tx } from "@/lib/db";
import { ciBuilds } from "@/lib/db/schema";
import { upsertCiBuilds, upsertDeployments } from "@/lib/ingest/store";
import { mapJob, numberAttempts, pipelineRecords, ruleDeployments } from "./ci";
import { SOURCE } from "./map";
import { Project, Sha, hookTime as time } from "./webhook-changes";

/**
 * Pipeline Hook and Job Hook through the sync's CI mapping (./ci.ts): the pipeline as a run, its jobs as builds
 * (the Pipeline Hook lists them in `builds`), and the deployments the job and source rules make.
 */

interface Ctx {
  config: ThroughlineConfig;
  project: { path: string; defaultBranch: string };
  repoId: number;
  /** A job's page, from the project's web URL the hook carries. */
  jobUrl: (id: number) => string | null;
}

export const Pipeline = z.object({
  object_kind: z.literal("pipeline"),
  project: Project,
  object_attributes: z.object({
    id: z.number().int(),
    ref: z.string().nullish(),
    sha: Sha,
    source: z.string().nullish(),
    status: z.string(),
    created_at: time,
    finished_at: time.nullish(),
    queued_duration: z.number().nullish(),
    url: z.string().nullish(),
    tag: z.boolean().nullish(),
  }),
  /** The pipeline's jobs (GitLab lists them in the hook; absent in some versions: jobs then come by Job Hook). */
  builds: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string().min(1),
        stage: z.string().nullish(),
        status: z.string(),
        created_at: time,
        started_at: time.nullish(),
        finished_at: time.nullish(),
        duration: z.number().nullish(),
        queued_duration: z.number().nullish(),
      }),
    )
    .nullish(),
});
export const Job = z.object({
  object_kind: z.literal("build"),
  project: Project,
  ref: z.string(),
  tag: z.boolean().default(false),
  sha: Sha,
  build_id: z.number().int(),
  build_name: z.string(),
  build_status: z.string(),
  build_created_at: time,
  build_started_at: time.nullish(),
  build_finished_at: time.nullish(),
  build_stage: z.string().nullish(),
  build_duration: z.number().nullish(),
  build_queued_duration: z.number().nullish(),
  retries_count: z.number().int().min(0).nullish(),
  pipeline_id: z.number().int(),
});

export async function onPipelineHook(tx: Tx, ctx: Ctx, x: z.output<typeof Pipeline>): Promise<void> {
  const { config, project, repoId, jobUrl } = ctx;
  const a = x.object_attributes;
  const started =
    a.queued_duration != null ? new Date(Date.parse(a.created_at) + a.queued_duration * 1000) : null;
  const jobs = x.builds
    ? numberAttempts(
        x.builds.map((b) => ({
          id: b.id,
          name: b.name,
          stage: b.stage ?? null,
          status: b.status,
          createdAt: b.created_at,
          startedAt: b.started_at ?? null,
          finishedAt: b.finished_at ?? null,
          queuedSeconds: b.queued_duration ?? null,
          runSeconds: b.duration ?? null,
          url: jobUrl(b.id),
        })),
      )
    : null;
  const r = pipelineRecords(
    config,
    project,
    {
      id: a.id,
      sha: a.sha.toLowerCase(),
      ref: a.ref ?? null,
      source: a.source ?? null,
      status: a.status,
      createdAt: a.created_at,
      startedAt: started?.toISOString() ?? null,
      finishedAt: a.finished_at ?? null,
      url: a.url ?? null,
      tag: a.tag ?? false,
    },
    jobs,
  );
  await upsertCiBuilds(tx, repoId, r.builds);
  if (r.deployments.length) await upsertDeployments(tx, r.deployments);
}

export async function onJobHook(tx: Tx, ctx: Ctx, j: z.output<typeof Job>): Promise<void> {
  const { config, project, repoId, jobUrl } = ctx;
  // The hook does not say its pipeline's source: the pipeline's stored run does (hook or sync).
  const [run] = await tx
    .select({ event: ciBuilds.event })
    .from(ciBuilds)
    .where(
      and(
        eq(ciBuilds.repositoryId, repoId),
        eq(ciBuilds.source, SOURCE),
        eq(ciBuilds.externalId, `pipeline:${j.pipeline_id}`),
      ),
    );
  const pipeline = {
    id: j.pipeline_id,
    sha: j.sha.toLowerCase(),
    ref: j.ref,
    source: run?.event ?? null,
    status: "running",
    createdAt: j.build_created_at,
    startedAt: null,
    finishedAt: null,
    url: null,
    tag: j.tag,
  };
  const job = {
    id: j.build_id,
    name: j.build_name,
    stage: j.build_stage ?? null,
    status: j.build_status,
    createdAt: j.build_created_at,
    startedAt: j.build_started_at ?? null,
    finishedAt: j.build_finished_at ?? null,
    queuedSeconds: j.build_queued_duration ?? null,
    runSeconds: j.build_duration ?? null,
    url: jobUrl(j.build_id),
    attempt: (j.retries_count ?? 0) + 1,
  };
  await upsertCiBuilds(tx, repoId, [mapJob(pipeline, job)]);
  const deps = ruleDeployments(config, project, pipeline, [job], { pipelineKnown: false });
  if (deps.length) await upsertDeployments(tx, deps);
}
