import type { Db } from "@/lib/db";
import { type Dashboard, type DashboardInput, getDashboard } from "@/lib/metrics/dashboard";
import { bucketsOf, localDate } from "@/lib/metrics/period";
import { teamCalmsAnswers } from "./calms";
import { type CiHealth, ciHealth } from "./ci-health";
import { type CalmsAnswers, type Candidate, candidates, type FocusArea, focusAreas } from "./improve";
import { loadBuilds, loadChanges } from "./queries";
import {
  type ChangeFacts,
  type PipelineStages,
  type StageSpans,
  stageSpans,
  summariseStages,
} from "./stages";

/**
 * Everything the pipeline view, its API and the report's "Where to focus" show for one slice and period: stage
 * times per change, CI health, and the ranked focus areas with their evidence. Durations in seconds, rates 0–1.
 */

export interface PipelineChange extends Omit<ChangeFacts, "ciRuns"> {
  spans: StageSpans;
  ciRuns: number;
}

export interface Pipeline {
  dashboard: Pick<Dashboard, "scope" | "period" | "previousPeriod" | "granularity" | "timeZone" | "metrics">;
  stages: PipelineStages;
  ci: { current: CiHealth; previous: CiHealth };
  focus: FocusArea[];
  /** Every area with the rule's verdict, eligible or not (docs/improve.md), for the "why not" view. */
  candidates: Candidate[];
  calms: CalmsAnswers;
  /** The current period's changes with their stage times (the drill-down behind each stage). */
  changes: PipelineChange[];
}

export async function getPipeline(db: Db, input: DashboardInput): Promise<Pipeline> {
  return pipelineOf(db, await getDashboard(db, input), input.now);
}

/** What the pipeline reads for a dashboard: the changes and CI runs of the periods in `q`, and the team's answers. */
async function load(db: Db, d: Dashboard, previous: Dashboard["previousPeriod"], at?: Date) {
  const q = {
    scope: d.scope,
    period: d.period,
    previous,
    granularity: d.granularity,
    zone: d.timeZone,
    weekStart: d.weekStart,
  };
  const [changes, builds, calms] = await Promise.all([
    loadChanges(db, q),
    loadBuilds(db, q),
    teamCalmsAnswers(db, d.scope.team, localDate(d.timeZone, at ?? new Date())),
  ]);
  const stages = summariseStages(changes, bucketsOf(d.period, d.granularity, d.weekStart));
  const now = (at ?? new Date()).getTime();
  const current = ciHealth(builds.current, builds.bounds.current[0], Math.min(builds.bounds.current[1], now));
  const m = d.metrics;
  const focusInput = {
    changes,
    stages,
    failureRate: {
      rate: m.changeFailureRate.current.rate,
      failed: m.changeFailureRate.current.numerator,
      deployments: m.changeFailureRate.current.deployments,
    },
    recovery: m.recoveryTime.current,
    ci: current,
    calms,
  };
  return { changes, builds, calms, stages, current, focusInput };
}

/**
 * "Where to focus" alone (the report's page): the areas weigh the current period only (no trend, no previous
 * figure), so only the current period is read, half of what pipelineOf reads (an org year: 130,000 CI runs fewer).
 * Equal to pipelineOf(…).focus (test/integration/pipeline-focus.test.ts).
 */
export async function focusOf(db: Db, d: Dashboard, at?: Date): Promise<FocusArea[]> {
  return focusAreas((await load(db, d, d.period, at)).focusInput);
}

/** The pipeline of a dashboard already computed. */
export async function pipelineOf(db: Db, d: Dashboard, at?: Date): Promise<Pipeline> {
  const { changes, builds, calms, stages, current, focusInput } = await load(db, d, d.previousPeriod, at);
  const ci = {
    current,
    previous: ciHealth(builds.previous, builds.bounds.previous[0], builds.bounds.previous[1]),
  };
  return {
    dashboard: {
      scope: d.scope,
      period: d.period,
      previousPeriod: d.previousPeriod,
      granularity: d.granularity,
      timeZone: d.timeZone,
      metrics: d.metrics,
    },
    stages,
    ci,
    focus: focusAreas(focusInput),
    candidates: candidates(focusInput),
    calms,
    changes: changes
      .filter((c) => c.period === "current")
      .map((c) => ({ ...c, ciRuns: c.ciRuns.length, spans: stageSpans(c) })),
  };
}
