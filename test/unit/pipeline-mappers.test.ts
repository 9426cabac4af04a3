import { describe, expect, it } from "vitest";
import { changesForStage, isStageKey, toStageFlow, toStageTrends } from "@/lib/charts/pipeline";
import type { PipelineChange } from "@/lib/pipeline";
import { stageSpans, summariseStages } from "@/lib/pipeline/stages";
import { h, pipelineChange } from "@/test/helpers/pipeline";

// Two changes: 10 h coding + 30 h waiting for deployment, and 2 h coding + 6 h waiting (no review, no CI)
const A = pipelineChange({
  pullRequestId: 1,
  number: 7,
  readyAt: h(10),
  mergedAt: h(10),
  deployStartedAt: h(40),
  liveAt: h(40),
});
const B = pipelineChange({
  pullRequestId: 2,
  number: 3,
  bucket: "2026-03-09",
  readyAt: h(2),
  mergedAt: h(2),
  deployStartedAt: h(8),
  liveAt: h(8),
});
const stages = summariseStages([A, B], ["2026-03-02", "2026-03-09"]);
const asChange = (c: typeof A): PipelineChange => ({ ...c, ciRuns: 0, spans: stageSpans(c) });

describe("pipeline mappers", () => {
  it("the flow: a segment per stage as wide as its share of lead time, tiny ones still visible", () => {
    const flow = toStageFlow(stages);
    expect(flow.map((s) => s.key)).toEqual([
      "coding",
      "pickup",
      "review",
      "waitCi",
      "ci",
      "waitDeploy",
      "deploy",
    ]);
    // Σ coding 12 h, Σ wait 36 h of Σ total 48 h → 25 % and 75 %; unreviewed: no pickup, review 0 s each
    expect(flow[0]).toMatchObject({ label: "Coding", median: 6 * 3600, n: 2, share: 0.25, width: 25 });
    expect(flow[5]).toMatchObject({ key: "waitDeploy", share: 0.75, width: 75 });
    expect(flow[1]).toMatchObject({ key: "pickup", share: 0, width: 0, n: 0 });
    expect(flow[6]).toMatchObject({ key: "deploy", median: 0, width: 0 });
    const tiny = toStageFlow({
      ...stages,
      stages: stages.stages.map((s) => (s.key === "deploy" ? { ...s, share: 0.001 } : s)),
    });
    expect(tiny[6]?.width).toBe(1.5);
  });

  it("the trend per stage in hours per bucket, gaps where no change had the stage", () => {
    const t = toStageTrends(stages, "week");
    expect(t[5]?.points).toEqual([
      { label: "2 Mar", hours: 30, changes: 1 },
      { label: "9 Mar", hours: 6, changes: 1 },
    ]);
    expect(t[1]?.points.map((p) => p.hours)).toEqual([null, null]);
  });

  it("the changes behind a stage, longest first", () => {
    const list = changesForStage([asChange(B), asChange(A)], "waitDeploy");
    expect(list.map((c) => c.number)).toEqual([7, 3]);
    expect(changesForStage([asChange(A)], "pickup")).toEqual([]);
    expect(changesForStage([asChange(B), asChange(A)], "coding", 1).map((c) => c.number)).toEqual([7]);
    expect(isStageKey("waitCi")).toBe(true);
    expect(isStageKey("nonsense")).toBe(false);
    expect(isStageKey(null)).toBe(false);
  });
});
