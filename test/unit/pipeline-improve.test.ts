import { describe, expect, it } from "vitest";
import { ciHealth } from "@/lib/pipeline/ci-health";
import {
  type CalmsAnswers,
  type Candidate,
  calmsVerdict,
  candidates,
  type FocusInput,
  focusAreas,
  rank,
} from "@/lib/pipeline/improve";
import { type ChangeFacts, summariseStages } from "@/lib/pipeline/stages";
import { h, pipelineChange } from "@/test/helpers/pipeline";

/** Hand-computed cases of every rule in docs/improve.md. Instants in hours after 2 March 2026 00:00 UTC. */
const H = 3600;

/** A change: coding 1 h, waiting for review 2 h, review 1 h, CI 0.5 h (no wait), then `wait` h, deploy 0.5 h. */
function change(id: number, wait: number): ChangeFacts {
  return pipelineChange({
    pullRequestId: id,
    number: id,
    readyAt: h(1),
    firstReviewAt: h(3),
    mergedAt: h(4),
    ciRuns: [{ queuedAt: h(4), startedAt: h(4), finishedAt: h(4.5) }],
    deployStartedAt: h(4.5 + wait),
    liveAt: h(4.5 + wait + 0.5),
  });
}

function find(list: Candidate[], key: string): Candidate {
  const c = list.find((x) => x.area.key === key);
  if (!c) throw new Error(`no area ${key}`);
  return c;
}

const NO_CALMS: CalmsAnswers = { status: "none", message: "no round" };

function input(changes: ChangeFacts[], over: Partial<FocusInput> = {}): FocusInput {
  return {
    changes,
    stages: summariseStages(changes, ["2026-03-02"]),
    failureRate: { rate: 0.3, failed: 3, deployments: 10 },
    recovery: { median: 30 * H, p90: 40 * H, recovered: 3, unrecovered: 0 },
    ci: null,
    calms: NO_CALMS,
    ...over,
  };
}

const five = (wait: number) => [1, 2, 3, 4, 5].map((i) => change(i, wait));

