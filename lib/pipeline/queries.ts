import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { addDays, type Period } from "@/lib/metrics/period";
import type { MetricQuery } from "@/lib/metrics/queries";
import { bucketSql, inList, localMidnight, withinPeriod } from "@/lib/metrics/sql";
import { type BuildRow, outcome } from "./ci-health";
import type { ChangeFacts, CiRun } from "./stages";

/**
 * The rows the pipeline view reads, for the previous and the current period in one pass each. Instants come back
 * as epoch milliseconds (float8): drivers disagree on how they parse timestamps from raw SQL.
 */

export type PipelineQuery = Omit<MetricQuery, "byTeam" | "series">;

const ms = (col: SQL) => sql`(extract(epoch from ${col}) * 1000)::float8`;
const range = (q: PipelineQuery): Period => ({
  from: q.previous.from,
  to: q.period.to,
  days: q.previous.days + q.period.days,
});

/** The PR changes at their first delivery to the scope's environments (as the lead-time breakdown counts them). */
function changeFrame(q: PipelineQuery): SQL {
  const first = sql.raw(q.scope.tierMode ? "c.first_in_tier" : "c.first_in_environment");
  const services = q.scope.serviceIds === null ? sql`true` : inList(sql`c.service_id`, q.scope.serviceIds);
  return sql`deployment_changes c
    join pull_requests p on p.id = c.pull_request_id
    join repositories r on r.id = p.repository_id
    join deployments d on d.id = c.deployment_id
    where c.pull_request_id is not null and not p.is_bot and not c.is_excluded and ${first}
      and ${services} and ${inList(sql`c.environment`, q.scope.environments)}
      and ${withinPeriod(sql`c.deployed_at`, range(q), q.zone)}`;
}

type ChangeRow = {
  pr_id: number;
  repository_id: number;
  repository: string;
  number: number;
  title: string;
  url: string | null;
  merge_sha: string | null;
  period: "current" | "previous";
  bucket: string;
  started_ms: number;
  first_commit_ms: number | null;
  ready_ms: number;
  first_review_ms: number | null;
  merged_ms: number | null;
  deploy_started_ms: number;
  /** The merge commit's first deployment to any environment started (a staging deploy job is no CI). */
  sha_deployed_ms: number | null;
  live_ms: number;
};

