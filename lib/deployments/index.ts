import { asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import {
  commits,
  deploymentChanges,
  deployments,
  incidents,
  pullRequests,
  repositories,
  services,
} from "@/lib/db/schema";
import type { Period } from "@/lib/metrics/period";
import type { Scope } from "@/lib/metrics/scope";
import { countsInLeadTime, exactInstant, inList, withinPeriod } from "@/lib/metrics/sql";
import { inSaneRange } from "@/lib/validation/input";

/** The drill-down: which deployments make up a figure, and what each one shipped. */

export type OutcomeFilter = "all" | "failed" | "rework" | "counted" | "corrected" | "recovered";

export interface DeploymentRow {
  id: number;
  repository: string;
  service: string;
  serviceIsDefault: boolean;
  environment: string;
  sha: string;
  status: string;
  kind: string;
  attribution: string;
  finishedAt: string | null;
  createdAt: string;
  changeCount: number;
  isCounted: boolean;
  isFailed: boolean;
  failureReasons: string[];
  recoverySeconds: number | null;
  isRework: boolean;
  reworkReasons: string[];
  /** A correction by hand decided its outcome, or excluded it. */
  isCorrected: boolean;
  isExcluded: boolean;
  leadTimeMedian: number | null;
  source: string;
}

/**
 * A place in the list, newest first: the instant a deployment went live (or was created), to the microsecond,
 * and its id. Paging is by keyset, never OFFSET: page 2,000 costs what page 1 costs (issue 11), and a deployment
 * arriving meanwhile does not shift the pages under the reader.
 */
export interface ListCursor {
  at: string;
  id: number;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_(\d{1,15})$/;

/** `2026-03-01T12:00:00.000000Z_1234` → a cursor; anything else → null (the caller says so). */
export function parseCursor(text: string | null | undefined): ListCursor | null {
  const m = text ? CURSOR.exec(text) : null;
  // A year PostgreSQL refuses (0000) or no metric can mean is no cursor of ours: null (the page says so), not a 500.
  if (!m || Number.isNaN(Date.parse(m[1] as string)) || !inSaneRange(m[1] as string)) return null;
  return { at: m[1] as string, id: Number(m[2]) };
}

export const formatCursor = (c: ListCursor): string => `${c.at}_${c.id}`;

export interface ListOptions {
  scope: Pick<Scope, "serviceIds" | "environments">;
  /** All environments instead of the scope's (the list shows staging too when asked). */
  anyEnvironment?: boolean;
  period?: Period;
  zone: string;
  outcome?: OutcomeFilter;
  limit: number;
  /** The page of deployments older than this one (the next page); without it, the newest. */
  after?: ListCursor | null;
  /** The page of deployments newer than this one (the previous page). */
  before?: ListCursor | null;
  /** Count the matching deployments, up to this many (null in the answer without it). */
  countUpTo?: number;
}

export interface DeploymentPage {
  rows: DeploymentRow[];
  /** With countUpTo: how many deployments match, and whether there are more than countUpTo. */
  matching: { count: number; capped: boolean } | null;
  /** Where the next (older) page starts; null: this is the last. */
  older: ListCursor | null;
  /** Where the previous (newer) page ends; null: this is the first. */
  newer: ListCursor | null;
}

/**
 * One page of the drill-down list, newest first. No count of every match: the page says whether there is more
 * (one row beyond the limit is read). The order (live instant, id) is the one deployments_live_at_idx holds.
 */
export async function listDeployments(db: Db, o: ListOptions): Promise<DeploymentPage> {
  const at = sql`coalesce(d.finished_at, d.created_at)`;
  const backwards = !o.after && Boolean(o.before);
  const cursor = o.after ?? o.before ?? null;
  const filters = sql.join(
    [
      o.scope.serviceIds === null ? sql`true` : inList(sql`d.service_id`, o.scope.serviceIds),
      o.anyEnvironment ? sql`true` : inList(sql`d.environment`, o.scope.environments),
      o.period ? withinPeriod(sql`coalesce(d.finished_at, d.created_at)`, o.period, o.zone) : sql`true`,
      o.outcome === "failed"
        ? sql`d.is_failed`
        : o.outcome === "rework"
          ? sql`d.is_rework`
          : o.outcome === "counted"
            ? sql`d.is_counted`
            : o.outcome === "corrected"
              ? sql`(d.is_corrected or d.is_excluded)`
              : o.outcome === "recovered"
                ? sql`d.is_counted and d.is_failed and d.recovery_seconds is not null`
                : sql`true`,
    ],
    sql` and `,
  );
  const where = sql`${filters} and ${
    cursor === null
      ? sql`true`
      : backwards
        ? sql`(${at}, d.id) > (${cursor.at}::timestamptz, ${cursor.id})`
        : sql`(${at}, d.id) < (${cursor.at}::timestamptz, ${cursor.id})`
  }`;
  // A count bounded by countUpTo: the drill-down from a figure says how many rows it opened, without a full count
  // of a large list (at most countUpTo + 1 index entries are read).
  const matching =
    o.countUpTo === undefined
      ? null
      : await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from (select 1 from deployments d where ${filters} limit ${o.countUpTo + 1}) m`,
        ).then(([r]) => ({
          count: Math.min(r?.n ?? 0, o.countUpTo as number),
          capped: (r?.n ?? 0) > (o.countUpTo as number),
        }));
  const found = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${exactInstant(at)} as _k, d.id::int as id, r.full_name, s.name as service, s.is_default, d.environment, d.sha, d.status, d.kind,
               d.attribution, to_char(d.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as finished_at,
               to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
               d.change_count, d.is_counted, d.is_failed, d.failure_reasons, d.recovery_seconds, d.is_rework,
               d.rework_reasons, d.source, d.is_corrected, d.is_excluded,
               (select percentile_cont(0.5) within group (order by c.lead_seconds)::float8 from deployment_changes c
                 where c.deployment_id = d.id and ${countsInLeadTime("c")} and c.first_in_environment) as lead_median
        from deployments d
        join services s on s.id = d.service_id
        join repositories r on r.id = d.repository_id
        where ${where}
        order by ${backwards ? sql`${at}, d.id` : sql`${at} desc, d.id desc`}
        limit ${o.limit + 1}`,
  );
  const more = found.length > o.limit;
  const page = found.slice(0, o.limit);
  if (backwards) page.reverse();
  const key = (r: Record<string, unknown> | undefined): ListCursor | null =>
    r ? { at: String(r._k), id: Number(r.id) } : null;
  const first = key(page[0]);
  const last = key(page[page.length - 1]);
  return {
    matching,
    older: backwards ? (cursor ? last : null) : more ? last : null,
    newer: backwards ? (more ? first : null) : cursor ? first : null,
    rows: page.map((r) => ({
      id: Number(r.id),
      repository: String(r.full_name),
      service: String(r.service),
      serviceIsDefault: Boolean(r.is_default),
      environment: String(r.environment),
      sha: String(r.sha),
      status: String(r.status),
      kind: String(r.kind),
      attribution: String(r.attribution),
      finishedAt: (r.finished_at as string | null) ?? null,
      createdAt: String(r.created_at),
      changeCount: Number(r.change_count),
      isCounted: Boolean(r.is_counted),
      isFailed: Boolean(r.is_failed),
      failureReasons: (r.failure_reasons as string[] | null) ?? [],
      recoverySeconds: r.recovery_seconds === null ? null : Number(r.recovery_seconds),
      isRework: Boolean(r.is_rework),
      reworkReasons: (r.rework_reasons as string[] | null) ?? [],
      isCorrected: Boolean(r.is_corrected),
      isExcluded: Boolean(r.is_excluded),
      leadTimeMedian: r.lead_median === null ? null : Number(r.lead_median),
      source: String(r.source),
    })),
  };
}

/** One deployment with everything needed to check its numbers by hand. */
export async function getDeploymentDetail(db: Db, id: number) {
  const [d] = await db
    .select({
      deployment: deployments,
      repository: repositories.fullName,
      repositoryId: repositories.id,
      service: services.name,
      serviceIsDefault: services.isDefault,
    })
    .from(deployments)
    .innerJoin(repositories, eq(repositories.id, deployments.repositoryId))
    .innerJoin(services, eq(services.id, deployments.serviceId))
    .where(eq(deployments.id, id));
  if (!d) return null;

  const changes = await db
    .select({
      sha: commits.sha,
      title: commits.title,
      authoredAt: commits.authoredAt,
      isBot: deploymentChanges.isBot,
      isMerge: deploymentChanges.isMerge,
      isExcluded: deploymentChanges.isExcluded,
      startedAt: deploymentChanges.startedAt,
      leadSeconds: deploymentChanges.leadSeconds,
      firstInEnvironment: deploymentChanges.firstInEnvironment,
      firstInTier: deploymentChanges.firstInTier,
      pr: {
        id: pullRequests.id,
        number: pullRequests.number,
        title: pullRequests.title,
        url: pullRequests.url,
        mergeMethod: pullRequests.mergeMethod,
        firstCommitAt: pullRequests.firstCommitAt,
        createdAt: pullRequests.createdAt,
        readyAt: pullRequests.readyAt,
        firstReviewAt: pullRequests.firstReviewAt,
        mergedAt: pullRequests.mergedAt,
        isRevert: pullRequests.isRevert,
        isHotfix: pullRequests.isHotfix,
        isBot: pullRequests.isBot,
        revertsNumber: pullRequests.revertsNumber,
      },
    })
    .from(deploymentChanges)
    .innerJoin(commits, eq(commits.id, deploymentChanges.commitId))
    .leftJoin(pullRequests, eq(pullRequests.id, deploymentChanges.pullRequestId))
    .where(eq(deploymentChanges.deploymentId, id))
    .orderBy(desc(commits.authoredAt));

  const related = [
    d.deployment.prevDeploymentId,
    d.deployment.recoveryDeploymentId,
    d.deployment.fixesDeploymentId,
    d.deployment.lineStartId,
    d.deployment.undoesDeploymentId,
  ].filter((x): x is number => x !== null);
  const neighbours = await db
    .select({
      id: deployments.id,
      sha: deployments.sha,
      ref: deployments.ref,
      line: deployments.line,
      kind: deployments.kind,
      finishedAt: deployments.finishedAt,
      prevDeploymentId: deployments.prevDeploymentId,
      recoveryDeploymentId: deployments.recoveryDeploymentId,
      fixesDeploymentId: deployments.fixesDeploymentId,
      isFailed: deployments.isFailed,
    })
    .from(deployments)
    .where(
      or(
        related.length ? inArray(deployments.id, related) : sql`false`,
        eq(deployments.prevDeploymentId, id),
        eq(deployments.recoveryDeploymentId, id),
        eq(deployments.fixesDeploymentId, id),
      ),
    )
    .orderBy(asc(deployments.finishedAt));
  const next = neighbours.find((n) => n.prevDeploymentId === id) ?? null;
  const remediated = neighbours.filter((n) => n.recoveryDeploymentId === id || n.fixesDeploymentId === id);

  const linkedIncidents = await db
    .select({
      id: incidents.id,
      source: incidents.source,
      externalId: incidents.externalId,
      title: incidents.title,
      url: incidents.url,
      severity: incidents.severity,
      openedAt: incidents.openedAt,
      resolvedAt: incidents.resolvedAt,
      linkMethod: incidents.linkMethod,
      linkedDeploymentId: incidents.linkedDeploymentId,
      restoredByDeploymentId: incidents.restoredByDeploymentId,
    })
    .from(incidents)
    .where(or(eq(incidents.linkedDeploymentId, id), eq(incidents.restoredByDeploymentId, id)))
    .orderBy(asc(incidents.openedAt));

  return {
    ...d,
    changes,
    previous: neighbours.find((n) => n.id === d.deployment.prevDeploymentId) ?? null,
    next,
    recoveredBy: neighbours.find((n) => n.id === d.deployment.recoveryDeploymentId) ?? null,
    fixes: neighbours.find((n) => n.id === d.deployment.fixesDeploymentId) ?? null,
    lineStart: neighbours.find((n) => n.id === d.deployment.lineStartId) ?? null,
    undoes: neighbours.find((n) => n.id === d.deployment.undoesDeploymentId) ?? null,
    remediated,
    incidents: linkedIncidents,
  };
}

export type DeploymentDetail = NonNullable<Awaited<ReturnType<typeof getDeploymentDetail>>>;
