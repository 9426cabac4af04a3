import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { formatDuration } from "@/lib/format";
import { addDays, type Period } from "@/lib/metrics/period";
import { resolveScope } from "@/lib/metrics/scope";
import { inList, withinPeriod } from "@/lib/metrics/sql";
import type { Signal } from "./saydo";

/**
 * The measured signals beside each CALMS dimension (docs/calms.md § Say vs do), for one team over the 90 days up
 * to a round's close. Team scope is the dashboards' (lib/metrics/scope.ts): the services the team owns, in
 * production environments; pull requests and commits come from those services' repositories.
 */

export const SIGNAL_WINDOW_DAYS = 90;
const SMALL_PR_LINES = 400;
const DAY_SECONDS = 86_400;

export function signalWindow(closesOn: string, today: string): Period {
  const to = closesOn < today ? closesOn : today;
  return { from: addDays(to, -(SIGNAL_WINDOW_DAYS - 1)), to, days: SIGNAL_WINDOW_DAYS };
}

const SOURCES = {
  deployments: "production deployments: the GitHub source (Deployments API or workflow runs) or the push API",
  trigger:
    "who started each deployment: GitHub deployments created by a workflow, or the push API's `trigger` field",
  builds: "CI runs: GitHub Actions (read by the GitHub source) or builds sent to the push API",
  pulls: "pull requests: the GitHub source",
  incidents:
    "incidents: GitHub issues with an incident label (`incidents.labels` in the config) or the push API",
  members: "the team's members (Settings → Teams), to tell who is outside the team",
  reviews: "incident reviews (post-mortems): no source Throughline reads provides them yet",
  oncall: "an on-call roster (PagerDuty, Opsgenie): not a source Throughline reads yet",
};

type Row = Record<string, number | null>;

export async function teamSignals(db: Db, teamSlug: string, window: Period, zone: string): Promise<Signal[]> {
  const scope = await resolveScope(db, { team: teamSlug });
  const svc = inList(sql`d.service_id`, scope.serviceIds ?? []);
  const env = inList(sql`d.environment`, scope.environments);
  const repos = sql`(select distinct repository_id from services where ${inList(sql`id`, scope.serviceIds ?? [])})`;
  const inWindow = (col: string) => withinPeriod(sql.raw(col), window, zone);

  const [d] = await queryRows<Row>(
    db,
    sql`select count(*)::int as total,
          count(*) filter (where d.trigger = 'ci')::int as ci,
          count(*) filter (where d.trigger = 'manual')::int as manual,
          count(*) filter (where d.is_failed)::int as failed
        from deployments d
        where ${svc} and ${env} and d.status = 'success' and d.kind <> 'redeploy' and ${inWindow("d.finished_at")}`,
  );
  const [c] = await queryRows<Row>(
    db,
    sql`select count(*)::int as commits,
          count(*) filter (where exists (select 1 from ci_builds b where b.repository_id = c.repository_id and b.sha = c.sha))::int as built,
          (select count(*)::int from ci_builds b where b.repository_id in ${repos}) as builds_ever
        from commits c
        where c.repository_id in ${repos} and not c.is_bot and cardinality(c.parent_shas) < 2 and ${inWindow("c.committed_at")}`,
  );
  const [p] = await queryRows<Row>(
    db,
    sql`with pr as (
          select p.*, (p.additions + p.deletions) as size,
            extract(epoch from (p.first_review_at - coalesce(p.ready_at, p.created_at)))::float8 as review_wait,
            extract(epoch from (p.merged_at - coalesce(p.first_commit_at, p.created_at)))::float8 as age
          from pull_requests p
          where p.repository_id in ${repos} and p.state = 'merged' and not p.is_bot and ${inWindow("p.merged_at")}
        ), members as (select handle from team_members where team_id = ${scope.team?.id ?? -1})
        select count(*)::int as merged,
          count(*) filter (where size <= ${SMALL_PR_LINES})::int as small,
          (percentile_cont(0.5) within group (order by size))::float8 as median_size,
          count(*) filter (where review_wait is not null and review_wait <= ${DAY_SECONDS})::int as reviewed_in_day,
          (percentile_cont(0.5) within group (order by review_wait))::float8 as median_wait,
          count(*) filter (where age <= ${DAY_SECONDS})::int as merged_in_day,
          count(*) filter (where cardinality(reviewer_logins) > 0)::int as reviewed,
          count(*) filter (where exists (select 1 from unnest(reviewer_logins) r
            where lower(r) not in (select handle from members) and r not ilike '%[bot]'))::int as cross_team,
          (select count(*)::int from members) as members
        from pr`,
  );
  const people = await queryRows<{ repo: string; people: number }>(
    db,
    sql`select r.full_name as repo, count(distinct lower(p.author_login))::int as people
        from pull_requests p join repositories r on r.id = p.repository_id
        where p.repository_id in ${repos} and p.state = 'merged' and not p.is_bot and p.author_login is not null
          and ${inWindow("p.merged_at")}
        group by r.full_name order by r.full_name`,
  );
  const incidentScope = sql`(${inList(sql`i.service_id`, scope.serviceIds ?? [])} or (i.service_id is null and i.repository_id in ${repos}))`;
  const [i] = await queryRows<Row>(
    db,
    sql`select count(*)::int as incidents,
          count(*) filter (where i.resolved_at is not null)::int as resolved,
          count(*) filter (where i.linked_deployment_id is not null)::int as linked,
          (select count(*)::int from incidents) as org_incidents
        from incidents i where ${incidentScope} and ${inWindow("i.opened_at")}`,
  );
  return buildSignals({ d: d ?? {}, c: c ?? {}, p: p ?? {}, i: i ?? {}, people });
}

