import { expect, it } from "vitest";
import type { CiBuildRecord } from "@/lib/ingest/records";
import { upsertCiBuilds } from "@/lib/ingest/store";
import { getPipeline } from "@/lib/pipeline";
import { loadMarch, MARCH } from "@/test/fixtures/march";
import { sha } from "@/test/fixtures/sha";
import { describeDb } from "@/test/helpers/db";
import { getRepositoryId } from "@/test/helpers/pipeline";

const H = 3600;

/** CI runs beside the March fixture (docs/metrics.md § Worked example: PR #1 merged 2 Mar 10:00Z, live 12:00Z). */
const run = (id: string, over: Partial<CiBuildRecord>): CiBuildRecord => ({
  source: "github",
  externalId: id,
  workflow: "ci",
  branch: "main",
  sha: sha("p3"),
  status: "completed",
  conclusion: "success",
  ...over,
});
const BUILDS: CiBuildRecord[] = [
  // the merge commit's CI: asked for 10:05, started 10:10, done 10:40
  run("b1", {
    queuedAt: "2026-03-02T10:05:00Z",
    startedAt: "2026-03-02T10:10:00Z",
    finishedAt: "2026-03-02T10:40:00Z",
  }),
  // the deploy workflow starts with the deployment: not CI of the change
  run("b2", { workflow: "deploy", startedAt: "2026-03-02T12:00:00Z", finishedAt: "2026-03-02T12:00:00Z" }),
  // the PR's branch: not the merge commit's CI
  run("b3", {
    branch: "refunds",
    sha: sha("pr1-head"),
    startedAt: "2026-02-27T12:01:00Z",
    finishedAt: "2026-02-27T12:20:00Z",
  }),
  // cancelled: decides nothing
  run("b4", {
    conclusion: "cancelled",
    startedAt: "2026-03-02T10:06:00Z",
    finishedAt: "2026-03-02T10:07:00Z",
  }),
  // p5 fails, then its re-run passes: flaky, main red 10:20 → 10:50
  run("b5", {
    sha: sha("p5"),
    conclusion: "failure",
    startedAt: "2026-03-05T10:00:00Z",
    finishedAt: "2026-03-05T10:20:00Z",
  }),
  run("b6", {
    sha: sha("p5"),
    attempt: 2,
    startedAt: "2026-03-05T10:30:00Z",
    finishedAt: "2026-03-05T10:50:00Z",
  }),
];

describeDb("pipeline stages and CI health on the March fixture (hand-computed)", ({ db }) => {
  it("team payments, March: one PR change through every stage, CI health of its runs", async () => {
    await loadMarch(db());
    await upsertCiBuilds(db(), await getRepositoryId(db(), "acme/pay"), BUILDS);
    const p = await getPipeline(db(), { slice: { team: "payments" }, period: MARCH, granularity: "week" });

    // PR #1 (PR #2 went live on 1 April, local time)
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]?.spans).toEqual({
      coding: 2 * H,
      pickup: 24 * H,
      review: 46 * H,
      waitCi: 300,
      ci: 2_100,
      queue: 300,
      run: 1_800,
      waitDeploy: 4_800,
      deploy: 0,
      total: 74 * H,
    });
    expect(p.changes[0]?.ciRuns).toBe(1); // b1 only
    expect(p.stages.changes).toBe(1);
    expect(p.stages.stages.find((s) => s.key === "review")).toMatchObject({ n: 1, p50: 46 * H, p90: 46 * H });
    expect(p.stages.stages.find((s) => s.key === "review")?.share).toBeCloseTo(46 / 74, 12);

    const ci = p.ci.current;
    expect(ci.runs).toBe(5); // b3 started on 27 February: the previous period
    expect(p.ci.previous.otherBranches).toEqual({ runs: 1, decided: 1, successRate: 1 });
    expect(ci.defaultBranch).toMatchObject({
      decided: 4,
      passed: 3,
      failed: 1,
      cancelled: 1,
      successRate: 0.75,
    });
    expect(ci.defaultBranch.redSeconds).toBe(1_800);
    expect(ci.otherBranches).toEqual({ runs: 0, decided: 0, successRate: null });
    expect(ci.flaky).toEqual({ shas: 1, ofPassed: 3, share: 1 / 3 });
    expect(ci.reruns).toBe(1);
    expect(ci.queue).toMatchObject({ n: 1, p50: 300 });
    expect(ci.slowest.map((w) => [w.workflow, w.duration.p50])).toEqual([
      ["ci", 1_200], // 1800, 1200, 1200 s
      ["deploy", 0],
    ]);
    // One change and 6 deployments: lead-time areas need five changes; 33 % failures and 2.75 h to restore
    // cannot be judged on 2 recoveries (three needed), so only failures is a focus area.
    expect(p.focus.map((f) => f.key)).toEqual(["failures"]);
    expect(p.calms.status).toBe("none");
  });

  it("a team with no CI runs and no pull requests: empty figures, no focus", async () => {
    await loadMarch(db());
    const p = await getPipeline(db(), { slice: { team: "web" }, period: MARCH });
    expect(p.changes).toEqual([]);
    expect(p.stages.total.p50).toBeNull();
    expect(p.ci.current.runs).toBe(0);
    expect(p.ci.current.defaultBranch.successRate).toBeNull();
    expect(p.focus).toEqual([]);
  });
});
