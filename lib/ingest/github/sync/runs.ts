import type { ThroughlineConfig } from "@/lib/config/schema";
import { matchesGlob } from "@/lib/domain/glob";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { upsertCiBuilds, upsertDeployments } from "@/lib/ingest/store";
import { writeState } from "@/lib/ingest/sync-state";
import { fromRestRun, type GhRun, mapRun, type RestRun, runAsDeployment } from "../map";
import { jobRules, placeEnvironment, releaseLine, ruleForRun, rulesFor } from "../rules";
import { commitPage, count, type RepoSync, SOURCE, state } from "./context";

/**
 * GitHub Actions workflow runs (REST: GraphQL does not expose them), newest first, down to a day before the last
 * sync's newest run (or the oldest run still in flight). Unfiltered on purpose: GitHub caps a listing filtered by
 * `created`, branch or status at 1,000 runs. The first page is a conditional request, always the same URL: a 304
 * means nothing changed and costs no rate limit. Runs become CI builds; deployment rules turn some into
 * deployments.
 */
const DAY = 86_400_000;

export async function syncRuns(ctx: RepoSync): Promise<number> {
  const st = await state(ctx, "runs");
  const openFrom = (st.details.openFrom as string | undefined) ?? null;
  const newestSeen = st.cursor;
  const rules = rulesFor(ctx.config, ctx.repo.fullName);
  // Runs are deployments for repositories with workflow rules: those read back to the horizon; the others only as
  // far as CI signals need.
  const ciDays = ctx.config.github?.ciHistoryDays ?? 90;
  const deploysByRun = rules.some((r) => r.workflow !== undefined || r.job !== undefined);
  const horizon = deploysByRun
    ? ctx.since
    : new Date(Math.max(ctx.since.getTime(), ctx.now.getTime() - ciDays * DAY));
  const lower = [
    newestSeen ? new Date(Date.parse(newestSeen) - DAY).toISOString() : horizon.toISOString(),
    openFrom,
  ]
    .filter((x): x is string => !!x)
    .sort()[0] as string;
  // With runs in flight, page 1 may be unchanged while a run further down finished: no shortcut then.
  const etag = openFrom ? null : st.etag;
  const jobsState = jobRules(rules).length ? await state(ctx, "jobs") : null;
  const read = new Set((jobsState?.details.read as number[] | undefined) ?? []);

  let total = 0;
  let newest = newestSeen;
  let oldestOpen: string | null = null;
  let firstEtag: string | null = null;
  for (let page = 1; ; page++) {
    const result = await ctx.client.as("runs").get<{ workflow_runs: RestRun[] }>(
      "/repos/{owner}/{repo}/actions/runs",
      {
        owner: ctx.repo.owner,
        repo: ctx.repo.name,
        per_page: 100,
        page,
        exclude_pull_requests: true,
      },
      page === 1 ? etag : null,
    );
    if (result.status === 304) return 0;
    if (page === 1) firstEtag = result.etag;
    const listed = result.data.workflow_runs.map(fromRestRun);
    const runs = listed.filter((r) => r.createdAt >= lower);
    for (const r of runs) {
      if (!newest || r.createdAt > newest) newest = r.createdAt;
      if (r.status !== "completed" && (!oldestOpen || r.createdAt < oldestOpen)) oldestOpen = r.createdAt;
    }
    const more =
      /rel="next"/.test(result.headers.link ?? "") && runs.length === listed.length && listed.length > 0;
    const deploymentsOfPage = [
      ...runDeployments(ctx.config, ctx.repo, runs),
      ...(await jobDeployments(ctx, runs, rules, read)),
    ];
    count(ctx, "runs", runs.length);
    total += runs.length;
    await commitPage(
      ctx,
      "runs",
      async (tx) => {
        await upsertCiBuilds(tx, ctx.repo.id, runs.map(mapRun));
        await upsertDeployments(tx, deploymentsOfPage);
        // Runs whose jobs were read (the newest 5,000 are plenty: older runs leave the sync window).
        if (jobsState)
          await writeState(tx, SOURCE, ctx.repo.fullName, "jobs", {
            details: { read: [...read].slice(-5_000) },
          });
      },
      more
        ? {}
        : {
            cursor: newest,
            etag: firstEtag,
            details: oldestOpen ? { openFrom: oldestOpen } : {},
          },
    );
    if (!more) break;
  }
  return total;
}

/** Runs that a workflow rule says deploy, as deployments (the poller and the webhooks both use this). */
export function runDeployments(
  config: ThroughlineConfig,
  repo: { fullName: string; defaultBranch: string },
  runs: GhRun[],
): DeploymentRecord[] {
  const rules = rulesFor(config, repo.fullName);
  const out: DeploymentRecord[] = [];
  for (const run of runs) {
    const rule = ruleForRun(rules, run, repo.defaultBranch);
    if (!rule) continue;
    const place = placeEnvironment(config, repo.fullName, rule.environment, rule.service ?? null);
    if (place)
      out.push({
        ...runAsDeployment(repo.fullName, run, place),
        line: releaseLine(config, repo.fullName, run.branch),
      });
  }
  return out;
}

/**
 * Rules that name a job need the run's jobs (one request per run): only for completed runs of a matching workflow
 * and branch, and only once per run (a completed run's jobs do not change; the runs read are kept in sync state).
 */
async function jobDeployments(
  ctx: RepoSync,
  runs: GhRun[],
  rules: ReturnType<typeof rulesFor>,
  read: Set<number>,
): Promise<DeploymentRecord[]> {
  const withJobs = jobRules(rules);
  if (withJobs.length === 0) return [];
  const candidates = runs.filter(
    (r) =>
      r.status === "completed" &&
      !read.has(r.id) &&
      withJobs.some(
        (rule) =>
          (!rule.workflow || matchesGlob(r.workflow, rule.workflow)) &&
          matchesGlob(r.branch ?? "", rule.branch ?? ctx.repo.defaultBranch),
      ),
  );
  const out: DeploymentRecord[] = [];
  for (const run of candidates) {
    const result = await ctx.client
      .as("jobs")
      .get<{ jobs: RestJob[] }>("/repos/{owner}/{repo}/actions/runs/{run_id}/jobs", {
        owner: ctx.repo.owner,
        repo: ctx.repo.name,
        run_id: run.id,
        per_page: 100,
      });
    read.add(run.id);
    if (result.status === 304) continue;
    for (const job of result.data.jobs) {
      const rule = withJobs.find(
        (r) =>
          matchesGlob(job.name, r.job as string) && (!r.workflow || matchesGlob(run.workflow, r.workflow)),
      );
      const place =
        rule && placeEnvironment(ctx.config, ctx.repo.fullName, rule.environment, rule.service ?? null);
      if (!place) continue;
      const asJob: GhRun = {
        ...run,
        conclusion: job.conclusion,
        startedAt: job.started_at,
        updatedAt: job.completed_at ?? run.updatedAt,
      };
      out.push({
        ...runAsDeployment(ctx.repo.fullName, asJob, place),
        externalId: `job:${job.id}`,
        line: releaseLine(ctx.config, ctx.repo.fullName, asJob.branch),
      });
    }
  }
  return out;
}

interface RestJob {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
}
