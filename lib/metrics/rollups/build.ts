import { type SQL, sql } from "drizzle-orm";
import { countsInLeadTime } from "../sql";

/**
 * The rollup rows of one grain of one repository (or of every repository: `repositoryId` null), from the local day
 * (or month) of `from` on (null: every day), in `zone`. The same predicates as the exact queries (lib/metrics/queries.ts): counted
 * deployments by the day they went live; changes lead time counts, first delivered to the environment or to the
 * tier, by the day they were delivered. Deployments and changes of one service, environment and day share a row.
 */
export function rollupRowsInsert(
  repositoryId: number | null,
  from: Date | null,
  zone: string,
  grain: "day" | "month",
): SQL {
  const start = from === null ? null : grainStart(from, zone, grain);
  const since = (col: SQL) =>
    start === null ? sql`true` : sql`${col} >= ((${start}::timestamp) at time zone ${zone}::text)`;
  const ofRepository = (col: SQL) => (repositoryId === null ? sql`true` : sql`${col} = ${repositoryId}`);
  const day = (col: SQL) =>
    grain === "day"
      ? sql`(${col} at time zone ${zone}::text)::date`
      : sql`date_trunc('month', ${col} at time zone ${zone}::text)::date`;
  return sql`
    insert into metric_rollups (service_id, environment, grain, day, repository_id, deployments, failed, rework,
      recovered, unrecovered, recovery_seconds, lead_seconds, lead_first_in_environment, lead_first_in_tier)
    select k.service_id, k.environment, ${grain}, k.day, s.repository_id,
           coalesce(k.deployments, 0), coalesce(k.failed, 0), coalesce(k.rework, 0), coalesce(k.recovered, 0),
           coalesce(k.unrecovered, 0), coalesce(k.recovery_seconds, '{}'), coalesce(k.lead_seconds, '{}'),
           coalesce(k.lead_first_in_environment, '{}'), coalesce(k.lead_first_in_tier, '{}')
    from (
      select * from (
        select d.service_id, d.environment, ${day(sql`d.finished_at`)} as day,
               count(*)::int as deployments,
               count(*) filter (where d.is_failed)::int as failed,
               count(*) filter (where d.is_rework)::int as rework,
               count(*) filter (where d.is_failed and d.recovery_seconds is not null)::int as recovered,
               count(*) filter (where d.is_failed and d.recovery_seconds is null)::int as unrecovered,
               array_agg(d.recovery_seconds) filter (where d.is_failed and d.recovery_seconds is not null) as recovery_seconds
        from deployments d
        where d.is_counted and ${ofRepository(sql`d.repository_id`)} and ${since(sql`d.finished_at`)}
        group by 1, 2, 3
      ) dd
      full join (
        select c.service_id, c.environment, ${day(sql`c.deployed_at`)} as day,
               array_agg(c.lead_seconds) as lead_seconds,
               array_agg(c.first_in_environment) as lead_first_in_environment,
               array_agg(c.first_in_tier) as lead_first_in_tier
        from deployment_changes c
        where ${countsInLeadTime("c")} and (c.first_in_environment or c.first_in_tier)
          and ${
            repositoryId === null
              ? sql`true`
              : sql`c.service_id in (select id from services where repository_id = ${repositoryId})`
          }
          and ${since(sql`c.deployed_at`)}
        group by 1, 2, 3
      ) cc using (service_id, environment, day)
    ) k
    join services s on s.id = k.service_id`;
}

/** The local date (SQL) the rows of `grain` containing instant `from` start on. */
function grainStart(from: Date, zone: string, grain: "day" | "month"): SQL {
  const local = sql`(${from.toISOString()}::timestamptz at time zone ${zone}::text)`;
  return grain === "day" ? sql`${local}::date` : sql`date_trunc('month', ${local})::date`;
}

/** The rows of `grain` that `rollupRowsInsert` replaces. */
export function rollupRowsDelete(
  repositoryId: number,
  from: Date | null,
  zone: string,
  grain: "day" | "month",
): SQL {
  return sql`delete from metric_rollups where repository_id = ${repositoryId} and grain = ${grain}${
    from === null ? sql`` : sql` and day >= ${grainStart(from, zone, grain)}`
  }`;
}