type RunRow = {
  repository_id: number;
  sha: string;
  status: string;
  conclusion: string | null;
  queued_ms: number | null;
  started_ms: number;
  finished_ms: number;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Every PR change of both periods with the CI runs of its merge commit on the default branch: runs that passed or
 * failed (not cancelled, skipped or still running) and started before the change's deployment started and before
 * the merge commit's first deployment to any environment (a deploy job, to staging or production, is no CI).
 */
export async function loadChanges(db: Db, q: PipelineQuery): Promise<ChangeFacts[]> {
  const frame = changeFrame(q);
  const [rows, runs] = await Promise.all([
    queryRows<ChangeRow>(
      db,
      sql`select p.id::int as pr_id, p.repository_id::int as repository_id, r.full_name as repository, p.number::int as number,
                 p.title, p.url, p.merge_sha,
                 case when c.deployed_at >= ${localMidnight(q.period.from, q.zone)} then 'current' else 'previous' end as period,
                 ${bucketSql(sql`c.deployed_at`, q.granularity, q.zone, q.weekStart)} as bucket,
                 ${ms(sql`least(p.first_commit_at, c.started_at, p.merged_at)`)} as started_ms,
                 ${ms(sql`p.first_commit_at`)} as first_commit_ms,
                 ${ms(sql`coalesce(p.ready_at, p.created_at)`)} as ready_ms,
                 ${ms(sql`p.first_review_at`)} as first_review_ms,
                 ${ms(sql`p.merged_at`)} as merged_ms,
                 ${ms(sql`coalesce(d.started_at, d.created_at)`)} as deploy_started_ms,
                 ${ms(sql`(select min(coalesce(x.started_at, x.created_at)) from deployments x
                           where x.repository_id = p.repository_id and x.sha = p.merge_sha)`)} as sha_deployed_ms,
                 ${ms(sql`c.deployed_at`)} as live_ms
          from ${frame}
          order by c.deployed_at, p.id`,
    ),
    queryRows<RunRow>(
      db,
      sql`select b.repository_id::int as repository_id, b.sha, b.status, b.conclusion,
                 ${ms(sql`b.queued_at`)} as queued_ms, ${ms(sql`b.started_at`)} as started_ms,
                 ${ms(sql`b.finished_at`)} as finished_ms
          from ci_builds b
          join repositories br on br.id = b.repository_id
          where b.branch = br.default_branch and b.started_at is not null and b.finished_at is not null
            and b.parent_external_id is null
            and (b.repository_id, b.sha) in (select p.repository_id, p.merge_sha from ${frame})`,
    ),
  ]);
  const byCommit = new Map<string, (CiRun & { status: string; conclusion: string | null })[]>();
  for (const r of runs) {
    const key = `${r.repository_id}:${r.sha}`;
    const list = byCommit.get(key) ?? [];
    list.push({
      status: r.status,
      conclusion: r.conclusion,
      queuedAt: num(r.queued_ms),
      startedAt: Number(r.started_ms),
      finishedAt: Number(r.finished_ms),
    });
    byCommit.set(key, list);
  }
  return rows.map((r) => {
    const deployStartedAt = Number(r.deploy_started_ms);
    const cutoff = Math.min(deployStartedAt, num(r.sha_deployed_ms) ?? deployStartedAt);
    const ciRuns = (r.merge_sha ? (byCommit.get(`${r.repository_id}:${r.merge_sha}`) ?? []) : [])
      .filter((b) => ["passed", "failed"].includes(outcome(b)) && b.startedAt < cutoff)
      .map(({ queuedAt, startedAt, finishedAt }) => ({ queuedAt, startedAt, finishedAt }));
    return {
      pullRequestId: Number(r.pr_id),
      repository: r.repository,
      number: Number(r.number),
      title: r.title,
      url: r.url,
      period: r.period,
      bucket: r.bucket,
      startedAt: Number(r.started_ms),
      firstCommitAt: num(r.first_commit_ms),
      readyAt: Number(r.ready_ms),
      firstReviewAt: num(r.first_review_ms),
      mergedAt: num(r.merged_ms),
      ciRuns,
      deployStartedAt,
      liveAt: Number(r.live_ms),
    };
  });
}

/** The CI runs of the scope's repositories that started in either period (a run belongs to the day it started). */
export async function loadBuilds(
  db: Db,
  q: PipelineQuery,
): Promise<{
  current: BuildRow[];
  previous: BuildRow[];
  bounds: Record<"previous" | "current", [number, number]>;
}> {
  const repos =
    q.scope.serviceIds === null
      ? sql`true`
      : sql`b.repository_id in (select s.repository_id from services s where ${inList(sql`s.id`, q.scope.serviceIds)})`;
  const [rows, [bounds]] = await Promise.all([
    queryRows<Record<string, unknown>>(
      db,
      sql`select r.full_name as repository, r.default_branch, b.workflow, b.branch, b.sha, b.status, b.conclusion,
                 b.attempt::int as attempt, b.parent_external_id as parent, b.stage,
                 ${ms(sql`b.queued_at`)} as queued_ms, ${ms(sql`b.started_at`)} as started_ms,
                 ${ms(sql`b.finished_at`)} as finished_ms,
                 case when b.started_at >= ${localMidnight(q.period.from, q.zone)} then 'current' else 'previous' end as period
          from ci_builds b join repositories r on r.id = b.repository_id
          where ${repos} and ${withinPeriod(sql`b.started_at`, range(q), q.zone)}
          order by b.started_at, b.id`,
    ),
    queryRows<{ a: number; b: number; c: number }>(
      db,
      sql`select ${ms(localMidnight(q.previous.from, q.zone))} as a, ${ms(localMidnight(q.period.from, q.zone))} as b,
                 ${ms(localMidnight(addDays(q.period.to, 1), q.zone))} as c`,
    ),
  ]);
  const out: { current: BuildRow[]; previous: BuildRow[] } = { current: [], previous: [] };
  for (const r of rows) {
    out[r.period as "current" | "previous"].push({
      repository: String(r.repository),
      defaultBranch: String(r.default_branch),
      workflow: String(r.workflow),
      branch: (r.branch as string | null) ?? null,
      sha: String(r.sha),
      status: String(r.status),
      conclusion: (r.conclusion as string | null) ?? null,
      queuedAt: num(r.queued_ms),
      startedAt: num(r.started_ms),
      finishedAt: num(r.finished_ms),
      attempt: Number(r.attempt),
      parent: (r.parent as string | null) ?? null,
      stage: (r.stage as string | null) ?? null,
    });
  }
  const b = bounds as { a: number; b: number; c: number };
  return {
    ...out,
    bounds: { previous: [Number(b.a), Number(b.b)], current: [Number(b.b), Number(b.c)] },
  };
}
