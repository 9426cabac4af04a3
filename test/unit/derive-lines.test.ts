import { describe, expect, it } from "vitest";
import { inferTier } from "@/lib/domain/environments";
import { type ChainInput, type DeploymentInput, deriveChains } from "@/lib/metrics/derive/chains";
import { CommitGraph, type GraphCommit } from "@/lib/metrics/derive/graph";
import { type IncidentInput, linkIncidents } from "@/lib/metrics/derive/incident-links";
import { deriveOutcomes } from "@/lib/metrics/derive/outcomes";
import { dep, H, pr } from "@/test/helpers/deployments";
import { c } from "@/test/helpers/graph";

/** Release lines, bounded rollbacks and reverts (docs/metrics.md § Release lines). */

function derive(commits: GraphCommit[], deployments: DeploymentInput[], over: Partial<ChainInput> = {}) {
  const out = deriveChains({
    deployments,
    services: [{ id: 1, pathPrefixes: [] }],
    pullRequests: [],
    graph: new CommitGraph(commits),
    tierOf: inferTier,
    ...over,
  });
  const byId = new Map(out.deployments.map((d) => [d.id, d]));
  const shipped = (id: number) =>
    out.changes
      .filter((x) => x.deploymentId === id)
      .map((x) => x.commitSha)
      .sort();
  return { out, byId, d: (id: number) => byId.get(id), shipped };
}

describe("a library with a maintenance branch and interleaved release tags", () => {
  // main:  m1 ← m2 ← m3 ← m4 ← m5            (1.0.0 on m1, 2.0.0 on m3, 2.1.0 on m5)
  // 1.0.x: m1 ← b1 ← b2 ← b3                 (backports: 1.0.1 on b2, 1.0.2 on b3)
  const commits = [
    c("m1", [], "2026-01-01T00:00:00Z"),
    c("m2", ["m1"], "2026-01-05T00:00:00Z"),
    c("m3", ["m2"], "2026-01-10T00:00:00Z"),
    c("b1", ["m1"], "2026-01-12T00:00:00Z"),
    c("b2", ["b1"], "2026-01-13T00:00:00Z"),
    c("m4", ["m3"], "2026-01-20T00:00:00Z"),
    c("b3", ["b2"], "2026-01-25T00:00:00Z"),
    c("m5", ["m4"], "2026-01-28T00:00:00Z"),
  ];
  const { d, shipped } = derive(commits, [
    dep("m1", "2026-01-02T00:00:00Z", { id: 1 }), // 1.0.0
    dep("m3", "2026-01-11T00:00:00Z", { id: 2 }), // 2.0.0
    dep("b2", "2026-01-14T00:00:00Z", { id: 3 }), // 1.0.1, an ancestor-less "step back" under the old rule
    dep("b3", "2026-01-26T00:00:00Z", { id: 4 }), // 1.0.2
    dep("m5", "2026-01-29T00:00:00Z", { id: 5 }), // 2.1.0
  ]);

  it("a maintenance release is no rollback and fails nothing: it follows its own line", () => {
    expect(d(3)).toMatchObject({
      kind: "normal",
      prevDeploymentId: 1,
      isCounted: true,
      undoesDeploymentId: null,
    });
    expect(d(4)).toMatchObject({ kind: "normal", prevDeploymentId: 3 });
    expect(d(5)).toMatchObject({ kind: "normal", prevDeploymentId: 2 });
  });

  it("each release ships only what is new on its line: one change row per commit", () => {
    expect(shipped(2)).toEqual(["m2", "m3"]);
    expect(shipped(3)).toEqual(["b1", "b2"]);
    expect(shipped(4)).toEqual(["b3"]);
    expect(shipped(5)).toEqual(["m4", "m5"]);
  });

  it("the maintenance line is a line of its own, started by its first release", () => {
    // 1.0.0 continues into 2.0.0 (its first successor); 1.0.1 forks a second line
    expect([d(1), d(2), d(3), d(4), d(5)].map((x) => x?.lineStartId)).toEqual([1, 1, 3, 3, 1]);
  });

  it("merging the maintenance branch back ships only the merge", () => {
    const merged = derive(
      [...commits, c("mm", ["m5", "b3"], "2026-02-01T00:00:00Z")],
      [
        dep("m1", "2026-01-02T00:00:00Z", { id: 1 }),
        dep("m3", "2026-01-11T00:00:00Z", { id: 2 }),
        dep("b2", "2026-01-14T00:00:00Z", { id: 3 }),
        dep("b3", "2026-01-26T00:00:00Z", { id: 4 }),
        dep("m5", "2026-01-29T00:00:00Z", { id: 5 }),
        dep("mm", "2026-02-02T00:00:00Z", { id: 6 }),
      ],
    );
    expect(merged.shipped(6)).toEqual(["mm"]);
    // Of the two deployed parents, the one further from the root (m5: generation 5, b3: 4).
    expect(merged.d(6)?.prevDeploymentId).toBe(5);
  });
});

