import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import type { WeekStart } from "@/lib/domain/vocabulary";
import type { Granularity, Period } from "./period";
import { rollupsReadable } from "./rollups";
import { rollupAggregates } from "./rollups/read";
import type { Scope } from "./scope";
import { bucketSql, countsInLeadTime, inList, localMidnight, prStages, withinPeriod } from "./sql";

/**
 * The metric aggregates, computed in SQL where the data is. Each query reads one index range (services ×
 * environments × time, see the indexes in lib/db/schema/deployments.ts) covering the previous and the current
 * period, and returns, with GROUPING SETS, the totals of both periods plus the current period per bucket —
 * optionally per team (org overview). Percentiles are exact (`percentile_cont`), never averaged across groups.
 */

export interface MetricQuery {
  scope: Pick<Scope, "serviceIds" | "environments" | "tierMode">;
  period: Period;
  previous: Period;
  granularity: Granularity;
  zone: string;
  weekStart: WeekStart;
  /** Group by owning team (org overview); the scope should then be org-wide. */
  byTeam?: boolean;
  /** Also group by bucket (the charts' series). Default true. */
  series?: boolean;
}

export interface DeploymentStats {
  deployments: number;
  failed: number;
  rework: number;
  recovered: number;
  unrecovered: number;
  recoveryP50: number | null;
  recoveryP90: number | null;
}

export interface LeadTimeStats {
  changes: number;
  p50: number | null;
  p75: number | null;
  p90: number | null;
}

export interface BreakdownStats {
  prs: number;
  unreviewed: number;
  codingP50: number | null;
  pickupP50: number | null;
  reviewP50: number | null;
  deployP50: number | null;
  totalP50: number | null;
}

export interface Grouped<T> {
  current: T;
  previous: T;
  /** Current period by bucket start (only buckets that have rows). */
  series: Map<string, T>;
}

/**
 * Team id → grouped stats. Key 0 holds the whole scope when not grouping by team, and the rows no team owns when
 * grouping by team; then ALL_TEAMS holds the whole scope (computed in the same pass).
 */
export type ByTeam<T> = Map<number, Grouped<T>>;
export const ALL_TEAMS = -1;

export const EMPTY_DEPLOYMENTS: DeploymentStats = {
  deployments: 0,
  failed: 0,
  rework: 0,
  recovered: 0,
  unrecovered: 0,
  recoveryP50: null,
  recoveryP90: null,
};
const EMPTY_LEAD: LeadTimeStats = { changes: 0, p50: null, p75: null, p90: null };
export const EMPTY_BREAKDOWN: BreakdownStats = {
  prs: 0,
  unreviewed: 0,
  codingP50: null,
  pickupP50: null,
  reviewP50: null,
  deployP50: null,
  totalP50: null,
};

interface Frame {
  /** Columns of the CTE besides team_id/period/bucket, and its FROM … WHERE. */
  select: SQL;
  from: SQL;
  where: SQL;
  time: SQL;
  service: SQL;
  environment: SQL;
}

/** Builds `with x as (…) select team_id, period, bucket, g, <aggregates> from x group by grouping sets …`. */
function groupedQuery(q: MetricQuery, frame: Frame, aggregates: SQL): SQL {
  // A service's own owner wins over its repository's.
  const team = q.byTeam ? sql`coalesce(ts.team_id, tr.team_id, 0)` : sql`0`;
  const teamJoin = q.byTeam
    ? sql` join services ts on ts.id = ${frame.service} join repositories tr on tr.id = ts.repository_id`
    : sql``;
  const services = q.scope.serviceIds === null ? sql`true` : inList(frame.service, q.scope.serviceIds);
  const range: Period = { from: q.previous.from, to: q.period.to, days: q.previous.days + q.period.days };
  return sql`
    with x as (
      select ${team} as team_id,
             case when ${frame.time} >= ${localMidnight(q.period.from, q.zone)} then 'current' else 'previous' end as period,
             ${q.series === false ? sql`null::text` : bucketSql(frame.time, q.granularity, q.zone, q.weekStart)} as bucket,
             ${frame.select}
      from ${frame.from}${teamJoin}
      where ${frame.where}
        and ${services}
        and ${inList(frame.environment, q.scope.environments)}
        and ${withinPeriod(frame.time, range, q.zone)}
    )
    select case when grouping(team_id) = 1 then ${ALL_TEAMS} else team_id end::int as team_id, period,
           ${q.series === false ? sql`null::text as bucket, 1` : sql`bucket, grouping(bucket)::int`} as g, ${aggregates}
    from x
    group by grouping sets (${sql.raw(groupingSets(q))})`;
}

