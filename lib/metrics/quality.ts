import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import type { LocalDate, Period } from "./period";
import type { Scope } from "./scope";
import { inList, withinPeriod } from "./sql";

/**
 * What feeds a view, what is missing, and what that does to the numbers: shown beside every dashboard so that a
 * figure is never more certain than its data.
 */
export interface QualityNote {
  level: "info" | "warning";
  code: string;
  message: string;
}

export interface QualityFacts {
  deploymentSources: string[];
  /** Environments of the slice that had deployments in the period. */
  activeEnvironments: string[];
  incidentSources: string[];
  hasCommits: boolean;
  hasPullRequests: boolean;
  incidentsEver: number;
  incidentsInPeriod: number;
  incidentsUnlinked: number;
  baseline: number;
  unknownSha: number;
  tooMany: number;
  botChanges: number;
  openFailures: number;
  redeploys: number;
  failedAttempts: number;
  /** Deployments whose outcome a correction decided, and deployments a correction excluded. */
  corrected: number;
  excluded: number;
  /** Release lines of the counted deployments (per service and environment), their chains, and a few names. */
  releaseLines: number;
  chains: number;
  lineNames: string[];
  /** Remedies later than their window (no failure): rollbacks (redeploys) and reverts. */
  discountedRollbacks: number;
  discountedReverts: number;
  /** Deployments whose changes reach commits with parents Throughline does not hold. */
  historyCut: number;
  /** Changes that started after they went live (author clock ahead): left out of lead time. */
  negativeLeadTimes: number;
  /** Repository names that may name the same repository (local/x beside acme/x, names equal but for case). */
  ambiguousRepositories: string[];
}