describe("a monorepo with per-package tags on one branch", () => {
  const commits = [
    c("a", [], "2026-02-01T00:00:00Z"),
    c("b", ["a"], "2026-02-02T00:00:00Z"),
    c("c", ["b"], "2026-02-03T00:00:00Z"),
    c("d", ["c"], "2026-02-04T00:00:00Z"),
  ];

  it("a package tagged on an older commit later is no rollback", () => {
    const { d, shipped } = derive(commits, [
      dep("a", "2026-02-01T12:00:00Z", { id: 1 }), // vite@5.0.0
      dep("d", "2026-02-04T12:00:00Z", { id: 2 }), // vite@5.1.0
      dep("b", "2026-02-05T00:00:00Z", { id: 3 }), // plugin-legacy@1.0.0, tagged on b after the fact
    ]);
    expect(d(3)).toMatchObject({ kind: "normal", prevDeploymentId: 1, isCounted: true });
    expect(shipped(3)).toEqual(["b"]); // listed again, counted at its first delivery (vite@5.1.0)
    expect(d(2)?.kind).toBe("normal");
  });

  it("inferred, two packages released from the same commit look like a redeploy; named lines count both", () => {
    const inferred = derive(commits, [
      dep("a", "2026-02-01T12:00:00Z", { id: 1 }),
      dep("c", "2026-02-03T12:00:00Z", { id: 2, line: null }),
      dep("c", "2026-02-03T12:05:00Z", { id: 3, line: null }),
    ]);
    expect(inferred.d(3)?.kind).toBe("redeploy");

    const named = derive(commits, [
      dep("a", "2026-02-01T12:00:00Z", { id: 1, line: "vite" }),
      dep("c", "2026-02-03T12:00:00Z", { id: 2, line: "vite" }),
      dep("c", "2026-02-03T12:05:00Z", { id: 3, line: "plugin-legacy" }),
      dep("d", "2026-02-04T12:00:00Z", { id: 4, line: "plugin-legacy" }),
    ]);
    // plugin-legacy's first release forks from the nearest release of any line (vite's, on the same commit)
    expect(named.d(3)).toMatchObject({
      kind: "normal",
      isCounted: true,
      prevDeploymentId: 2,
      lineStartId: 3,
    });
    expect(named.shipped(3)).toEqual([]);
    expect(named.d(4)).toMatchObject({ prevDeploymentId: 3, lineStartId: 3 });
    expect(named.shipped(4)).toEqual(["d"]);
  });

  it("a named line's later releases follow that line, not the other packages' releases", () => {
    const { d, shipped, out } = derive(commits, [
      dep("a", "2026-02-01T12:00:00Z", { id: 1, line: "vite" }),
      dep("b", "2026-02-02T12:00:00Z", { id: 2, line: "plugin" }),
      dep("c", "2026-02-03T12:00:00Z", { id: 3, line: "vite" }),
      dep("d", "2026-02-04T12:00:00Z", { id: 4, line: "plugin" }),
    ]);
    expect(d(3)?.prevDeploymentId).toBe(1);
    expect(shipped(3)).toEqual(["b", "c"]);
    expect(d(4)?.prevDeploymentId).toBe(2);
    expect(shipped(4)).toEqual(["c", "d"]);
    // Each commit still counts in lead time once, at its first delivery to the environment.
    const first = out.changes
      .filter((x) => x.firstInEnvironment)
      .map((x) => `${x.commitSha}@${x.deploymentId}`);
    expect(first.sort()).toEqual(["b@2", "c@3", "d@4"]);
  });
});

describe("rollbacks are bounded by the rollback window", () => {
  const commits = [c("a", [], "2026-03-01T00:00:00Z"), c("b", ["a"], "2026-03-01T01:00:00Z")];

  it("within the window: a rollback; later: a redeploy that fails nothing, counted as discounted", () => {
    const deployments = [
      dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
      dep("b", "2026-03-02T10:00:00Z", { id: 2 }),
      dep("a", "2026-03-12T10:00:00Z", { id: 3 }), // 10 days after b went live
    ];
    const late = derive(commits, deployments);
    expect(late.d(3)).toMatchObject({
      kind: "redeploy",
      isCounted: false,
      undoesDeploymentId: 2,
      discountedReasons: ["rollback"],
    });
    const wide = derive(commits, deployments, { rollbackWindowHours: 24 * 11 });
    expect(wide.d(3)).toMatchObject({
      kind: "rollback",
      isCounted: true,
      undoesDeploymentId: 2,
      discountedReasons: [],
    });
  });

  it("a deployment its source declares a rollback is one, whatever the window and the graph", () => {
    const { d } = derive(commits, [
      dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
      dep("b", "2026-03-02T10:00:00Z", { id: 2 }),
      dep("a", "2026-03-30T10:00:00Z", { id: 3, declaredKind: "rollback" }),
    ]);
    expect(d(3)).toMatchObject({ kind: "rollback", undoesDeploymentId: 2 });
  });
});

