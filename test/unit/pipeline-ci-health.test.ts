import { describe, expect, it } from "vitest";
import { type BuildRow, ciHealth, outcome } from "@/lib/pipeline/ci-health";

/** Hand-computed CI health: docs/metrics.md § CI health. Instants in seconds after 1 March 2026 00:00 UTC. */
const S = Date.UTC(2026, 2, 1);
const E = S + 10 * 86_400_000;
const t = (s: number) => S + s * 1000;

const run = (over: Partial<BuildRow>): BuildRow => ({
  repository: "acme/api",
  defaultBranch: "main",
  workflow: "ci",
  branch: "main",
  sha: "a",
  status: "completed",
  conclusion: "success",
  queuedAt: null,
  startedAt: null,
  finishedAt: null,
  attempt: 1,
  ...over,
});

const RUNS: BuildRow[] = [
  // 1: passes (queued 60 s, ran 600 s)
  run({ sha: "a", queuedAt: t(0), startedAt: t(60), finishedAt: t(660) }),
  // 2: fails (queued 120 s, ran 600 s): main turns red at 4320
  run({ sha: "b", conclusion: "failure", queuedAt: t(3600), startedAt: t(3720), finishedAt: t(4320) }),
  // 3: the same SHA re-run, passes (ran 900 s): green again at 8100 → red 3780 s; flaky
  run({ sha: "b", attempt: 2, startedAt: t(7200), finishedAt: t(8100) }),
  // 4: cancelled: counted apart, decides nothing
  run({ sha: "c", conclusion: "cancelled", startedAt: t(9000), finishedAt: t(9100) }),
  // 5: another workflow fails at 9300 and never passes: red until the period ends
  run({
    sha: "c",
    workflow: "lint",
    conclusion: "failure",
    queuedAt: t(8940),
    startedAt: t(9000),
    finishedAt: t(9300),
  }),
  // 6, 7: a feature branch fails then passes on the same SHA: flaky, but not on the default branch
  run({
    sha: "d",
    branch: "feature/x",
    conclusion: "failure",
    queuedAt: t(100),
    startedAt: t(100),
    finishedAt: t(400),
  }),
  run({ sha: "d", branch: "feature/x", attempt: 2, startedAt: t(500), finishedAt: t(800) }),
  // 8: still running
  run({ sha: "e", status: "in_progress", conclusion: null, startedAt: E - 100_000 }),
  // 9: no branch recorded (a tag build): not the default branch
  run({ sha: "f", branch: null, startedAt: t(200), finishedAt: t(300) }),
];

