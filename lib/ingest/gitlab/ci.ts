import type { DeploymentRule, ThroughlineConfig } from "@/lib/config/schema";
import { matchesGlob } from "@/lib/domain/glob";
import { placeEnvironment, releaseLine, rulesFor } from "@/lib/ingest/github/rules";
import type { CiBuildRecord, DeploymentRecord } from "@/lib/ingest/records";
import { mapPipeline, type PipelineFacts, SOURCE } from "./map";

/**
 * A GitLab pipeline and its jobs → CI builds and deployments by rule, decided once for the sync (GraphQL, REST) and
 * the webhooks (Pipeline Hook, Job Hook): the pipeline is a run, each job a build of that run (name, stage, queue
 * and run time), and the deployment rules for teams without environments (README § GitLab) — `job` (a job name),
 * `source` (a pipeline source), or both — turn finished jobs or pipelines on the branch into deployments.
 */

/** A job as the GraphQL `CiJob`, the REST Jobs API and the Job/Pipeline Hooks describe it; status lower-case. */
export interface JobFacts {
  id: number;
  name: string;
  stage: string | null;
  /** created, pending, running, success, failed, canceled, skipped, manual, scheduled, … */
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds it waited for a runner (GitLab's queued_duration: pending → running); null when not said. */
  queuedSeconds: number | null;
  /** Seconds it ran (GitLab's duration), used when no finish time is given. */
  runSeconds: number | null;
  url: string | null;
  /** 1 for a first run, 2 or more for a retry of the same job name in the pipeline. */
  attempt: number;
}

/** Job statuses → the vocabulary of ci_builds (ci-health's outcome()). */
const JOB_CONCLUSIONS: Record<string, string> = {
  success: "success",
  failed: "failure",
  canceled: "cancelled",
  skipped: "skipped",
  // A manual job never played decides nothing: like GitHub's action_required.
  manual: "action_required",
};

const addSeconds = (at: string, s: number) => new Date(Date.parse(at) + s * 1000).toISOString();

export function mapJob(pipeline: Pick<PipelineFacts, "id" | "sha" | "ref" | "source">, j: JobFacts) {
  const conclusion = JOB_CONCLUSIONS[j.status] ?? null;
  const finished =
    j.finishedAt ?? (j.startedAt && j.runSeconds != null ? addSeconds(j.startedAt, j.runSeconds) : null);
  return {
    source: SOURCE,
    externalId: `job:${j.id}`,
    parentExternalId: `pipeline:${pipeline.id}`,
    workflow: j.name,
    stage: j.stage,
    branch: pipeline.ref,
    sha: pipeline.sha,
    event: pipeline.source,
    status: conclusion ? "completed" : j.status === "running" ? "in_progress" : "queued",
    conclusion,
    // A job is created with its pipeline and waits for earlier stages before it is queued: its queue time is
    // GitLab's queued_duration (pending → running), not started − created.
    queuedAt: j.startedAt && j.queuedSeconds != null ? addSeconds(j.startedAt, -j.queuedSeconds) : null,
    startedAt: j.startedAt,
    finishedAt: conclusion ? (finished ?? j.startedAt ?? j.createdAt) : null,
    attempt: j.attempt,
    url: j.url,
  } satisfies CiBuildRecord;
}

/** Retries of a job name in one pipeline: attempts numbered by job id. */
export function numberAttempts<T extends { id: number; name: string }>(
  jobs: readonly T[],
): (T & { attempt: number })[] {
  const seen = new Map<string, number>();
  const byId = [...jobs].sort((a, b) => a.id - b.id);
  const attempt = new Map<number, number>();
  for (const j of byId) {
    const n = (seen.get(j.name) ?? 0) + 1;
    seen.set(j.name, n);
    attempt.set(j.id, n);
  }
  return jobs.map((j) => ({ ...j, attempt: attempt.get(j.id) ?? 1 }));
}

type Ctx = Pick<ThroughlineConfig, "deployments">;
interface Project {
  path: string;
  defaultBranch: string;
}

const FINISHED: Record<string, DeploymentRecord["status"]> = {
  success: "success",
  failed: "failure",
  canceled: "cancelled",
};

/** The GitLab rules for a ref: `job` and/or `source` rules (not GitHub's `workflow` ones), on their branch. */
function gitlabRules(config: Ctx, project: Project, ref: string | null, tag: boolean): DeploymentRule[] {
  if (tag || ref === null) return [];
  return rulesFor(config, project.path).filter(
    (r) =>
      (r.job !== undefined || r.source !== undefined) &&
      r.workflow === undefined &&
      matchesGlob(ref, r.branch ?? project.defaultBranch),
  );
}

function deployment(
  config: Ctx,
  project: Project,
  rule: DeploymentRule,
  x: {
    externalId: string;
    sha: string;
    ref: string;
    status: string;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    url: string | null;
  },
): DeploymentRecord | null {
  const status = FINISHED[x.status];
  if (!status) return null; // running, skipped, manual: not a deployment (yet)
  const place = placeEnvironment(config, project.path, rule.environment, rule.service ?? null);
  if (!place) return null;
  return {
    repository: project.path,
    service: place.service,
    environment: place.environment,
    sha: x.sha,
    ref: x.ref,
    status,
    createdAt: x.createdAt,
    startedAt: x.startedAt ?? x.createdAt,
    finishedAt: x.finishedAt ?? x.startedAt ?? x.createdAt,
    source: SOURCE,
    externalId: x.externalId,
    url: x.url,
    trigger: "ci",
    line: releaseLine(config, project.path, x.ref),
  };
}

/**
 * Deployments a pipeline makes by rule: a `source` rule without `job` makes the finished pipeline one; a `job` rule
 * (with or without `source`) makes each finished job of that name one. Jobs null: not known (a Pipeline Hook
 * without builds); job rules then wait for the jobs.
 */
export function ruleDeployments(
  config: Ctx,
  project: Project,
  p: PipelineFacts & { tag?: boolean },
  jobs: readonly JobFacts[] | null,
  o: { pipelineKnown?: boolean } = {},
): DeploymentRecord[] {
  const rules = gitlabRules(config, project, p.ref, p.tag ?? false);
  const out: DeploymentRecord[] = [];
  // A Job Hook does not say its pipeline's source: a rule naming one waits for the pipeline (hook or sync).
  const ofSource = (r: DeploymentRule) =>
    r.source === undefined || (p.source !== null && matchesGlob(p.source, r.source));
  const pipelineRule =
    o.pipelineKnown === false ? undefined : rules.find((r) => r.job === undefined && ofSource(r));
  if (pipelineRule) {
    const d = deployment(config, project, pipelineRule, {
      externalId: `pipeline:${p.id}`,
      sha: p.sha,
      ref: p.ref as string,
      status: p.status,
      createdAt: p.createdAt,
      startedAt: p.startedAt,
      finishedAt: p.finishedAt,
      url: p.url,
    });
    if (d) out.push(d);
  }
  for (const j of jobs ?? []) {
    const rule = rules.find((r) => r.job !== undefined && matchesGlob(j.name, r.job) && ofSource(r));
    const d =
      rule &&
      deployment(config, project, rule, {
        externalId: `job:${j.id}`,
        sha: p.sha,
        ref: p.ref as string,
        status: j.status,
        createdAt: j.createdAt,
        startedAt: j.startedAt,
        finishedAt: j.finishedAt,
        url: j.url,
      });
    if (d) out.push(d);
  }
  return out;
}

/** Everything one pipeline writes: its run, its jobs (when known) and the deployments its rules make. */
export function pipelineRecords(
  config: Ctx,
  project: Project,
  p: PipelineFacts & { tag?: boolean },
  jobs: readonly JobFacts[] | null,
): { builds: CiBuildRecord[]; deployments: DeploymentRecord[] } {
  return {
    builds: [mapPipeline(p), ...(jobs ?? []).map((j) => mapJob(p, j))],
    deployments: ruleDeployments(config, project, p, jobs),
  };
}