describe("history cut at a sync horizon", () => {
  it("flags a deployment whose changes reach commits with parents Throughline does not hold", () => {
    // x0 is older than the horizon: the merged branch f1 ← f2 lost its base
    const { d, shipped } = derive(
      [
        c("a", [], "2026-04-01T00:00:00Z"),
        c("f1", ["x0"], "2026-03-01T00:00:00Z"),
        c("f2", ["f1"], "2026-03-02T00:00:00Z"),
        c("m", ["a", "f2"], "2026-04-02T00:00:00Z"),
        c("n", ["m"], "2026-04-03T00:00:00Z"),
      ],
      [
        dep("a", "2026-04-01T12:00:00Z", { id: 1 }),
        dep("m", "2026-04-02T12:00:00Z", { id: 2 }),
        dep("n", "2026-04-03T12:00:00Z", { id: 3 }),
      ],
    );
    expect(shipped(2)).toEqual(["f1", "f2", "m"]);
    expect(d(2)?.historyCut).toBe(true);
    expect(d(3)?.historyCut).toBe(false);
  });
});

describe("outcomes: windows and redeploys", () => {
  function run(
    deployments: DeploymentInput[],
    commits: GraphCommit[],
    extra: { incidents?: IncidentInput[] } = {},
  ) {
    const prs = [
      pr(11, { id: 11, mergeSha: "e" }),
      pr(12, { id: 12, mergeSha: "r", isRevert: true, revertsNumber: 11 }),
    ];
    const chains = deriveChains({
      deployments,
      services: [{ id: 1, pathPrefixes: [] }],
      pullRequests: prs,
      graph: new CommitGraph(commits),
      tierOf: inferTier,
    });
    const derived = new Map(chains.deployments.map((x) => [x.id, x]));
    const links = linkIncidents({
      incidents: extra.incidents ?? [],
      deployments,
      derived,
      changes: chains.changes,
      repositoryOfService: new Map([[1, 10]]),
      tierOf: inferTier,
      windowHours: 24,
    });
    const outcomes = deriveOutcomes({
      deployments,
      derived,
      changes: chains.changes,
      pullRequests: prs,
      incidents: extra.incidents ?? [],
      links,
    });
    return { links, o: (id: number) => outcomes.get(id) };
  }
  const commits = [
    c("a", [], "2026-03-01T00:00:00Z"),
    c("e", ["a"], "2026-03-02T00:00:00Z"),
    c("r", ["e"], "2026-03-20T00:00:00Z"),
  ];

  it("a revert within the window fails the reverted change; 35 days later it fails nothing", () => {
    const soon = run(
      [
        dep("a", "2026-03-01T12:00:00Z", { id: 1 }),
        dep("e", "2026-03-02T12:00:00Z", { id: 2 }),
        dep("r", "2026-03-04T12:00:00Z", { id: 3 }),
      ],
      commits,
    );
    expect(soon.o(2)).toMatchObject({ isFailed: true, failureReasons: ["revert"], recoverySeconds: 48 * H });
    expect(soon.o(3)).toMatchObject({ isRework: true, discountedReasons: [] });

    const late = run(
      [
        dep("a", "2026-03-01T12:00:00Z", { id: 1 }),
        dep("e", "2026-03-02T12:00:00Z", { id: 2 }),
        dep("r", "2026-04-06T12:00:00Z", { id: 3 }),
      ],
      commits,
    );
    expect(late.o(2)).toMatchObject({ isFailed: false, recoverySeconds: null });
    expect(late.o(3)).toMatchObject({ isRework: false, discountedReasons: ["revert"] });
  });

  it("an incident 30 min after a redeploy and 24.5 h after the original is blamed on the original", () => {
    const incident: IncidentInput = {
      id: 1,
      serviceId: 1,
      repositoryId: 10,
      openedAt: new Date("2026-03-03T12:30:00Z"),
      resolvedAt: new Date("2026-03-03T14:00:00Z"),
      causedByDeploymentId: null,
      causedBySha: null,
      restoredByDeploymentId: null,
    };
    const { links, o } = run(
      [
        dep("a", "2026-03-01T12:00:00Z", { id: 1 }),
        dep("e", "2026-03-02T12:00:00Z", { id: 2 }),
        dep("e", "2026-03-03T12:00:00Z", { id: 3 }), // redeploy
      ],
      commits,
      { incidents: [incident] },
    );
    expect(links[0]).toMatchObject({ linkedDeploymentId: 2, linkMethod: "window" });
    expect(o(2)).toMatchObject({ isFailed: true, failureReasons: ["incident"], recoverySeconds: 26 * H });
    expect(o(3)?.isFailed).toBe(false);
  });
});