describe("CI health (hand-computed)", () => {
  const c = ciHealth(RUNS, S, E);

  it("classifies conclusions", () => {
    expect(outcome({ status: "completed", conclusion: "timed_out" })).toBe("failed");
    expect(outcome({ status: "completed", conclusion: "unstable" })).toBe("failed"); // Jenkins
    expect(outcome({ status: "completed", conclusion: "skipped" })).toBe("other");
    expect(outcome({ status: "queued", conclusion: null })).toBe("running");
  });

  it("success rate and duration on the default branch; cancelled and other branches apart", () => {
    expect(c.runs).toBe(9);
    expect(c.defaultBranch).toMatchObject({
      decided: 4,
      passed: 2,
      failed: 2,
      cancelled: 1,
      other: 0,
      running: 1,
      successRate: 0.5,
    });
    // 300, 600, 600, 900 → p50 600; p90 at 2.7: 600 + 0.7 × 300
    expect(c.defaultBranch.duration).toEqual({ n: 4, p50: 600, p90: 810 });
    expect(c.otherBranches).toEqual({ runs: 3, decided: 3, successRate: 2 / 3 });
  });

  it("time the default branch stayed red: union over workflows, open red runs to the end", () => {
    // ci: 4320 → 8100 (3780 s); lint: 9300 → end (864000 − 9300 = 854700 s)
    expect(c.defaultBranch.redSeconds).toBe(858_480);
    expect(c.defaultBranch.longestRedSeconds).toBe(854_700);
    expect(c.defaultBranch.redShare).toBeCloseTo(858_480 / 864_000, 12);
  });

  it("queue time, re-runs and flaky commits", () => {
    // queued runs: 60, 120, 60, 0 → p50 60; p90 at 2.7: 60 + 0.7 × 60
    expect(c.queue).toMatchObject({ n: 4, p50: 60, withoutQueueTime: 5 });
    expect(c.queue.p90).toBeCloseTo(102, 9);
    expect(c.reruns).toBe(2);
    // passed at some point: a, b, d, f; failed first: b, d
    expect(c.flaky).toEqual({ shas: 2, ofPassed: 4, share: 0.5 });
  });

  it("slowest workflows by median duration on the default branch", () => {
    expect(c.slowest).toEqual([
      {
        repository: "acme/api",
        workflow: "ci",
        stage: null,
        kind: "run",
        runs: 3,
        successRate: 2 / 3,
        duration: { n: 3, p50: 600, p90: 840 },
      },
      {
        repository: "acme/api",
        workflow: "lint",
        stage: null,
        kind: "run",
        runs: 1,
        successRate: 0,
        duration: { n: 1, p50: 300, p90: 300 },
      },
    ]);
  });

  it("a GitLab pipeline's jobs: runs-only figures, slowest lists the jobs", () => {
    const P = "pipeline:1";
    const gl = (over: Partial<BuildRow>) => run({ repository: "acme/web", ...over });
    const rows = [
      gl({ workflow: "pipeline", sha: "p", queuedAt: t(0), startedAt: t(10), finishedAt: t(400) }),
      gl({
        workflow: "build",
        stage: "build",
        parent: P,
        sha: "p",
        queuedAt: t(5),
        startedAt: t(10),
        finishedAt: t(100),
      }),
      gl({
        workflow: "rspec",
        stage: "test",
        parent: P,
        sha: "p",
        queuedAt: t(100),
        startedAt: t(110),
        finishedAt: t(400),
      }),
      // A failed then retried job: attempt 2; the pipeline's figures do not see it
      gl({
        workflow: "lint",
        stage: "test",
        parent: P,
        sha: "p",
        conclusion: "failure",
        startedAt: t(110),
        finishedAt: t(130),
      }),
      gl({
        workflow: "lint",
        stage: "test",
        parent: P,
        sha: "p",
        attempt: 2,
        startedAt: t(140),
        finishedAt: t(160),
      }),
    ];
    const c3 = ciHealth([...RUNS, ...rows], S, E);
    // One more run (the pipeline), no more reruns, no job in a rate
    expect(c3.runs).toBe(c.runs + 1);
    expect(c3.reruns).toBe(c.reruns);
    expect(c3.defaultBranch.decided).toBe(c.defaultBranch.decided + 1);
    expect(c3.queue.n).toBe(c.queue.n + 1);
    expect(c3.slowest.filter((w) => w.repository === "acme/web")).toEqual([
      {
        repository: "acme/web",
        workflow: "rspec",
        stage: "test",
        kind: "job",
        runs: 1,
        successRate: 1,
        duration: { n: 1, p50: 290, p90: 290 },
      },
      expect.objectContaining({ workflow: "build", stage: "build", kind: "job", runs: 1 }),
      expect.objectContaining({ workflow: "lint", kind: "job", runs: 2, successRate: 0.5 }),
    ]);
    // Repositories without jobs still list their runs
    expect(c3.slowest.filter((w) => w.repository === "acme/api").map((w) => w.workflow)).toEqual([
      "ci",
      "lint",
    ]);
  });

  it("no runs: no rates, nothing red", () => {
    const empty = ciHealth([], S, E);
    expect(empty.defaultBranch.successRate).toBeNull();
    expect(empty.defaultBranch.redSeconds).toBe(0);
    expect(empty.defaultBranch.redShare).toBeNull();
    expect(empty.flaky.share).toBeNull();
  });

  it("a red stretch that began before the period is not seen; one clipped at its end is", () => {
    const c2 = ciHealth(
      [run({ conclusion: "failure", startedAt: E - 2_000_000, finishedAt: E - 1_000_000 })],
      S,
      E,
    );
    expect(c2.defaultBranch.redSeconds).toBe(1_000);
  });
});
