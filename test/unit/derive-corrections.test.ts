import { describe, expect, it } from "vitest";
import type { CorrectionKind } from "@/lib/db/schema/corrections";
import { inferTier } from "@/lib/domain/environments";
import { type DeploymentInput, deriveChains, type PullRequestInput } from "@/lib/metrics/derive/chains";
import {
  applicableCorrections,
  type CorrectionInput,
  commitsOfPullRequests,
} from "@/lib/metrics/derive/corrections";
import { CommitGraph, type GraphCommit } from "@/lib/metrics/derive/graph";
import { type IncidentInput, linkIncidents } from "@/lib/metrics/derive/incident-links";
import { deriveOutcomes } from "@/lib/metrics/derive/outcomes";
import { dep, H, pr } from "@/test/helpers/deployments";
import { c } from "@/test/helpers/graph";

let nextCorrection = 1;
const fix = (
  kind: CorrectionKind,
  target: Partial<CorrectionInput>,
  at = "2026-03-10T00:00:00Z",
): CorrectionInput => ({
  id: nextCorrection++,
  kind,
  deploymentId: null,
  pullRequestId: null,
  incidentId: null,
  createdAt: new Date(at),
  ...target,
});

/** The whole derive pipeline, pure, with corrections applied as lib/metrics/derive/index.ts applies them. */
function run(opts: {
  commits: GraphCommit[];
  deployments: DeploymentInput[];
  prs?: PullRequestInput[];
  incidents?: IncidentInput[];
  corrections?: CorrectionInput[];
  declared?: Map<number, string[]>;
}) {
  const applied = applicableCorrections(opts.corrections ?? []);
  const graph = new CommitGraph(opts.commits);
  const prs = opts.prs ?? [];
  const chains = deriveChains({
    deployments: opts.deployments,
    services: [{ id: 1, pathPrefixes: [] }],
    pullRequests: prs,
    graph,
    tierOf: inferTier,
    excludedDeployments: applied.excludedDeployments,
    excludedShas: commitsOfPullRequests(prs, applied.excludedPullRequests, graph),
    declaredCommits: opts.declared,
  });
  const derived = new Map(chains.deployments.map((d) => [d.id, d]));
  const links = linkIncidents({
    incidents: opts.incidents ?? [],
    deployments: opts.deployments,
    derived,
    changes: chains.changes,
    repositoryOfService: new Map([[1, 10]]),
    tierOf: inferTier,
    windowHours: 24,
    corrections: applied.incidentLink,
  });
  const outcomes = deriveOutcomes({
    deployments: opts.deployments,
    derived,
    changes: chains.changes,
    pullRequests: prs,
    incidents: opts.incidents ?? [],
    links,
    corrections: applied.outcome,
  });
  return {
    d: (id: number) => derived.get(id),
    o: (id: number) => outcomes.get(id),
    links,
    changesOf: (id: number) =>
      chains.changes
        .filter((x) => x.deploymentId === id)
        .map((x) => `${x.commitSha}${x.isExcluded ? " (excluded)" : ""}`)
        .sort(),
  };
}

const history = [
  c("a", [], "2026-03-01T00:00:00Z"),
  c("b", ["a"], "2026-03-01T01:00:00Z"),
  c("c", ["b"], "2026-03-01T02:00:00Z"),
  c("d", ["c"], "2026-03-01T03:00:00Z"),
  c("e", ["d"], "2026-03-01T04:00:00Z"),
];
const four = () => [
  dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
  dep("b", "2026-03-02T10:00:00Z", { id: 2 }),
  dep("c", "2026-03-02T12:00:00Z", { id: 3 }),
  dep("d", "2026-03-02T15:00:00Z", { id: 4 }),
];

