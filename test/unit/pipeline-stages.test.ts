import { describe, expect, it } from "vitest";
import { ciFacts, halvedMedian, stageSpans, summariseStages } from "@/lib/pipeline/stages";
import { percentile } from "@/lib/pipeline/stats";
import { h, pipelineChange } from "@/test/helpers/pipeline";

/** Hand-computed stage times: docs/metrics.md § Pipeline stages. Instants in hours after 2 March 2026 00:00 UTC. */
const H = 3600;

const change = pipelineChange;

// A: every event, two CI workflows (one queued 15 min, one without a queue time)
const A = change({
  pullRequestId: 1,
  firstCommitAt: h(0),
  readyAt: h(2),
  firstReviewAt: h(5),
  mergedAt: h(8),
  ciRuns: [
    { queuedAt: h(8.25), startedAt: h(8.5), finishedAt: h(9) },
    { queuedAt: null, startedAt: h(8.5), finishedAt: h(8.75) },
  ],
  deployStartedAt: h(20),
  liveAt: h(20.5),
});
// B: missing data: no first commit, never reviewed, no CI run
const B = change({
  pullRequestId: 2,
  startedAt: h(0.5),
  firstCommitAt: null,
  readyAt: h(1),
  firstReviewAt: null,
  mergedAt: h(3),
  deployStartedAt: h(4),
  liveAt: h(5),
});
// C: reviewed before it was marked ready (negative pickup), next bucket
const C = change({
  pullRequestId: 3,
  bucket: "2026-03-09",
  firstCommitAt: h(0),
  readyAt: h(10),
  firstReviewAt: h(9),
  mergedAt: h(12),
  ciRuns: [{ queuedAt: h(12), startedAt: h(12), finishedAt: h(12.5) }],
  deployStartedAt: h(13),
  liveAt: h(13.25),
});
// D: previous period, like B but waiting two hours for its deployment
const D = change({
  pullRequestId: 4,
  period: "previous",
  bucket: "2026-02-23",
  firstCommitAt: null,
  readyAt: h(1),
  mergedAt: h(3),
  deployStartedAt: h(5),
  liveAt: h(6),
});

describe("percentile", () => {
  it("interpolates like percentile_cont", () => {
    expect(percentile([3600, 3600, 46800, 48600, 266400, 743400], 0.5)).toBe(47_700);
    expect(percentile([3600, 3600, 46800, 48600, 266400, 743400], 0.9)).toBe(504_900);
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
  });
});

describe("stage spans of one change", () => {
  it("splits a change with every event into seven stages that add up to its total", () => {
    expect(ciFacts(A.ciRuns)).toEqual({
      requestedAt: h(8.25),
      finishedAt: h(9),
      queueSeconds: 0.25 * H,
      runSeconds: 0.5 * H,
    });
    const s = stageSpans(A);
    expect(s).toEqual({
      coding: 2 * H,
      pickup: 3 * H,
      review: 3 * H,
      waitCi: 0.25 * H,
      ci: 0.75 * H,
      queue: 0.25 * H,
      run: 0.5 * H,
      waitDeploy: 11 * H,
      deploy: 0.5 * H,
      total: 20.5 * H,
    });
    const sum = [s.coding, s.pickup, s.review, s.waitCi, s.ci, s.waitDeploy, s.deploy].reduce<number>(
      (a, v) => a + (v ?? Number.NaN),
      0,
    );
    expect(sum).toBe(s.total);
  });

  it("leaves out what it cannot know; without CI the deployment wait starts at the merge", () => {
    expect(stageSpans(B)).toEqual({
      coding: null,
      pickup: null,
      review: null,
      waitCi: null,
      ci: null,
      queue: null,
      run: null,
      waitDeploy: 1 * H,
      deploy: 1 * H,
      total: 4.5 * H,
    });
  });

  it("drops a span that ends before it starts instead of counting 0", () => {
    const s = stageSpans(C);
    expect(s.pickup).toBeNull();
    expect(s.review).toBe(3 * H);
    expect(s.waitCi).toBe(0);
    expect(s.queue).toBe(0);
    expect(s.total).toBe(13.25 * H);
  });
});

describe("stage figures over changes", () => {
  const p = summariseStages([A, B, C, D], ["2026-03-02", "2026-03-09"]);
  const stage = (k: string) => {
    const s = p.stages.find((x) => x.key === k);
    if (!s) throw new Error(`no stage ${k}`);
    return s;
  };

  it("counts changes and missing data", () => {
    expect(p.changes).toBe(3);
    expect(p.previousChanges).toBe(1);
    expect(p.unreviewed).toBe(1); // B
    expect(p.withoutCi).toBe(1); // B
    expect(p.withoutFirstCommit).toBe(1); // B
  });

  it("medians and p90s per stage (hand-computed)", () => {
    // coding: A 7200, C 36000 → p50 21600, p90 7200 + 0.9 × 28800
    expect(stage("coding")).toMatchObject({ n: 2, p50: 21_600, p90: 33_120 });
    // waiting for deployment: 1800, 3600, 39600 → p50 3600; p90 at 1.8: 3600 + 0.8 × 36000
    expect(stage("waitDeploy")).toMatchObject({ n: 3, p50: 3_600, p90: 32_400 });
    // total: 16200, 47700, 73800 → p50 47700; p90 47700 + 0.8 × 26100
    expect(p.total).toMatchObject({ n: 3, p50: 47_700, p90: 68_580 });
    expect(p.ciQueue).toMatchObject({ n: 2, p50: 450 });
    expect(p.ciRun).toMatchObject({ n: 2, p50: 1_800 });
  });

  it("shares of all lead time, trend against the previous period, series per bucket", () => {
    // (39600 + 3600 + 1800) / (73800 + 16200 + 47700)
    expect(stage("waitDeploy").share).toBeCloseTo(45_000 / 137_700, 12);
    expect(p.stages.reduce((a, s) => a + (s.share ?? 0), 0)).toBeLessThanOrEqual(1);
    // previous: D waited 7200 s; now 3600 s: shorter, but over too few changes to call it a change (§ Trends)
    expect(stage("waitDeploy").previous.p50).toBe(7_200);
    expect(stage("waitDeploy").trend.direction).toBe("flat");
    expect(stage("waitDeploy").trend.note).toMatch(/^too few changes to tell: \d+ now and 1 before/);
    expect(stage("waitDeploy").series).toEqual([
      { bucket: "2026-03-02", p50: 21_600, n: 2 },
      { bucket: "2026-03-09", p50: 1_800, n: 1 },
    ]);
    expect(stage("coding").trend.direction).toBeNull(); // no coding sample before
  });

  it("what if a stage took half as long: per change, then the median", () => {
    // A 73800 − 41400/2 = 53100; B 16200 − 7200/2 = 12600; C 47700 − 2700/2 = 46350 → median 46350
    const r = halvedMedian([A, B, C, D], ["waitDeploy", "deploy"]);
    expect(r).toEqual({ before: 47_700, after: 46_350, relative: 1_350 / 47_700 });
    expect(halvedMedian([], ["coding"])).toEqual({ before: null, after: null, relative: null });
  });
});
