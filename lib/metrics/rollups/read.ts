import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { addDays, bucketStart } from "../period";
import {
  ALL_TEAMS,
  type ByTeam,
  type DeploymentStats,
  EMPTY_DEPLOYMENTS,
  type Grouped,
  type LeadTimeStats,
  type MetricQuery,
} from "../queries";
import { inList } from "../sql";

/**
 * The deployment and lead-time aggregates of lib/metrics/queries.ts, from the rollups: one read of the period's
 * rollup rows (a few per service and day), folded here. Every sample is in the rows, so the percentiles are
 * `percentileCont` over the same multisets PostgreSQL's `percentile_cont` sorts, with its arithmetic: equal figures
 * (test/integration/rollups.test.ts). Unnesting the arrays in SQL instead cost more than reading the source rows
 * (docs/adr/0017-read-scale.md § Rollups, with the measurements).
 */

interface RollupRow extends Record<string, unknown> {
  team_id: number;
  day: string;
  deployments: number;
  failed: number;
  rework: number;
  recovered: number;
  unrecovered: number;
  recovery_seconds: number[] | string;
  lead_seconds: number[] | string;
  lead_flags: boolean[] | string;
}

/** PostgreSQL's percentile_cont: linear interpolation between the two closest ranks of the sorted values. */
export function percentileCont(sorted: Float64Array, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const low = sorted[lo] as number;
  if (hi === lo) return low;
  return low + (pos - lo) * ((sorted[hi] as number) - low);
}

interface Acc {
  deployments: number;
  failed: number;
  rework: number;
  recovered: number;
  unrecovered: number;
  recovery: number[];
  lead: number[];
  /** Rows with counted deployments / lead values: the group exists in the row query's result. */
  hasDeployments: boolean;
}

const newAcc = (): Acc => ({
  deployments: 0,
  failed: 0,
  rework: 0,
  recovered: 0,
  unrecovered: 0,
  recovery: [],
  lead: [],
  hasDeployments: false,
});

/** postgres.js parses int[] and boolean[]; an array in text form ({1,2}) is parsed here. */
function ints(v: number[] | string): number[] {
  if (Array.isArray(v)) return v;
  const inner = v.slice(1, -1);
  return inner ? inner.split(",").map(Number) : [];
}
function bools(v: boolean[] | string): boolean[] {
  if (Array.isArray(v)) return v;
  const inner = v.slice(1, -1);
  return inner ? inner.split(",").map((b) => b === "t" || b === "true") : [];
}