const n = (row: Row, key: string) => Number(row[key] ?? 0);
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Pure: turns the counts into signals, with the source that would fill each gap. Exported for tests. */
export function buildSignals(x: {
  d: Row;
  c: Row;
  p: Row;
  i: Row;
  people: { repo: string; people: number }[];
}): Signal[] {
  const { d, c, p, i } = x;
  const known = n(d, "ci") + n(d, "manual");
  const merged = n(p, "merged");
  const incidents = n(i, "incidents");
  const out: Signal[] = [];
  const push = (s: Omit<Signal, "missing"> & { missing?: string | null }) =>
    out.push({ missing: null, ...s });

  push({
    id: "incident_reviews",
    block: "culture",
    label: "Incidents with a blameless review",
    itemKey: "C1",
    value: null,
    unit: "share",
    detail: "",
    comparable: true,
    missing: SOURCES.reviews,
  });
  push({
    id: "builders_on_call",
    block: "culture",
    label: "Builders on the service's on-call rotation",
    itemKey: "C2",
    value: null,
    unit: "share",
    detail: "",
    comparable: true,
    missing: SOURCES.oncall,
  });
  push({
    id: "ci_deployments",
    block: "automation",
    label: "Production deployments started by CI",
    itemKey: "A2",
    value: share(n(d, "ci"), known),
    unit: "share",
    detail: `${n(d, "ci")} of ${known} production deployments whose trigger is known`,
    comparable: true,
    missing: n(d, "total") === 0 ? SOURCES.deployments : known === 0 ? SOURCES.trigger : null,
  });
  push({
    id: "built_commits",
    block: "automation",
    label: "Main-branch commits with a CI build",
    itemKey: "A1",
    value: n(c, "builds_ever") > 0 ? share(n(c, "built"), n(c, "commits")) : null,
    unit: "share",
    detail: `${n(c, "built")} of ${n(c, "commits")} commits`,
    comparable: true,
    missing: n(c, "builds_ever") === 0 ? SOURCES.builds : n(c, "commits") === 0 ? SOURCES.pulls : null,
  });
  const medianSize = p.median_size ?? null;
  push({
    id: "small_prs",
    block: "lean",
    label: `Merged pull requests of ${SMALL_PR_LINES} changed lines or fewer`,
    itemKey: "L1",
    value: share(n(p, "small"), merged),
    unit: "share",
    detail: `${n(p, "small")} of ${merged} pull requests; median ${medianSize === null ? "–" : Math.round(medianSize)} lines`,
    comparable: true,
    missing: merged === 0 ? SOURCES.pulls : null,
  });
  const wait = p.median_wait ?? null;
  push({
    id: "first_review_in_a_day",
    block: "lean",
    label: "Pull requests with a first review within 24 hours",
    itemKey: "L4",
    value: share(n(p, "reviewed_in_day"), merged),
    unit: "share",
    detail: `${n(p, "reviewed_in_day")} of ${merged} merged pull requests; median wait ${formatDuration(wait)}`,
    comparable: true,
    missing: merged === 0 ? SOURCES.pulls : null,
  });
  push({
    id: "merged_in_a_day",
    block: "lean",
    label: "Pull requests merged within 24 hours of their first commit",
    itemKey: "L3",
    value: share(n(p, "merged_in_day"), merged),
    unit: "share",
    detail: `${n(p, "merged_in_day")} of ${merged} merged pull requests`,
    comparable: true,
    missing: merged === 0 ? SOURCES.pulls : null,
  });
  const failed = n(d, "failed");
  const noIncidents = incidents === 0;
  push({
    id: "incidents_resolved",
    block: "measurement",
    label: "Incidents recorded with a resolution time",
    itemKey: "M2",
    value: share(n(i, "resolved"), incidents),
    unit: "share",
    detail: noIncidents
      ? failed > 0
        ? `no incident recorded, while ${failed} production deployments failed: are incidents reported?`
        : "no incident in the period"
      : `${n(i, "resolved")} of ${incidents} incidents`,
    comparable: true,
    missing: n(i, "org_incidents") === 0 ? SOURCES.incidents : null,
  });
  push({
    id: "incidents_linked",
    block: "measurement",
    label: "Incidents tied to the deployment that caused them",
    itemKey: "M3",
    value: share(n(i, "linked"), incidents),
    unit: "share",
    detail: noIncidents ? "no incident in the period" : `${n(i, "linked")} of ${incidents} incidents`,
    comparable: true,
    missing: n(i, "org_incidents") === 0 ? SOURCES.incidents : null,
  });
  const reviewed = n(p, "reviewed");
  push({
    id: "cross_team_reviews",
    block: "sharing",
    label: "Reviewed pull requests with a reviewer from outside the team",
    itemKey: "S3",
    value: n(p, "members") > 0 ? share(n(p, "cross_team"), reviewed) : null,
    unit: "share",
    detail: `${n(p, "cross_team")} of ${reviewed} reviewed pull requests`,
    // Not every change needs an outside reviewer: the share is context, not the frequency the statement asks.
    comparable: false,
    missing: n(p, "members") === 0 ? SOURCES.members : merged === 0 ? SOURCES.pulls : null,
  });
  const counts = x.people.map((r) => r.people);
  const single = x.people.filter((r) => r.people < 2);
  push({
    id: "people_per_repository",
    block: "sharing",
    label: "People who shipped to each repository (fewest)",
    itemKey: "S4",
    value: counts.length ? Math.min(...counts) : null,
    unit: "count",
    detail: counts.length
      ? `${x.people.map((r) => `${r.repo}: ${r.people}`).join(" · ")}${single.length ? `; ${single.length} with a single person` : ""}`
      : "",
    comparable: false,
    missing: counts.length === 0 ? SOURCES.pulls : null,
  });
  return out;
}