describe("corrections: a deployment's outcome", () => {
  it("marked failed: reason `corrected`, recovered by the next deployment of another SHA", () => {
    const deployments = [...four(), dep("c", "2026-03-02T13:00:00Z", { id: 5 })]; // 5 redeploys 3
    const { o } = run({
      commits: history,
      deployments,
      corrections: [fix("deployment_failed", { deploymentId: 3 })],
    });
    // 3 went live at 12:00; 5 (13:00) redeploys the same SHA and fixes nothing; 4 (15:00) ships d.
    expect(o(3)).toMatchObject({
      isFailed: true,
      isCorrected: true,
      failureReasons: ["corrected"],
      recoverySeconds: 3 * H,
      recoveryDeploymentId: 4,
    });
    expect(o(5)?.isFailed).toBe(false);
  });

  it("marked failed on a redeploy: the deployment that first shipped the SHA carries it", () => {
    const deployments = [...four(), dep("c", "2026-03-02T13:00:00Z", { id: 5 })];
    const { o } = run({
      commits: history,
      deployments,
      corrections: [fix("deployment_failed", { deploymentId: 5 })],
    });
    expect(o(3)).toMatchObject({ isFailed: true, isCorrected: true });
    expect(o(5)).toMatchObject({ isFailed: false, isCorrected: false });
  });

  it("marked failed with nothing after it: failed, not yet recovered", () => {
    const { o } = run({
      commits: history,
      deployments: four(),
      corrections: [fix("deployment_failed", { deploymentId: 4 })],
    });
    expect(o(4)).toMatchObject({ isFailed: true, recoveredAt: null, recoverySeconds: null });
  });

  it("marked not failed: clears every signal (here a rollback) and its recovery; the rollback stays rework", () => {
    const deployments = [...four(), dep("c", "2026-03-02T16:00:00Z", { id: 5 })]; // 5 rolls 4 back
    const before = run({ commits: history, deployments });
    expect(before.o(4)).toMatchObject({
      isFailed: true,
      failureReasons: ["rollback"],
      recoverySeconds: 1 * H,
    });
    const { o } = run({
      commits: history,
      deployments,
      corrections: [fix("deployment_not_failed", { deploymentId: 4 })],
    });
    expect(o(4)).toMatchObject({
      isFailed: false,
      isCorrected: true,
      failureReasons: [],
      recoveredAt: null,
      recoverySeconds: null,
      recoveryDeploymentId: null,
    });
    expect(o(5)).toMatchObject({ isRework: true, reworkReasons: ["rollback"] });
  });

  it("the newest of several outcome corrections wins, whatever order they are listed in", () => {
    const corrections = [
      fix("deployment_not_failed", { deploymentId: 2 }, "2026-03-12T00:00:00Z"),
      fix("deployment_failed", { deploymentId: 2 }, "2026-03-11T00:00:00Z"),
    ];
    expect(run({ commits: history, deployments: four(), corrections }).o(2)?.isFailed).toBe(false);
    expect(
      run({ commits: history, deployments: four(), corrections: corrections.reverse() }).o(2)?.isFailed,
    ).toBe(false);
  });
});

describe("corrections: exclusions", () => {
  it("an excluded deployment leaves its chain: the next one ships its changes, nothing counts it", () => {
    const { d, changesOf } = run({
      commits: history,
      deployments: four(),
      corrections: [fix("deployment_excluded", { deploymentId: 3 })],
    });
    expect(d(3)).toMatchObject({ isExcluded: true, isCounted: false, changeCount: 0 });
    expect(changesOf(3)).toEqual([]);
    expect(d(4)).toMatchObject({ prevDeploymentId: 2, isCounted: true });
    expect(changesOf(4)).toEqual(["c", "d"]);
  });

  it("an excluded deployment is no failure, even with a rollback after it", () => {
    const deployments = [...four(), dep("c", "2026-03-02T16:00:00Z", { id: 5 })];
    const { o, d } = run({
      commits: history,
      deployments,
      corrections: [fix("deployment_excluded", { deploymentId: 4 })],
    });
    expect(o(4)?.isFailed).toBe(false);
    expect(d(5)?.kind).toBe("redeploy"); // with 4 gone, 5 ships what 3 already had live
  });

  it("an excluded squash PR: its commit is listed but excluded, and it is no revert signal", () => {
    const commits = [...history, c("r", ["e"], "2026-03-01T05:00:00Z")];
    const prs = [
      pr(11, { id: 11, mergeSha: "d" }),
      pr(12, { id: 12, mergeSha: "r", isRevert: true, revertsNumber: 11 }),
    ];
    const deployments = [
      dep("c", "2026-03-02T00:00:00Z", { id: 1 }),
      dep("d", "2026-03-02T10:00:00Z", { id: 2 }),
      dep("r", "2026-03-02T12:00:00Z", { id: 3 }),
    ];
    expect(run({ commits, prs, deployments }).o(2)?.isFailed).toBe(true);
    const { o, changesOf } = run({
      commits,
      prs,
      deployments,
      corrections: [fix("pull_request_excluded", { pullRequestId: 12 })],
    });
    expect(changesOf(3)).toEqual(["e", "r (excluded)"]);
    expect(o(2)?.isFailed).toBe(false);
  });

  it("an excluded merge-commit PR: the merge and every commit it brought in are excluded", () => {
    // main: a ← b ← m (merge of b and the branch x ← y, which forked from a)
    const commits = [
      c("a", [], "2026-03-01T00:00:00Z"),
      c("b", ["a"], "2026-03-01T01:00:00Z"),
      c("x", ["a"], "2026-03-01T02:00:00Z"),
      c("y", ["x"], "2026-03-01T03:00:00Z"),
      c("m", ["b", "y"], "2026-03-01T04:00:00Z"),
    ];
    const graph = new CommitGraph(commits);
    const prs = [pr(7, { id: 7, mergeSha: "m", mergeMethod: "merge" })];
    expect([...commitsOfPullRequests(prs, new Set([7]), graph)].sort()).toEqual(["m", "x", "y"]);
    const { changesOf } = run({
      commits,
      prs,
      deployments: [dep("a", "2026-03-02T00:00:00Z", { id: 1 }), dep("m", "2026-03-02T10:00:00Z", { id: 2 })],
      corrections: [fix("pull_request_excluded", { pullRequestId: 7 })],
    });
    expect(changesOf(2)).toEqual(["b", "m (excluded)", "x (excluded)", "y (excluded)"]);
  });
});

