import type { Db } from "@/lib/db";
import type { Dashboard } from "@/lib/metrics/dashboard";
import { bucketRange, type Granularity } from "@/lib/metrics/period";
import { type Cell, csvHeader, csvLines, toCsv } from "./csv";
import { DEFAULT_BATCH, type KeysetSource, keysetBatches } from "./keyset";
import { localTimeFormatter } from "./local-time";
import { changeSource, deploymentSource, incidentSource, pullRequestSource } from "./queries";
import type { Report } from "./types";

/**
 * The report's CSV datasets (columns documented in README § Reports). Durations are in hours, rates in percent,
 * instants in the org's time zone as `YYYY-MM-DD HH:MM:SS`: what a spreadsheet reads without help. Deployment ids
 * tie the files together (changes.deployment_id, pull-requests.deployment_id, incidents.linked_deployment_id).
 */

export const DATASETS = ["metrics", "deployments", "changes", "pull-requests", "incidents", "calms"] as const;
export type Dataset = (typeof DATASETS)[number];

const round = (n: number | null | undefined, digits: number): number | null =>
  n === null || n === undefined ? null : Number(n.toFixed(digits));
const hours = (seconds: unknown): number | null =>
  seconds === null || seconds === undefined ? null : round(Number(seconds) / 3_600, 3);
const pct = (rate: number | null): number | null => (rate === null ? null : round(rate * 100, 2));

/** `YYYY-MM-DD HH:MM:SS` in the org's zone (the sv-SE locale writes ISO order). An export uses one formatter. */
export function localTime(isoUtc: unknown, zone: string): string | null {
  return localTimeFormatter(zone)(isoUtc);
}

// biome-ignore format: columns in groups, not one per line
const METRIC_COLUMNS = [
  "scope", "team", "team_name", "row", "from", "to", "days",
  "deployments", "deployments_per_week", "changes", "lead_time_median_hours", "lead_time_p75_hours",
  "lead_time_p90_hours", "failed_deployments", "change_failure_rate_pct", "recovered_failures",
  "unrecovered_failures", "recovery_median_hours", "recovery_p90_hours", "rework_deployments", "rework_rate_pct",
  "deployment_frequency_band", "lead_time_band", "change_failure_rate_band", "recovery_time_band", "rework_rate_band",
] as const;

function metricRows(
  who: { scope: "org" | "team"; slug: string | null; name: string },
  metrics: Dashboard["metrics"],
  series: Dashboard["series"],
  r: Report,
): Cell[][] {
  const head = [who.scope, who.slug, who.name];
  const whole = (row: "period" | "previous", side: "current" | "previous"): Cell[] => {
    const p = row === "period" ? r.periods.period : r.periods.previous;
    const m = metrics;
    const band = (b: string | null) => (row === "period" ? b : null);
    // biome-ignore format: cells in METRIC_COLUMNS order
    return [
      ...head, row, p.from, p.to, p.days,
      m.deploymentFrequency[side].deployments, round(m.deploymentFrequency[side].perWeek, 3),
      m.changeLeadTime[side].changes, hours(m.changeLeadTime[side].median), hours(m.changeLeadTime[side].p75),
      hours(m.changeLeadTime[side].p90), m.changeFailureRate[side].numerator, pct(m.changeFailureRate[side].rate),
      m.recoveryTime[side].recovered, m.recoveryTime[side].unrecovered, hours(m.recoveryTime[side].median),
      hours(m.recoveryTime[side].p90), m.reworkRate[side].numerator, pct(m.reworkRate[side].rate),
      band(m.deploymentFrequency.band), band(m.changeLeadTime.band), band(m.changeFailureRate.band),
      band(m.recoveryTime.band), band(m.reworkRate.band),
    ];
  };
  const g: Granularity = r.charts.granularity;
  const buckets = series.map((s): Cell[] => {
    const { from, to } = bucketRange(s.bucket, g, r.periods.period);
    // biome-ignore format: cells in METRIC_COLUMNS order
    return [
      ...head, g, from, to, s.days, s.deployments, round((s.deployments / s.days) * 7, 3), s.changes,
      hours(s.leadTimeP50), hours(s.leadTimeP75), hours(s.leadTimeP90), s.failed, pct(s.changeFailureRate),
      s.recovered, null, hours(s.recoveryP50), null, s.rework, pct(s.reworkRate), null, null, null, null, null,
    ];
  });
  return [whole("period", "current"), whole("previous", "previous"), ...buckets];
}

/** metrics.csv: the report's scope, then (org reports) every team: the period, the previous one, each bucket. */
export function metricsCsv(r: Report): string {
  const d = r.dashboard;
  const rows = [
    ...metricRows(
      r.team
        ? { scope: "team", slug: r.team.slug, name: r.team.name }
        : { scope: "org", slug: null, name: r.org.name },
      d.metrics,
      d.series,
      r,
    ),
    ...(r.teams ?? []).flatMap((t) =>
      metricRows({ scope: "team", slug: t.slug, name: t.name }, t.metrics, t.series, r),
    ),
  ];
  return toCsv(METRIC_COLUMNS, rows);
}