/** Totals per period, plus per bucket for series; with byTeam, the same again without the team (ALL_TEAMS). */
function groupingSets(q: MetricQuery): string {
  const withSeries = q.series !== false;
  const sets = ["(team_id, period)", ...(withSeries ? ["(team_id, period, bucket)"] : [])];
  if (q.byTeam) sets.push("(period)", ...(withSeries ? ["(period, bucket)"] : []));
  return sets.join(", ");
}

type Row = { team_id: number; period: "current" | "previous"; bucket: string | null; g: number };

function fold<T>(
  rows: (Row & Record<string, unknown>)[],
  empty: T,
  map: (r: Record<string, unknown>) => T,
): ByTeam<T> {
  const out: ByTeam<T> = new Map();
  const get = (team: number) => {
    let g = out.get(team);
    if (!g) {
      g = { current: empty, previous: empty, series: new Map() };
      out.set(team, g);
    }
    return g;
  };
  for (const r of rows) {
    const g = get(r.team_id);
    if (r.g === 1) {
      if (r.period === "current") g.current = map(r);
      else g.previous = map(r);
    } else if (r.period === "current" && r.bucket) {
      g.series.set(r.bucket, map(r));
    }
  }
  return out;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The deployment and lead-time aggregates from the maintained rollups (lib/metrics/rollups), when they are built in
 * the query's zone; null: read the rows. Equal figures either way. One read serves both aggregates of one query
 * object (a dashboard and the overview ask for both at once).
 */
const rollupReads = new WeakMap<object, WeakMap<MetricQuery, ReturnType<typeof rollupAggregates>>>();
async function fromRollups(
  db: Db,
  q: MetricQuery,
): Promise<Awaited<ReturnType<typeof rollupAggregates>> | null> {
  let perDb = rollupReads.get(db);
  if (!perDb) {
    perDb = new WeakMap();
    rollupReads.set(db, perDb);
  }
  const shared = perDb.get(q);
  if (shared) return shared;
  if (!(await rollupsReadable(db, q.zone))) return null;
  // Query objects live for one computation (a view, a report): keyed weakly, they go with it.
  const read = perDb.get(q) ?? rollupAggregates(db, q);
  perDb.set(q, read);
  return read;
}

/** Deployment frequency, change failure rate, rework rate and recovery time all come from counted deployments. */
export async function deploymentStats(db: Db, q: MetricQuery): Promise<ByTeam<DeploymentStats>> {
  const rolled = await fromRollups(db, q);
  if (rolled) return rolled.deployments;
  const rows = await queryRows<Row & Record<string, unknown>>(
    db,
    groupedQuery(
      q,
      {
        select: sql`d.is_failed, d.is_rework, d.recovery_seconds`,
        from: sql`deployments d`,
        where: sql`d.is_counted`,
        time: sql`d.finished_at`,
        service: sql`d.service_id`,
        environment: sql`d.environment`,
      },
      sql`count(*)::int as deployments,
          count(*) filter (where is_failed)::int as failed,
          count(*) filter (where is_rework)::int as rework,
          count(*) filter (where is_failed and recovery_seconds is not null)::int as recovered,
          count(*) filter (where is_failed and recovery_seconds is null)::int as unrecovered,
          (percentile_cont(0.5) within group (order by recovery_seconds) filter (where is_failed))::float8 as recovery_p50,
          (percentile_cont(0.9) within group (order by recovery_seconds) filter (where is_failed))::float8 as recovery_p90`,
    ),
  );
  return fold(rows, EMPTY_DEPLOYMENTS, (r) => ({
    deployments: Number(r.deployments),
    failed: Number(r.failed),
    rework: Number(r.rework),
    recovered: Number(r.recovered),
    unrecovered: Number(r.unrecovered),
    recoveryP50: num(r.recovery_p50),
    recoveryP90: num(r.recovery_p90),
  }));
}

/** The flag that makes each change count once: per environment, or per tier when pooling a tier. */
const firstDelivery = (q: MetricQuery, alias: string) =>
  sql.raw(q.scope.tierMode ? `${alias}.first_in_tier` : `${alias}.first_in_environment`);

/** Change lead time over changes (commits): bots and merge commits are not changes of their own. */
export async function leadTimeStats(db: Db, q: MetricQuery): Promise<ByTeam<LeadTimeStats>> {
  const rolled = await fromRollups(db, q);
  if (rolled) return rolled.lead;
  const rows = await queryRows<Row & Record<string, unknown>>(
    db,
    groupedQuery(
      q,
      {
        select: sql`c.lead_seconds`,
        from: sql`deployment_changes c`,
        where: sql`${countsInLeadTime("c")} and ${firstDelivery(q, "c")}`,
        time: sql`c.deployed_at`,
        service: sql`c.service_id`,
        environment: sql`c.environment`,
      },
      sql`count(*)::int as changes,
          (percentile_cont(0.5) within group (order by lead_seconds))::float8 as p50,
          (percentile_cont(0.75) within group (order by lead_seconds))::float8 as p75,
          (percentile_cont(0.9) within group (order by lead_seconds))::float8 as p90`,
    ),
  );
  return fold(rows, EMPTY_LEAD, (r) => ({
    changes: Number(r.changes),
    p50: num(r.p50),
    p75: num(r.p75),
    p90: num(r.p90),
  }));
}

/**
 * The PR-based breakdown, per PR at its first delivery: coding (first commit → ready for review), pickup
 * (→ first review), review (→ merge), deploy (→ live). Medians per stage; they need not add up to the total.
 */
export async function breakdownStats(db: Db, q: MetricQuery): Promise<ByTeam<BreakdownStats>> {
  const stage = prStages("p", "c");
  const rows = await queryRows<Row & Record<string, unknown>>(
    db,
    groupedQuery(
      q,
      {
        select: sql`${stage.coding} as coding, ${stage.pickup} as pickup, ${stage.review} as review,
                    ${stage.deploy} as deploy, ${stage.total} as total,
                    p.first_review_at is null as unreviewed`,
        from: sql`deployment_changes c join pull_requests p on p.id = c.pull_request_id`,
        where: sql`c.pull_request_id is not null and not p.is_bot and not c.is_excluded and ${firstDelivery(q, "c")}`,
        time: sql`c.deployed_at`,
        service: sql`c.service_id`,
        environment: sql`c.environment`,
      },
      sql`count(*)::int as prs,
          count(*) filter (where unreviewed)::int as unreviewed,
          (percentile_cont(0.5) within group (order by coding))::float8 as coding_p50,
          (percentile_cont(0.5) within group (order by pickup))::float8 as pickup_p50,
          (percentile_cont(0.5) within group (order by review))::float8 as review_p50,
          (percentile_cont(0.5) within group (order by deploy))::float8 as deploy_p50,
          (percentile_cont(0.5) within group (order by total))::float8 as total_p50`,
    ),
  );
  return fold(rows, EMPTY_BREAKDOWN, (r) => ({
    prs: Number(r.prs),
    unreviewed: Number(r.unreviewed),
    codingP50: num(r.coding_p50),
    pickupP50: num(r.pickup_p50),
    reviewP50: num(r.review_p50),
    deployP50: num(r.deploy_p50),
    totalP50: num(r.total_p50),
  }));
}

export function scopeTotals<T>(byTeam: ByTeam<T>, empty: "deployments" | "lead" | "breakdown"): Grouped<T> {
  const fallback = { deployments: EMPTY_DEPLOYMENTS, lead: EMPTY_LEAD, breakdown: EMPTY_BREAKDOWN }[
    empty
  ] as T;
  return byTeam.get(0) ?? { current: fallback, previous: fallback, series: new Map() };
}