export async function qualityFacts(
  db: Db,
  scope: Scope,
  period: Period,
  zone: string,
): Promise<QualityFacts> {
  const svc = (col: string) =>
    scope.serviceIds === null ? sql`true` : inList(sql.raw(col), scope.serviceIds);
  const env = (col: string) => inList(sql.raw(col), scope.environments);
  const repos =
    scope.serviceIds === null
      ? sql`select id from repositories`
      : sql`select distinct repository_id from services where ${inList(sql`id`, scope.serviceIds)}`;
  const incidentScope =
    scope.serviceIds === null
      ? sql`true`
      : sql`(${inList(sql`i.service_id`, scope.serviceIds)} or (i.service_id is null and i.repository_id in (${repos})))`;
  const inPeriod = (col: string) => withinPeriod(sql.raw(col), period, zone);
  // One pass over the slice's deployments (deployments_service_env_finished_idx) and one over its incidents, each
  // folded into one row by FILTERed aggregates; the changes' two counts are index-only scans of partial indexes.
  // (Sixteen subqueries over one CTE made PostgreSQL materialise the deployments and read them sixteen times.)
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`with d as (
          select
            coalesce(array_to_string(array_agg(distinct d.source) filter (where d.status = 'success'), ','), '') as deployment_sources,
            coalesce(array_to_string(array_agg(distinct d.environment) filter (where d.is_counted), ','), '') as active_environments,
            count(*) filter (where d.status = 'success' and d.attribution = 'baseline')::int as baseline,
            count(*) filter (where d.attribution = 'unknown_sha')::int as unknown_sha,
            count(*) filter (where d.attribution = 'too_many')::int as too_many,
            count(*) filter (where d.is_counted and d.is_failed and d.recovered_at is null)::int as open_failures,
            count(*) filter (where d.kind = 'redeploy' and d.status = 'success')::int as redeploys,
            count(*) filter (where d.status in ('failure', 'error'))::int as failed_attempts,
            count(*) filter (where d.is_counted and d.is_corrected)::int as corrected,
            count(*) filter (where d.is_excluded)::int as excluded,
            -- Rows compare NULL fields as equal for DISTINCT, as the SELECT DISTINCT this replaced did.
            count(distinct (d.service_id, d.environment, d.line_start_id)) filter (where d.is_counted)::int as lines,
            count(distinct (d.service_id, d.environment)) filter (where d.is_counted)::int as chains,
            array_agg(distinct d.line_start_id) filter (where d.is_counted and d.line_start_id is not null) as line_starts,
            count(*) filter (where 'rollback' = any(d.discounted_reasons))::int as discounted_rollbacks,
            count(*) filter (where 'revert' = any(d.discounted_reasons))::int as discounted_reverts,
            count(*) filter (where d.is_counted and d.history_cut)::int as history_cut
          from deployments d
          where ${svc("d.service_id")} and ${env("d.environment")} and ${inPeriod("coalesce(d.finished_at, d.created_at)")}
        ), i as (
          select coalesce(array_to_string(array_agg(distinct i.source), ','), '') as incident_sources,
                 count(*)::int as incidents_ever,
                 count(*) filter (where ${inPeriod("i.opened_at")})::int as incidents_in_period,
                 count(*) filter (where ${inPeriod("i.opened_at")} and i.linked_deployment_id is null)::int as incidents_unlinked
          from incidents i where ${incidentScope}
        )
        select d.deployment_sources, d.active_environments, d.baseline, d.unknown_sha, d.too_many, d.open_failures,
          d.redeploys, d.failed_attempts, d.corrected, d.excluded, d.lines, d.chains, d.discounted_rollbacks,
          d.discounted_reverts, d.history_cut, i.incident_sources, i.incidents_ever, i.incidents_in_period,
          i.incidents_unlinked,
          (select coalesce(array_to_string(array_agg(y.label order by y.label), E'\n'), '') from (
             select distinct coalesce(s.line, s.ref, left(s.sha, 12)) as label
             from deployments s where s.id = any(d.line_starts) limit 50) y) as line_names,
          (select count(*)::int from deployment_changes c
            where c.lead_seconds < 0 and not c.is_bot and not c.is_merge and not c.is_excluded
              and ${svc("c.service_id")} and ${env("c.environment")} and ${inPeriod("c.deployed_at")}) as negative_lead_times,
          (select coalesce(array_to_string(array_agg(r.full_name order by r.full_name), ','), '') from repositories r
            where r.id in (${repos}) and exists (
              select 1 from repositories o where o.id <> r.id and (lower(o.full_name) = lower(r.full_name)
                or (lower(split_part(o.full_name, '/', 2)) = lower(split_part(r.full_name, '/', 2))
                    and (r.full_name like 'local/%' or o.full_name like 'local/%'))))) as ambiguous_repositories,
          exists (select 1 from commits where repository_id in (${repos})) as has_commits,
          exists (select 1 from pull_requests where repository_id in (${repos})) as has_pull_requests,
          (select count(*)::int from deployment_changes c
            where c.is_bot and ${svc("c.service_id")} and ${env("c.environment")} and ${inPeriod("c.deployed_at")}) as bot_changes
        from d, i`,
  );
  const r = row ?? {};
  const list = (v: unknown) =>
    String(v ?? "")
      .split(",")
      .filter(Boolean);
  return {
    deploymentSources: list(r.deployment_sources),
    activeEnvironments: list(r.active_environments).sort(),
    incidentSources: list(r.incident_sources),
    hasCommits: Boolean(r.has_commits),
    hasPullRequests: Boolean(r.has_pull_requests),
    incidentsEver: Number(r.incidents_ever ?? 0),
    incidentsInPeriod: Number(r.incidents_in_period ?? 0),
    incidentsUnlinked: Number(r.incidents_unlinked ?? 0),
    baseline: Number(r.baseline ?? 0),
    unknownSha: Number(r.unknown_sha ?? 0),
    tooMany: Number(r.too_many ?? 0),
    botChanges: Number(r.bot_changes ?? 0),
    openFailures: Number(r.open_failures ?? 0),
    redeploys: Number(r.redeploys ?? 0),
    failedAttempts: Number(r.failed_attempts ?? 0),
    corrected: Number(r.corrected ?? 0),
    excluded: Number(r.excluded ?? 0),
    releaseLines: Number(r.lines ?? 0),
    chains: Number(r.chains ?? 0),
    lineNames: String(r.line_names ?? "")
      .split("\n")
      .filter(Boolean),
    discountedRollbacks: Number(r.discounted_rollbacks ?? 0),
    discountedReverts: Number(r.discounted_reverts ?? 0),
    historyCut: Number(r.history_cut ?? 0),
    negativeLeadTimes: Number(r.negative_lead_times ?? 0),
    ambiguousRepositories: list(r.ambiguous_repositories),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How much deployment data a period has: the slice's first recorded deployment and the period's count. */
export interface DataCoverage {
  since: LocalDate | undefined;
  period: Period;
  deployments: number;
}

/** Pure: the notes a reader needs, most consequential first. */
export function qualityNotes(f: QualityFacts, scope: Scope, data?: DataCoverage): QualityNote[] {
  const notes: QualityNote[] = [];
  if (data) notes.push(...coverageNotes(data));
  if (scope.environments.length === 0) {
    notes.push({
      level: "warning",
      code: "no_production_environment",
      message:
        "No environment is marked as production, so there is nothing to measure. Mark one in Settings → Environments.",
    });
  }
  if (scope.serviceIds !== null && scope.serviceIds.length === 0) {
    notes.push({
      level: "warning",
      code: "no_services",
      message: "This team owns no repository or service yet. Assign repositories in Settings → Teams.",
    });
  }
  if (!f.hasCommits) {
    notes.push({
      level: "warning",
      code: "no_commits",
      message:
        "No commit history: lead time cannot be measured. Add a GitHub or git source for these repositories.",
    });
  }
  if (f.incidentsEver === 0) {
    notes.push({
      level: "warning",
      code: "no_incidents",
      message:
        "No incident source: change failure rate and recovery time count rollbacks, reverts and fix deployments only, so they can only be lower than reality.",
    });
  }
  if (!f.hasPullRequests && f.hasCommits) {
    notes.push({
      level: "warning",
      code: "no_pull_requests",
      message:
        "No pull request data: the lead-time breakdown is empty, and a squash-merged change starts at its merge instead of its first commit.",
    });
  }
  if (scope.tierMode && f.activeEnvironments.length > 1) {
    notes.push({
      level: "info",
      code: "pooled_environments",
      message: `${f.activeEnvironments.length} production environments are pooled (${f.activeEnvironments.join(", ")}): a change counts once in lead time, but each deployment to each environment counts as a deployment. Choose one environment to count each release once.`,
    });
  }
  if (f.incidentsUnlinked > 0) {
    notes.push({
      level: "info",
      code: "unlinked_incidents",
      message: `${plural(f.incidentsUnlinked, "incident")} in this period could not be tied to a deployment and ${f.incidentsUnlinked === 1 ? "does" : "do"} not count as a change failure.`,
    });
  }
  if (f.corrected > 0 || f.excluded > 0) {
    const parts = [
      f.corrected > 0 ? `the outcome of ${plural(f.corrected, "deployment")} was set by hand` : null,
      f.excluded > 0
        ? `${plural(f.excluded, "deployment")} ${f.excluded === 1 ? "was" : "were"} excluded by hand`
        : null,
    ].filter(Boolean);
    notes.push({
      level: "info",
      code: "corrections",
      message: `In this period ${parts.join(" and ")}: the figures include these corrections (Deployments → Corrected by hand shows each one, who made it and why).`,
    });
  }
  if (f.ambiguousRepositories.length > 0) {
    notes.push({
      level: "warning",
      code: "ambiguous_repositories",
      message: `Repository names that may mean the same repository: ${f.ambiguousRepositories.join(", ")}. A clone read without an origin remote is named local/<directory>: read it again with --repo owner/name to keep its data with the repository another source reads.`,
    });
  }
  if (f.historyCut > 0) {
    notes.push({
      level: "warning",
      code: "history_cut",
      message: `${plural(f.historyCut, "deployment")} in this period shipped commits older than the history Throughline holds (the first sync's horizon): those older commits are missing from ${f.historyCut === 1 ? "its" : "their"} changes and from lead time. Sync again with an earlier --since (GitHub: github.since) to read them.`,
    });
  }
  if (f.releaseLines > f.chains && f.chains > 0) {
    const shown = f.lineNames.slice(0, 6);
    notes.push({
      level: "info",
      code: "release_lines",
      message: `Deployments in this period come from ${plural(f.releaseLines, "release line")}${shown.length ? ` (started by ${shown.join(", ")}${f.lineNames.length > shown.length ? ", …" : ""})` : ""}: each deployment is compared with the previous deployment of its own line, so a maintenance release ships only its own changes and is never taken for a rollback of a newer line.`,
    });
  }
  if (f.discountedRollbacks > 0 || f.discountedReverts > 0) {
    const parts = [
      f.discountedRollbacks > 0 ? plural(f.discountedRollbacks, "rollback") : null,
      f.discountedReverts > 0 ? plural(f.discountedReverts, "revert") : null,
    ].filter(Boolean);
    notes.push({
      level: "info",
      code: "discounted_remedies",
      message: `${parts.join(" and ")} in this period came later than the organisation's window after the deployment ${f.discountedRollbacks + f.discountedReverts === 1 ? "it undid" : "they undid"} (Settings → Organisation): no immediate intervention, so they count as no change failure and no rework.`,
    });
  }
  if (f.negativeLeadTimes > 0) {
    notes.push({
      level: "info",
      code: "negative_lead_times",
      message: `${plural(f.negativeLeadTimes, "change")} started after ${f.negativeLeadTimes === 1 ? "it" : "they"} went live (an author's clock ahead) and ${f.negativeLeadTimes === 1 ? "is" : "are"} left out of lead time.`,
    });
  }
  if (f.baseline > 0) {
    notes.push({
      level: "info",
      code: "baseline",
      message: `${plural(f.baseline, "deployment")} in this period ${f.baseline === 1 ? "is" : "are"} the first of ${f.baseline === 1 ? "its" : "their"} service and environment: what ${f.baseline === 1 ? "it" : "they"} shipped is unknown and not counted in lead time.`,
    });
  }
  if (f.unknownSha > 0) {
    notes.push({
      level: "warning",
      code: "unknown_sha",
      message: `${plural(f.unknownSha, "deployment")} deployed a commit that is not in the history Throughline holds: ${f.unknownSha === 1 ? "its" : "their"} changes are not counted. Sync the repository's commits.`,
    });
  }
  if (f.tooMany > 0) {
    notes.push({
      level: "info",
      code: "too_many",
      message: `${plural(f.tooMany, "deployment")} would ship more than 5,000 commits (a history import) and ${f.tooMany === 1 ? "is" : "are"} left out of lead time.`,
    });
  }
  if (f.botChanges > 0) {
    notes.push({
      level: "info",
      code: "bots",
      message: `${plural(f.botChanges, "bot change")} (dependency updates and the like) ${f.botChanges === 1 ? "is" : "are"} left out of lead time.`,
    });
  }
  if (f.redeploys > 0) {
    notes.push({
      level: "info",
      code: "redeploys",
      message: `${plural(f.redeploys, "redeploy", "redeploys")} of a SHA already live shipped nothing new and ${f.redeploys === 1 ? "is" : "are"} not counted as deployments.`,
    });
  }
  if (f.failedAttempts > 0) {
    notes.push({
      level: "info",
      code: "failed_attempts",
      message: `${plural(f.failedAttempts, "deployment attempt")} did not complete and never went live: listed, not counted.`,
    });
  }
  if (f.openFailures > 0) {
    notes.push({
      level: "info",
      code: "open_failures",
      message: `${plural(f.openFailures, "failed deployment")} ${f.openFailures === 1 ? "has" : "have"} no recovery recorded yet and ${f.openFailures === 1 ? "is" : "are"} not in recovery time.`,
    });
  }
  return notes;
}

/** No data is not zero: say so when a period has no data, or none yet for part of it, or no deployment at all. */
export function coverageNotes({ since, period, deployments }: DataCoverage): QualityNote[] {
  if (since === undefined) {
    return [
      {
        level: "warning",
        code: "no_data",
        message:
          "No deployment has been recorded for this slice yet: every figure is empty, not zero. Add a source in Settings → Sources, or load the demo in Settings → Data.",
      },
    ];
  }
  if (since > period.to) {
    return [
      {
        level: "warning",
        code: "no_data",
        message: `This slice's data starts on ${since}, after this period: there is nothing to measure here, so the figures are empty, not zero. Choose a later period.`,
      },
    ];
  }
  const notes: QualityNote[] = [];
  if (since > period.from) {
    notes.push({
      level: "info",
      code: "partial_data",
      message: `This slice's data starts on ${since}, inside this period: deployment frequency divides by all ${period.days} days of the period, so it reads lower than the weeks with data.`,
    });
  }
  if (deployments === 0) {
    notes.push({
      level: "warning",
      code: "no_deployments",
      message:
        "No deployment was counted in this period: change failure rate, rework rate and recovery time have no sample, so they are empty, not zero.",
    });
  }
  return notes;
}