describe("corrections: incident links", () => {
  const incident: IncidentInput = {
    id: 50,
    serviceId: 1,
    repositoryId: 10,
    openedAt: new Date("2026-03-02T16:00:00Z"),
    resolvedAt: new Date("2026-03-02T18:00:00Z"),
    causedByDeploymentId: null,
    causedBySha: null,
    restoredByDeploymentId: null,
  };

  it("by the rules the incident falls on the last deployment before it (4)", () => {
    const { links, o } = run({ commits: history, deployments: four(), incidents: [incident] });
    expect(links[0]).toMatchObject({ linkedDeploymentId: 4, linkMethod: "window" });
    expect(o(4)).toMatchObject({ isFailed: true, recoverySeconds: 3 * H });
  });

  it("linked by hand to 2: 2 failed, recovered when the incident was resolved; 4 did not fail", () => {
    const { links, o } = run({
      commits: history,
      deployments: four(),
      incidents: [incident],
      corrections: [fix("incident_linked", { incidentId: 50, deploymentId: 2 })],
    });
    expect(links[0]).toMatchObject({ linkedDeploymentId: 2, linkMethod: "corrected" });
    expect(o(2)).toMatchObject({ isFailed: true, failureReasons: ["incident"], recoverySeconds: 8 * H });
    expect(o(4)?.isFailed).toBe(false);
  });

  it("unlinked from 4: linked to nothing (not to another deployment in the window)", () => {
    const { links, o } = run({
      commits: history,
      deployments: four(),
      incidents: [incident],
      corrections: [fix("incident_unlinked", { incidentId: 50, deploymentId: 4 })],
    });
    expect(links[0]).toMatchObject({ linkedDeploymentId: null, linkMethod: null });
    expect(o(4)?.isFailed).toBe(false);
  });

  it("unlinked from a deployment the rules did not pick: changes nothing", () => {
    const { links } = run({
      commits: history,
      deployments: four(),
      incidents: [incident],
      corrections: [fix("incident_unlinked", { incidentId: 50, deploymentId: 3 })],
    });
    expect(links[0]).toMatchObject({ linkedDeploymentId: 4, linkMethod: "window" });
  });
});

describe("declared commits (push API)", () => {
  it("a first deployment that lists its commits ships them (no baseline backlog guess)", () => {
    const { d, changesOf } = run({
      commits: history,
      deployments: [dep("b", "2026-03-02T00:00:00Z", { id: 1 })],
      declared: new Map([[1, ["a", "b"]]]),
    });
    expect(d(1)).toMatchObject({ attribution: "declared", changeCount: 2 });
    expect(changesOf(1)).toEqual(["a", "b"]);
  });

  it("listed commits replace the graph walk; commits we do not hold are skipped", () => {
    const { d, changesOf } = run({
      commits: history,
      deployments: [dep("a", "2026-03-02T00:00:00Z", { id: 1 }), dep("d", "2026-03-02T10:00:00Z", { id: 2 })],
      declared: new Map([[2, ["d", "c", "f00d"]]]),
    });
    expect(d(2)).toMatchObject({ attribution: "declared", changeCount: 2 });
    expect(changesOf(2)).toEqual(["c", "d"]);
  });

  it("a redeploy ships nothing new whatever it lists", () => {
    const { d, changesOf } = run({
      commits: history,
      deployments: [dep("b", "2026-03-02T00:00:00Z", { id: 1 }), dep("b", "2026-03-02T10:00:00Z", { id: 2 })],
      declared: new Map([[2, ["b"]]]),
    });
    expect(d(2)).toMatchObject({ kind: "redeploy", attribution: "none", isCounted: false });
    expect(changesOf(2)).toEqual([]);
  });
});
