import type { Granularity } from "@/lib/metrics/period";
import type { Trend } from "@/lib/metrics/trend";
import type { PipelineChange } from "@/lib/pipeline";
import type { PipelineStages, StageKey } from "@/lib/pipeline/stages";
import { bucketLabel } from "./mappers";

/**
 * Pure mappers from pipeline figures to what the pipeline page draws: the stage flow (a bar whose segments are the
 * stages' shares of lead time, and a box per stage), the trend per stage, and the changes behind a stage.
 */

export const STAGE_COLORS: Record<StageKey, string> = {
  coding: "var(--stage-coding)",
  pickup: "var(--stage-pickup)",
  review: "var(--stage-review)",
  waitCi: "var(--stage-ci-wait)",
  ci: "var(--stage-ci)",
  waitDeploy: "var(--stage-deploy-wait)",
  deploy: "var(--stage-deploy)",
};

/** What each stage measures, in one line (docs/metrics.md § Pipeline stages). */
export const STAGE_HELP: Record<StageKey, string> = {
  coding: "first commit → ready for review",
  pickup: "ready → first review",
  review: "first review → merge",
  waitCi: "merge → CI asked for",
  ci: "CI asked for → last run done",
  waitDeploy: "CI done → deployment starts",
  deploy: "deployment starts → live",
};

/** Segments narrower than this (percent of the bar) are drawn at this width so that every stage stays visible. */
export const MIN_SEGMENT = 1.5;

export interface FlowStep {
  key: StageKey;
  label: string;
  help: string;
  color: string;
  median: number | null;
  p90: number | null;
  n: number;
  /** 0–1 of all lead time; null without changes. */
  share: number | null;
  /** Width of its segment in the bar, percent; 0 when the stage took no time. */
  width: number;
  trend: Trend;
}

export function toStageFlow(stages: PipelineStages): FlowStep[] {
  return stages.stages.map((s) => ({
    key: s.key,
    label: s.label,
    help: STAGE_HELP[s.key],
    color: STAGE_COLORS[s.key],
    median: s.p50,
    p90: s.p90,
    n: s.n,
    share: s.share,
    width: !s.share ? 0 : Math.max(MIN_SEGMENT, Math.round(s.share * 1000) / 10),
    trend: s.trend,
  }));
}

export interface StageTrendPoint {
  label: string;
  /** Median in hours (the charts' unit); null where no change had this stage. */
  hours: number | null;
  changes: number;
}

export interface StageTrend {
  key: StageKey;
  label: string;
  color: string;
  points: StageTrendPoint[];
}

export function toStageTrends(stages: PipelineStages, granularity: Granularity): StageTrend[] {
  return stages.stages.map((s) => ({
    key: s.key,
    label: s.label,
    color: STAGE_COLORS[s.key],
    points: s.series.map((b) => ({
      label: bucketLabel(b.bucket, granularity),
      hours: b.p50 === null ? null : b.p50 / 3600,
      changes: b.n,
    })),
  }));
}

/** The changes behind a stage, longest in it first (ties: repository, then number), at most `limit`. */
export function changesForStage(
  changes: readonly PipelineChange[],
  stage: StageKey,
  limit = 50,
): PipelineChange[] {
  return changes
    .filter((c) => c.spans[stage] !== null)
    .sort(
      (a, b) =>
        (b.spans[stage] as number) - (a.spans[stage] as number) ||
        a.repository.localeCompare(b.repository) ||
        a.number - b.number,
    )
    .slice(0, limit);
}

export const isStageKey = (v: string | null | undefined): v is StageKey =>
  v !== null && v !== undefined && v in STAGE_COLORS;