describe("focus area rules (docs/improve.md)", () => {
  it("case 1: a 40 h deployment wait, 30 % failures, 30 h to restore", () => {
    // every change: total 45 h (high band: ≥ 1 day, < 1 week)
    const c = candidates(input(five(40)));
    const by = (k: string) => find(c, k);
    // deploy: 45 − (40 + 0.5)/2 = 24.75 h → −45 %, still high (≥ 24 h)
    expect(by("deploy")).toMatchObject({ eligible: true, before: 45 * H, after: 24.75 * H, steps: 0 });
    expect(by("deploy").relative).toBeCloseTo(20.25 / 45, 12);
    expect(by("deploy").bandBefore).toBe("high");
    // review: pickup 2 h + review 1 h halved = 1.5 h of 45 → 3.3 % < 10 %: not a focus area
    expect(by("review")).toMatchObject({ eligible: false, relative: 1.5 / 45 });
    expect(by("ci").eligible).toBe(false); // 0.25 h of 45
    expect(by("batch").eligible).toBe(false); // 0.5 h of 45
    // failures 30 % → 15 %: medium both; recovery 30 h → 15 h: medium → high (one band)
    expect(by("failures")).toMatchObject({ eligible: true, steps: 0, bandBefore: "medium", relative: 0.5 });
    expect(by("recovery")).toMatchObject({
      eligible: true,
      steps: 1,
      bandBefore: "medium",
      bandAfter: "high",
    });
    // ranking: recovery (a band gained) → failures (medium is worse than high) → deploy
    expect(rank(c).map((x) => x.area.key)).toEqual(["recovery", "failures", "deploy"]);
  });

  it("case 2: halving the wait lifts lead time a band; a band-worse metric still wins the tie", () => {
    // wait 25.5 h: total 30.5 h (high); halved: 30.5 − 26/2 = 17.5 h (elite): one band, like recovery
    const c = candidates(input(five(25.5)));
    const deploy = find(c, "deploy");
    expect(deploy).toMatchObject({ after: 17.5 * H, bandAfter: "elite", steps: 1 });
    // recovery (medium) before deploy (high), both one band; failures (no band gained) last
    expect(rank(c).map((x) => x.area.key)).toEqual(["recovery", "deploy", "failures"]);
  });

  it("case 3: too few samples, or already elite: no focus area", () => {
    const c = candidates(
      input(five(40).slice(0, 4), {
        failureRate: { rate: 0.05, failed: 1, deployments: 20 },
        recovery: { median: 30 * H, p90: 30 * H, recovered: 2, unrecovered: 1 },
      }),
    );
    expect(c.every((x) => !x.eligible)).toBe(true);
    expect(find(c, "deploy").reason).toBe("fewer than 5 changes with a pull request");
    expect(find(c, "failures").reason).toBe("change failure rate 5% is in the elite band");
    expect(find(c, "recovery").reason).toBe("fewer than 3 recovered failures");
    const few = candidates(input(five(40), { failureRate: { rate: 0.5, failed: 2, deployments: 4 } }));
    expect(find(few, "failures").eligible).toBe(false);
  });

  it("case 4: ties on band and effect fall back to the fixed order", () => {
    // failures 30 % and recovery 3 days: both medium, no band gained (15 %; 36 h), both −50 %
    const c = candidates(
      input(five(0), { recovery: { median: 72 * H, p90: 72 * H, recovered: 5, unrecovered: 0 } }),
    );
    // lead time 5 h (elite): review 1.5 h of 5 (−30 %) and coding 0.5 h of 5 (−10 %, just in) come after
    expect(rank(c).map((x) => x.area.key)).toEqual(["failures", "recovery", "review", "batch"]);
  });

  it("at most three areas, each with its numbers, capability, 'if halved' and CALMS", () => {
    const calms: CalmsAnswers = {
      status: "shown",
      round: "Spring 2026",
      responses: 6,
      items: [
        { key: "A2", text: "Production deployments were carried out by the pipeline…", mean: 8 },
        { key: "M5", text: "Our alerts told us…", mean: 3 },
        { key: "A5", text: "Undoing a bad release…", mean: 4 },
        { key: "M2", text: "Each production incident…", mean: null },
        { key: "A4", text: "A failing automated check…", mean: 6 },
        { key: "A6", text: "Database and configuration…", mean: 9 },
      ],
    };
    const areas = focusAreas(input(five(40), { calms }));
    expect(areas.map((a) => [a.rank, a.key])).toEqual([
      [1, "recovery"],
      [2, "failures"],
      [3, "deploy"],
    ]);
    const [recovery, failures, deploy] = areas as [(typeof areas)[0], (typeof areas)[0], (typeof areas)[0]];
    expect(recovery.capability.url).toBe("https://dora.dev/capabilities/monitoring-and-observability/");
    expect(recovery.calms.verdict).toBe("agree"); // M5 3, A5 4 (M2 unanswered: skipped)
    expect(recovery.calms.items.map((i) => i.key)).toEqual(["M5", "A5"]);
    expect(failures.calms.verdict).toBe("mixed"); // A4 6, A6 9
    expect(deploy.calms.verdict).toBe("disagree"); // A2 8
    expect(deploy.figures.shareOfLeadTime).toBeCloseTo(40.5 / 45, 12);
    expect(deploy.evidence[0]).toBe(
      "90% of the time changes spent between first commit and production went to waiting for deployment (5 changes).",
    );
    expect(deploy.ifHalved.sentence).toBe(
      "If this stage took half as long, the median lead time would go from 1.9 d to 1 d (−45%).",
    );
    expect(recovery.ifHalved.sentence).toBe(
      "If this halved, the median time to restore would go from 1.3 d to 15 h (−50%) (band medium → high).",
    );
    expect(failures.evidence[0]).toBe("3 of 10 deployments failed (30%).");
  });

  it("CALMS hidden by the anonymity threshold: no numbers, the reason instead", () => {
    const areas = focusAreas(
      input(five(40), { calms: { status: "hidden", message: "Hidden until 5 people…" } }),
    );
    expect(areas[0]?.calms).toEqual({ verdict: "unavailable", message: "Hidden until 5 people…", items: [] });
  });

  it("CALMS thresholds", () => {
    expect(calmsVerdict(7.5)).toBe("disagree");
    expect(calmsVerdict(7.4)).toBe("mixed");
    expect(calmsVerdict(5)).toBe("agree");
  });

  it("CI evidence beside the CI and failure areas", () => {
    const ci = ciHealth([], 0, 1);
    const areas = focusAreas(input(five(40), { ci }));
    expect(areas.find((a) => a.key === "failures")?.evidence).toHaveLength(1); // no decided run: nothing to add
  });
});
