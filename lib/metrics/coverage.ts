import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import type { LocalDate, Period } from "./period";
import { ALL_TEAMS } from "./queries";
import type { Scope } from "./scope";
import { inList } from "./sql";

/**
 * When a slice's deployment data starts: the local date of its first recorded deployment (any status). A period
 * that ends before it has no data, which is not the same as zero deployments: its frequency is null, has no band,
 * and no trend is drawn from it (docs/metrics.md § No data is not zero). One index-range read per slice
 * (deployments_service_env_finished_idx); with byTeam, grouped by owning team like the overview's metrics, and
 * ALL_TEAMS for the whole scope.
 */
export async function dataSince(
  db: Db,
  scope: Pick<Scope, "serviceIds" | "environments">,
  zone: string,
  byTeam = false,
): Promise<Map<number, LocalDate>> {
  const services = scope.serviceIds === null ? sql`true` : inList(sql`d.service_id`, scope.serviceIds);
  const since = sql`to_char(min(coalesce(d.finished_at, d.created_at)) at time zone ${zone}::text, 'YYYY-MM-DD')`;
  const where = sql`${services} and ${inList(sql`d.environment`, scope.environments)}`;
  // A service's own owner wins over its repository's (as in lib/metrics/queries.ts).
  const team = sql`coalesce(ts.team_id, tr.team_id, 0)`;
  const rows = await queryRows<{ team_id: number; since: string | null }>(
    db,
    byTeam
      ? sql`select case when grouping(${team}) = 1 then ${ALL_TEAMS} else ${team} end::int as team_id, ${since} as since
            from deployments d join services ts on ts.id = d.service_id join repositories tr on tr.id = ts.repository_id
            where ${where}
            group by grouping sets ((${team}), ())`
      : sql`select 0 as team_id, ${since} as since from deployments d where ${where}`,
  );
  const out = new Map<number, LocalDate>();
  for (const r of rows) if (r.since) out.set(Number(r.team_id), r.since);
  return out;
}

/** Whether a period holds data: some deployment was recorded on or before its last day. */
export function covers(since: LocalDate | undefined, p: Period): boolean {
  return since !== undefined && since <= p.to;
}