export async function rollupAggregates(
  db: Db,
  q: MetricQuery,
): Promise<{ deployments: ByTeam<DeploymentStats>; lead: ByTeam<LeadTimeStats> }> {
  const team = q.byTeam ? sql`coalesce(ts.team_id, tr.team_id, 0)` : sql`0`;
  const teamJoin = q.byTeam
    ? sql` join services ts on ts.id = m.service_id join repositories tr on tr.id = ts.repository_id`
    : sql``;
  const services = q.scope.serviceIds === null ? sql`true` : inList(sql`m.service_id`, q.scope.serviceIds);
  const flag = q.scope.tierMode ? sql`m.lead_first_in_tier` : sql`m.lead_first_in_environment`;
  const rows = await queryRows<RollupRow>(
    db,
    sql`select ${team}::int as team_id, to_char(m.day::timestamp, 'YYYY-MM-DD') as day, m.deployments, m.failed,
               m.rework, m.recovered, m.unrecovered, m.recovery_seconds, m.lead_seconds, ${flag} as lead_flags
        from metric_rollups m${teamJoin}
        where ${services} and ${inList(sql`m.environment`, q.scope.environments)}
          and ${rowsOfPeriods(q)}`,
  );

  // Accumulators by (team, slot): slot 0 the previous period, 1 the current one, 2 + n the current period's nth
  // bucket. Numbers, not strings: this loop runs once per rollup row.
  const groups = new Map<number, Acc>();
  const bucketIndex = new Map<string, number>();
  const bucketNames: string[] = [];
  const slotOf = (day: string) => {
    let i = bucketIndex.get(day);
    if (i === undefined) {
      const b = bucketStart(day, q.granularity, q.weekStart);
      i = bucketNames.indexOf(b);
      if (i < 0) i = bucketNames.push(b) - 1;
      bucketIndex.set(day, i);
    }
    return 2 + i;
  };
  const SLOTS = 1 << 20;
  const accOf = (team: number, slot: number) => {
    const key = (team + 2) * SLOTS + slot;
    let a = groups.get(key);
    if (!a) {
      a = newAcc();
      groups.set(key, a);
    }
    return a;
  };
  const withSeries = q.series !== false;
  const targets: Acc[] = [];
  for (const r of rows) {
    const current = r.day >= q.period.from;
    const slot = withSeries && current ? slotOf(r.day) : -1;
    targets.length = 0;
    for (const t of q.byTeam ? [Number(r.team_id), ALL_TEAMS] : [0]) {
      targets.push(accOf(t, current ? 1 : 0));
      if (slot >= 0) targets.push(accOf(t, slot));
    }
    const n = Number(r.deployments);
    const recovery = n > 0 ? ints(r.recovery_seconds) : [];
    const flags = bools(r.lead_flags);
    const values = ints(r.lead_seconds);
    for (const a of targets) {
      if (n > 0) {
        a.hasDeployments = true;
        a.deployments += n;
        a.failed += Number(r.failed);
        a.rework += Number(r.rework);
        a.recovered += Number(r.recovered);
        a.unrecovered += Number(r.unrecovered);
        for (const v of recovery) a.recovery.push(v);
      }
      for (let i = 0; i < values.length; i++) if (flags[i]) a.lead.push(values[i] as number);
    }
  }

  const deployments: ByTeam<DeploymentStats> = new Map();
  const lead: ByTeam<LeadTimeStats> = new Map();
  const slotFor = <T>(m: ByTeam<T>, t: number, empty: T): Grouped<T> => {
    let g = m.get(t);
    if (!g) {
      g = { current: empty, previous: empty, series: new Map() };
      m.set(t, g);
    }
    return g;
  };
  const EMPTY_LEAD: LeadTimeStats = { changes: 0, p50: null, p75: null, p90: null };
  for (const [key, a] of groups) {
    const teamId = Math.floor(key / SLOTS) - 2;
    const slot = key % SLOTS;
    const put = <T>(g: Grouped<T>, stats: T) => {
      if (slot === 0) g.previous = stats;
      else if (slot === 1) g.current = stats;
      else g.series.set(bucketNames[slot - 2] as string, stats);
    };
    if (a.hasDeployments) {
      const sorted = Float64Array.from(a.recovery).sort();
      put(slotFor(deployments, teamId, EMPTY_DEPLOYMENTS), {
        deployments: a.deployments,
        failed: a.failed,
        rework: a.rework,
        recovered: a.recovered,
        unrecovered: a.unrecovered,
        recoveryP50: percentileCont(sorted, 0.5),
        recoveryP90: percentileCont(sorted, 0.9),
      });
    }
    if (a.lead.length > 0) {
      const sorted = Float64Array.from(a.lead).sort();
      put(slotFor(lead, teamId, EMPTY_LEAD), {
        changes: sorted.length,
        p50: percentileCont(sorted, 0.5),
        p75: percentileCont(sorted, 0.75),
        p90: percentileCont(sorted, 0.9),
      });
    }
  }
  return { deployments, lead };
}

/**
 * Month rows for the whole months that lie inside one period (when the query reads by month, or has no series),
 * day rows for every other day of the range. A month straddling the two periods' boundary is read by day: its row
 * would put days of one period into the other. The range is the row queries' own (previous.from … period.to; days
 * before period.from count as previous).
 */
export function wholeMonths(
  q: Pick<MetricQuery, "period" | "previous" | "granularity" | "series">,
): string[] {
  if (q.granularity !== "month" && q.series !== false) return [];
  const out: string[] = [];
  const lastOfPrevious = addDays(q.period.from, -1);
  let m = `${q.previous.from.slice(0, 7)}-01`;
  while (m <= q.period.to) {
    const next = nextMonthStart(m);
    const last = addDays(next, -1);
    const inPrevious = m >= q.previous.from && last <= lastOfPrevious;
    const inCurrent = m >= q.period.from && last <= q.period.to;
    if (inPrevious || inCurrent) out.push(m);
    m = next;
  }
  return out;
}

function nextMonthStart(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, "0")}-01`;
}

function rowsOfPeriods(q: MetricQuery) {
  const months = wholeMonths(q);
  const range = sql`m.day between ${q.previous.from}::date and ${q.period.to}::date`;
  if (months.length === 0) return sql`m.grain = 'day' and ${range}`;
  const list = sql.join(
    months.map((d) => sql`${d}::date`),
    sql`, `,
  );
  return sql`((m.grain = 'month' and m.day in (${list}))
    or (m.grain = 'day' and ${range} and date_trunc('month', m.day::timestamp)::date not in (${list})))`;
}
