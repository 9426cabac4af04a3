import { type SQL, sql } from "drizzle-orm";
import type { Period } from "@/lib/metrics/period";
import type { Scope } from "@/lib/metrics/scope";
import { countsInLeadTime, inList, prStages, secondsBetween, withinPeriod } from "@/lib/metrics/sql";
import { type KeysetSource, keyText } from "./keyset";

/**
 * The rows behind a report's numbers, for its CSVs: the production deployments of the slice in the period, the
 * changes they shipped, the pull requests first delivered and the incidents opened. Nothing about people: no
 * authors, reviewers or logins. Instants come back as UTC ISO text (drivers disagree on timestamps); the CSV
 * writes them in the org's time zone. Each is a keyset source (lib/reports/keyset.ts): read in batches by its
 * leading sort instant, which an index serves (deployments_live_at_idx, deployment_changes_deployed_idx,
 * incidents_opened_idx).
 */

export type RawScope = Pick<Scope, "serviceIds" | "environments">;

const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);
const services = (scope: RawScope, col: string): SQL =>
  scope.serviceIds === null ? sql`true` : inList(sql.raw(col), scope.serviceIds);
const envs = (scope: RawScope, col: string): SQL => inList(sql.raw(col), scope.environments);

/** Every deployment to the slice's production environments in the period, counted or not (a `counted` flag says). */
export function deploymentSource(scope: RawScope, p: Period, zone: string): KeysetSource {
  const key = sql`coalesce(d.finished_at, d.created_at)`;
  return {
    key,
    query: (
      page,
    ) => sql`select ${keyText(key)} as _k, d.id::int as id, r.full_name as repository, s.name as service, d.environment,
               coalesce(ts.slug, tr.slug) as team, d.status, d.kind, d.sha, d.source,
               ${iso("d.created_at")} as created_at, ${iso("d.finished_at")} as finished_at,
               d.is_counted, d.is_failed, array_to_string(d.failure_reasons, ';') as failure_reasons,
               d.recovery_seconds::int as recovery_seconds, d.is_rework,
               array_to_string(d.rework_reasons, ';') as rework_reasons, d.change_count::int as change_count,
               d.attribution
        from deployments d
        join services s on s.id = d.service_id
        join repositories r on r.id = d.repository_id
        left join teams ts on ts.id = s.team_id
        left join teams tr on tr.id = r.team_id
        where ${services(scope, "d.service_id")} and ${envs(scope, "d.environment")}
          and ${withinPeriod(key, p, zone)} and ${page.where}
        order by ${key}, d.id ${page.limit}`,
  };
}

/** The commits those deployments shipped; `counted` marks the changes lead time counts (pooled production tier). */
export function changeSource(scope: RawScope, p: Period, zone: string): KeysetSource {
  const key = sql`c.deployed_at`;
  return {
    key,
    query: (
      page,
    ) => sql`select ${keyText(key)} as _k, c.deployment_id::int as deployment_id, r.full_name as repository, s.name as service, c.environment,
               ${iso("c.deployed_at")} as deployed_at, cm.sha, cm.title, pr.number::int as pull_request,
               ${iso("c.started_at")} as started_at, c.lead_seconds::int as lead_seconds, c.is_bot, c.is_merge,
               (${countsInLeadTime("c")} and c.first_in_tier) as counted
        from deployment_changes c
        join commits cm on cm.id = c.commit_id
        join services s on s.id = c.service_id
        join repositories r on r.id = s.repository_id
        left join pull_requests pr on pr.id = c.pull_request_id
        where ${services(scope, "c.service_id")} and ${envs(scope, "c.environment")}
          and ${withinPeriod(key, p, zone)} and ${page.where}
        order by c.deployed_at, c.deployment_id, c.started_at, cm.sha ${page.limit}`,
  };
}

/** Pull requests first delivered to production in the period, with the stages of the lead-time breakdown. */
export function pullRequestSource(scope: RawScope, p: Period, zone: string): KeysetSource {
  const stage = prStages("pr", "c");
  const key = sql`c.deployed_at`;
  return {
    key,
    query: (
      page,
    ) => sql`select ${keyText(key)} as _k, r.full_name as repository, s.name as service, coalesce(ts.slug, tr.slug) as team,
               pr.number::int as number, pr.title, pr.url, pr.merge_method,
               ${iso("pr.first_commit_at")} as first_commit_at, ${iso("coalesce(pr.ready_at, pr.created_at)")} as ready_at,
               ${iso("pr.first_review_at")} as first_review_at, ${iso("pr.merged_at")} as merged_at,
               ${iso("c.deployed_at")} as deployed_at, c.deployment_id::int as deployment_id,
               ${stage.coding} as coding_seconds, ${stage.pickup} as pickup_seconds,
               ${stage.review} as review_seconds, ${stage.deploy} as deploy_seconds,
               ${stage.total} as total_seconds,
               pr.is_revert, pr.is_hotfix, pr.is_bot, (not pr.is_bot and not c.is_excluded) as in_breakdown
        from deployment_changes c
        join pull_requests pr on pr.id = c.pull_request_id
        join services s on s.id = c.service_id
        join repositories r on r.id = s.repository_id
        left join teams ts on ts.id = s.team_id
        left join teams tr on tr.id = r.team_id
        where c.first_in_tier and ${services(scope, "c.service_id")} and ${envs(scope, "c.environment")}
          and ${withinPeriod(key, p, zone)} and ${page.where}
        order by c.deployed_at, r.full_name, pr.number ${page.limit}`,
  };
}

/** Incidents of the slice opened in the period, and the deployment each is blamed on (if any). */
export function incidentSource(scope: RawScope, p: Period, zone: string): KeysetSource {
  const repos =
    scope.serviceIds === null
      ? sql`select id from repositories`
      : sql`select distinct repository_id from services where ${inList(sql`id`, scope.serviceIds)}`;
  const inScope =
    scope.serviceIds === null
      ? sql`true`
      : sql`(${inList(sql`i.service_id`, scope.serviceIds)} or (i.service_id is null and i.repository_id in (${repos})))`;
  const key = sql`i.opened_at`;
  return {
    key,
    query: (
      page,
    ) => sql`select ${keyText(key)} as _k, i.id::int as id, i.source, i.external_id, i.title, i.url, r.full_name as repository,
               s.name as service, i.severity, ${iso("i.opened_at")} as opened_at, ${iso("i.resolved_at")} as resolved_at,
               ${secondsBetween(sql`i.opened_at`, sql`i.resolved_at`)} as resolve_seconds,
               i.linked_deployment_id::int as linked_deployment_id, i.link_method,
               i.restored_by_deployment_id::int as restored_by_deployment_id
        from incidents i
        left join repositories r on r.id = i.repository_id
        left join services s on s.id = i.service_id
        where ${inScope} and ${withinPeriod(key, p, zone)} and ${page.where}
        order by i.opened_at, i.id ${page.limit}`,
  };
}
