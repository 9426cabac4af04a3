import type {
  BreakdownBar,
  BreakdownSegment,
  DeploymentBar,
  LeadTimePoint,
  RatePoint,
  RecoveryPoint,
} from "@/lib/charts/mappers";
import type { WeekStart } from "@/lib/domain/vocabulary";
import type { Band, MetricKey } from "@/lib/metrics/bands";
import type { Dashboard } from "@/lib/metrics/dashboard";
import type { Granularity } from "@/lib/metrics/period";
import type { QualityNote } from "@/lib/metrics/quality";
import type { BreakdownStats } from "@/lib/metrics/queries";
import type { Trend } from "@/lib/metrics/trend";
import type { FocusArea } from "@/lib/pipeline/improve";
import type { ReportPeriods } from "./period";

/**
 * The report model: everything the PDF, the printable page, the CSVs and the JSON show, assembled once by
 * buildReport (lib/reports/build.ts). Renderers format; they never query or compute a figure.
 */

/** One of the five DORA metrics as the summary shows it. */
export interface MetricSummary {
  key: MetricKey;
  name: string;
  /** "1.4 / week", "13 h", "33.3%"; "–" without data. */
  value: string;
  band: Band | null;
  /** "+23%", "−4.2 pp", "no clear change", "no data to compare". */
  change: string;
  direction: Trend["direction"];
  /** The 95 % interval of the change ("−15% to +11%"), or null; docs/metrics.md § Trends. */
  interval: string | null;
  /** The same figure in the previous period: "1.1 / month". */
  previous: string;
  /** What the figure is computed from: "6 deployments in 31 days". */
  sample: string;
  /** Percentiles or other detail: "p75 2.5 d · p90 5.8 d". */
  detail: string | null;
  /** Size of the sample: deployments, changes or recovered failures. */
  sampleSize: number;
}

/** One sentence of the summary, generated from the data (lib/reports/narrative.ts). */
export interface Sentence {
  tone: "better" | "worse" | "flat" | "info";
  text: string;
}

/** A row of the per-team table of an org report (alphabetical: no league table). */
export interface TeamReportRow {
  slug: string;
  name: string;
  repositories: number;
  metrics: Dashboard["metrics"];
  series: Dashboard["series"];
  summary: MetricSummary[];
}

/** What the report's charts draw: the dashboard's own mappers' output (lib/charts/mappers.ts). */
export interface ReportCharts {
  granularity: Granularity;
  deployments: DeploymentBar[];
  leadTime: LeadTimePoint[];
  rates: RatePoint[];
  recovery: RecoveryPoint[];
  breakdown: { stats: BreakdownStats; segments: BreakdownSegment[]; bars: BreakdownBar[] };
}

export interface DataQuality {
  /** Which sources fed the report: "Deployments" → "github, api". */
  sources: { label: string; value: string }[];
  /** Production environments pooled in the figures. */
  environments: string[];
  notes: QualityNote[];
}

export interface MetricDefinition {
  key: MetricKey;
  name: string;
  definition: string;
  /** The band cut-offs in words: "Elite: 7 or more a week · High: …". */
  bands: string;
}

/**
 * CALMS results of the latest survey round, for the report's CALMS section. Whoever fills it (lib/reports/calms.ts)
 * applies the anonymity rules first: every renderer shows what is here and nothing else, so a score that must stay
 * hidden is null with a hiddenReason, never a number.
 */
export interface CalmsReportSection {
  /** The survey round the results come from. */
  round: {
    name: string;
    closedOn: string | null;
    responses: number;
    /** Responses / members listed (0–1; above 1 when the member list is out of date); null when unknown. */
    responseRate?: number | null;
  };
  /** The answer scale of every score, e.g. { min: 1, max: 5 }. */
  scale: { min: number; max: number };
  /** The five dimensions in C-A-L-M-S order, for the report's scope (org or team). */
  dimensions: CalmsDimensionScore[];
  /** Org reports: one row per team, scores in the order of `dimensions`. */
  teams?: {
    slug: string;
    name: string;
    responses: number;
    /** As `round.responseRate`, for the team. */
    responseRate?: number | null;
    scores: (number | null)[];
    hiddenReason?: string;
  }[];
  /** Say vs do: what the survey says beside what the DORA figures show, in plain sentences. */
  sayDo: { dimension: string; level: "info" | "warning"; message: string }[];
  /** Deterministic sentences for the summary page's "In brief", after the DORA sentences. */
  highlights: string[];
  /** Coverage and anonymity notes: "Teams with fewer than 5 responses are not shown." */
  notes: string[];
}

export interface CalmsDimensionScore {
  key: string;
  name: string;
  /** null: hidden by the anonymity rules, or no answers. */
  score: number | null;
  previous: number | null;
  responses: number;
  hiddenReason?: string;
}

export interface Report {
  kind: "org" | "team";
  /** The team's name, or the org's for an org report. */
  title: string;
  org: { name: string; timeZone: string; weekStart: WeekStart };
  team: { slug: string; name: string; description: string } | null;
  periods: ReportPeriods;
  /** ISO instant. */
  generatedAt: string;
  /** The figures, as the dashboard computes them for the same slice and periods. */
  dashboard: Dashboard;
  summary: MetricSummary[];
  narrative: Sentence[];
  charts: ReportCharts;
  /** Org reports only. */
  teams: TeamReportRow[] | null;
  /** Org reports: deployments of repositories no team owns (in the org figures, in no team's row). */
  unownedDeployments: number;
  quality: DataQuality;
  definitions: MetricDefinition[];
  /** "Where to focus" (docs/improve.md): at most three areas, ranked, with their evidence; empty in a report built
   * for a CSV export alone (ReportInput.focus). */
  focus: FocusArea[];
  /** The CALMS section: present once a survey round has results (lib/reports/calms.ts). */
  calms?: CalmsReportSection;
}