export function calmsCsv(r: Report): string {
  const columns = [
    "scope",
    "team",
    "team_name",
    "round",
    "dimension",
    "score",
    "previous_score",
    "scale_max",
    "responses",
    "response_rate_pct",
    "note",
  ];
  const c = r.calms;
  const pct = (x: number | null | undefined) =>
    x === null || x === undefined ? null : Math.round(x * 1000) / 10;
  if (!c) return toCsv(columns, []);
  const own = c.dimensions.map((d): Cell[] => [
    r.kind,
    r.team?.slug ?? null,
    r.title,
    c.round.name,
    d.name,
    d.score,
    d.previous,
    c.scale.max,
    d.responses,
    pct(c.round.responseRate),
    d.hiddenReason ?? null,
  ]);
  const teams = (c.teams ?? []).flatMap((t) =>
    c.dimensions.map((d, i): Cell[] => [
      "team",
      t.slug,
      t.name,
      c.round.name,
      d.name,
      t.scores[i] ?? null,
      null,
      c.scale.max,
      t.responses,
      pct(t.responseRate),
      t.hiddenReason ?? null,
    ]),
  );
  return toCsv(columns, [...own, ...teams]);
}

/** One dataset as CSV text (tests and small exports; an export streams datasetChunks). */
export async function datasetCsv(db: Db, r: Report, dataset: Dataset): Promise<string> {
  let text = "";
  for await (const chunk of datasetChunks(db, r, dataset)) text += chunk;
  return text;
}

type Row = Record<string, unknown>;

/** A raw dataset: its columns, where its rows come from, and one row's cells. */
interface RawDataset {
  columns: readonly string[];
  source: KeysetSource;
  cells(x: Row): Cell[];
}

/**
 * One dataset as CSV text in chunks: the header, then one chunk per keyset batch (lib/reports/keyset.ts), so an
 * export of any size holds one batch. The raw datasets query the same slice and period as the report; the bytes
 * are those toCsv writes for the whole dataset.
 */
export async function* datasetChunks(
  db: Db,
  r: Report,
  dataset: Dataset,
  batch: number = DEFAULT_BATCH,
): AsyncGenerator<string> {
  if (dataset === "metrics") return yield metricsCsv(r);
  if (dataset === "calms") return yield calmsCsv(r);
  const raw = rawDataset(r, dataset);
  yield csvHeader(raw.columns);
  for await (const rows of keysetBatches<Row>(db, raw.source, batch)) yield csvLines(rows.map(raw.cells));
}

function rawDataset(r: Report, dataset: Exclude<Dataset, "metrics" | "calms">): RawDataset {
  const scope = r.dashboard.scope;
  const p = r.periods.period;
  const z = r.org.timeZone;
  const t = localTimeFormatter(z);
  const h = hours;
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const b = (v: unknown) => Boolean(v);
  switch (dataset) {
    case "deployments":
      // biome-ignore format: columns and cells side by side
      return {
        columns: ["deployment_id", "team", "repository", "service", "environment", "status", "kind", "live_at",
          "created_at", "sha", "source", "counted", "changes", "failed", "failure_reasons", "recovery_hours",
          "rework", "rework_reasons", "attribution"],
        source: deploymentSource(scope, p, z),
        cells: (x) => [
          n(x.id), s(x.team), s(x.repository), s(x.service), s(x.environment), s(x.status), s(x.kind),
          t(x.finished_at), t(x.created_at), s(x.sha), s(x.source), b(x.is_counted), n(x.change_count), b(x.is_failed),
          s(x.failure_reasons), h(x.recovery_seconds), b(x.is_rework), s(x.rework_reasons), s(x.attribution),
        ],
      };
    case "changes":
      // biome-ignore format: columns and cells side by side
      return {
        columns: ["deployment_id", "repository", "service", "environment", "deployed_at", "commit_sha", "commit_title",
          "pull_request", "started_at", "lead_time_hours", "bot", "merge_commit", "counted_in_lead_time"],
        source: changeSource(scope, p, z),
        cells: (x) => [
          n(x.deployment_id), s(x.repository), s(x.service), s(x.environment), t(x.deployed_at), s(x.sha), s(x.title),
          n(x.pull_request), t(x.started_at), h(x.lead_seconds), b(x.is_bot), b(x.is_merge), b(x.counted),
        ],
      };
    case "pull-requests":
      // biome-ignore format: columns and cells side by side
      return {
        columns: ["repository", "service", "team", "number", "title", "url", "merge_method", "first_commit_at",
          "ready_at", "first_review_at", "merged_at", "deployed_at", "deployment_id", "coding_hours", "pickup_hours",
          "review_hours", "deploy_hours", "total_hours", "revert", "hotfix", "bot", "in_breakdown"],
        source: pullRequestSource(scope, p, z),
        cells: (x) => [
          s(x.repository), s(x.service), s(x.team), n(x.number), s(x.title), s(x.url), s(x.merge_method),
          t(x.first_commit_at), t(x.ready_at), t(x.first_review_at), t(x.merged_at), t(x.deployed_at),
          n(x.deployment_id), h(x.coding_seconds), h(x.pickup_seconds), h(x.review_seconds), h(x.deploy_seconds),
          h(x.total_seconds), b(x.is_revert), b(x.is_hotfix), b(x.is_bot), b(x.in_breakdown),
        ],
      };
    case "incidents":
      // biome-ignore format: columns and cells side by side
      return {
        columns: ["incident_id", "source", "external_id", "title", "url", "repository", "service", "severity",
          "opened_at", "resolved_at", "hours_to_resolve", "linked_deployment_id", "link_method",
          "restored_by_deployment_id"],
        source: incidentSource(scope, p, z),
        cells: (x) => [
          n(x.id), s(x.source), s(x.external_id), s(x.title), s(x.url), s(x.repository), s(x.service), s(x.severity),
          t(x.opened_at), t(x.resolved_at), h(x.resolve_seconds), n(x.linked_deployment_id),
          s(x.link_method) ?? "unlinked", n(x.restored_by_deployment_id),
        ],
      };
  }
}
