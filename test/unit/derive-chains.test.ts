import { describe, expect, it } from "vitest";
import { inferTier } from "@/lib/domain/environments";
import { type ChainInput, deriveChains } from "@/lib/metrics/derive/chains";
import { CommitGraph } from "@/lib/metrics/derive/graph";
import { dep, H, pr } from "@/test/helpers/deployments";
import { c } from "@/test/helpers/graph";

const base = (over: Partial<ChainInput>): ChainInput => ({
  deployments: [],
  services: [{ id: 1, pathPrefixes: [] }],
  pullRequests: [],
  graph: new CommitGraph([]),
  tierOf: inferTier,
  ...over,
});

describe("deriveChains: one service, one environment", () => {
  // c1 ← c2 ← c3 ← c4 ← c5, all on main
  const graph = new CommitGraph([
    c("c1", [], "2026-03-02T09:00:00Z", { id: 1 }),
    c("c2", ["c1"], "2026-03-02T10:00:00Z", { id: 2 }),
    c("c3", ["c2"], "2026-03-03T08:00:00Z", { id: 3 }),
    c("c4", ["c3"], "2026-03-03T15:00:00Z", { id: 4 }),
    c("c5", ["c4"], "2026-03-04T12:00:00Z", { id: 5 }),
  ]);
  const d1 = dep("c1", "2026-03-02T12:00:00Z", { id: 1 });
  const d2 = dep("c3", "2026-03-03T12:00:00Z", { id: 2 });
  const d3 = dep("c3", "2026-03-03T13:00:00Z", { id: 3 }); // same SHA again
  const d4 = dep("c4", "2026-03-03T13:30:00Z", { id: 4, status: "failure" }); // never went live
  const d5 = dep("c4", "2026-03-03T16:00:00Z", { id: 5 });
  const d6 = dep("c3", "2026-03-03T17:00:00Z", { id: 6 }); // back to the SHA live before d5
  const d7 = dep("c5", "2026-03-04T14:00:00Z", { id: 7 });
  const out = deriveChains(base({ graph, deployments: [d7, d6, d4, d5, d3, d2, d1] }));
  const byId = new Map(out.deployments.map((d) => [d.id, d]));
  const changesOf = (id: number) =>
    out.changes
      .filter((x) => x.deploymentId === id)
      .map((x) => [x.commitSha, x.leadSeconds, x.firstInEnvironment])
      .sort();

  it("the first deployment is a baseline: its backlog is not attributed", () => {
    expect(byId.get(1)).toMatchObject({
      attribution: "baseline",
      kind: "normal",
      changeCount: 0,
      isCounted: true,
      lineStartId: 1,
    });
    expect(changesOf(1)).toEqual([]);
  });

  it("attributes the commits since the previous deployment, lead time from author time", () => {
    // c2: 2026-03-02T10:00 → 03-03T12:00 = 26 h;  c3: 03-03T08:00 → 12:00 = 4 h
    expect(byId.get(2)).toMatchObject({
      prevDeploymentId: 1,
      attribution: "graph",
      changeCount: 2,
      lineStartId: 1,
    });
    expect(changesOf(2)).toEqual([
      ["c2", 26 * H, true],
      ["c3", 4 * H, true],
    ]);
  });

  it("a redeploy of the same SHA ships nothing and is not counted", () => {
    expect(byId.get(3)).toMatchObject({
      kind: "redeploy",
      prevDeploymentId: 2,
      changeCount: 0,
      isCounted: false,
      undoesDeploymentId: null,
    });
  });

  it("a deployment that did not succeed is outside every chain", () => {
    expect(byId.get(4)).toMatchObject({ attribution: "none", isCounted: false, prevDeploymentId: null });
  });

  it("going back to a SHA that was live before is a rollback of the deployment in between", () => {
    // d5 follows the redeploy d3 (the latest deployment of c3)
    expect(byId.get(5)).toMatchObject({ prevDeploymentId: 3, changeCount: 1 });
    expect(byId.get(6)).toMatchObject({
      kind: "rollback",
      prevDeploymentId: 3,
      undoesDeploymentId: 5,
      changeCount: 0,
      isCounted: true,
      discountedReasons: [],
    });
  });

  it("after a rollback, the commits it took back ship again, counted once", () => {
    // d5 was undone: d7 follows the rollback d6 (c3) and ships c4 again (first shipped by d5) and c5
    expect(byId.get(7)).toMatchObject({ prevDeploymentId: 6, lineStartId: 1 });
    expect(changesOf(7)).toEqual([
      ["c4", 23 * H, false],
      ["c5", 2 * H, true],
    ]);
  });
});

describe("deriveChains: PRs, squash and merge commits, bots", () => {
  // main: m0 ← sq (squash of PR 7) ← mc (merge of PR 8: f1 ← f2) ← bot (dependabot)
  const graph = new CommitGraph([
    c("m0", [], "2026-04-01T00:00:00Z", { id: 1 }),
    c("sq", ["m0"], "2026-04-03T12:00:00Z", { id: 2 }),
    c("f1", ["m0"], "2026-04-02T09:00:00Z", { id: 3 }),
    c("f2", ["f1"], "2026-04-02T15:00:00Z", { id: 4 }),
    c("mc", ["sq", "f2"], "2026-04-03T16:00:00Z", { id: 5 }),
    c("bot", ["mc"], "2026-04-04T06:00:00Z", { id: 6, isBot: true }),
  ]);
  const prs = [
    pr(7, { id: 70, mergeSha: "sq", mergeMethod: "squash", firstCommitAt: new Date("2026-04-01T08:00:00Z") }),
    pr(8, { id: 80, mergeSha: "mc", mergeMethod: "merge", firstCommitAt: new Date("2026-04-02T09:00:00Z") }),
  ];
  const out = deriveChains(
    base({
      graph,
      pullRequests: prs,
      deployments: [
        dep("m0", "2026-04-01T01:00:00Z", { id: 1 }),
        dep("bot", "2026-04-04T08:00:00Z", { id: 2 }),
      ],
    }),
  );
  const change = (sha: string) => out.changes.find((x) => x.commitSha === sha);

  it("a squash commit starts at its PR's first commit, not at merge time", () => {
    // 2026-04-01T08:00 → 04-04T08:00 = 72 h (the squash commit itself is only 44 h old)
    expect(change("sq")).toMatchObject({ leadSeconds: 72 * H, pullRequestId: 70, isMerge: false });
  });

  it("commits of a merged PR keep their own author times; the merge commit marks the PR but is not a change", () => {
    expect(change("f1")?.leadSeconds).toBe(47 * H); // 04-02T09:00 → 04-04T08:00
    expect(change("f2")?.leadSeconds).toBe(41 * H);
    expect(change("mc")).toMatchObject({ isMerge: true, pullRequestId: 80 });
  });

  it("flags bot commits", () => {
    expect(change("bot")).toMatchObject({ isBot: true, leadSeconds: 2 * H });
  });

  it("a rebase-merged PR's last commit keeps its own author time", () => {
    const g2 = new CommitGraph([
      c("r0", [], "2026-04-01T00:00:00Z"),
      c("r1", ["r0"], "2026-04-02T00:00:00Z"),
    ]);
    const out2 = deriveChains(
      base({
        graph: g2,
        pullRequests: [
          pr(9, { mergeSha: "r1", mergeMethod: "rebase", firstCommitAt: new Date("2026-03-01T00:00:00Z") }),
        ],
        deployments: [dep("r0", "2026-04-01T01:00:00Z"), dep("r1", "2026-04-02T01:00:00Z")],
      }),
    );
    expect(out2.changes[0]?.leadSeconds).toBe(1 * H);
  });

  it("keeps a negative lead time as it is (author clock ahead of the deployment): the queries leave it out", () => {
    const g3 = new CommitGraph([c("a", [], "2026-04-01T00:00:00Z"), c("b", ["a"], "2026-04-05T00:00:00Z")]);
    const out3 = deriveChains(
      base({ graph: g3, deployments: [dep("a", "2026-04-01T01:00:00Z"), dep("b", "2026-04-02T00:00:00Z")] }),
    );
    expect(out3.changes[0]?.leadSeconds).toBe(-72 * H);
  });
});

describe("deriveChains: several environments", () => {
  const graph = new CommitGraph([
    c("a", [], "2026-05-01T00:00:00Z"),
    c("b", ["a"], "2026-05-02T00:00:00Z"),
    c("x", ["b"], "2026-05-03T00:00:00Z"),
  ]);
  const out = deriveChains(
    base({
      graph,
      deployments: [
        dep("a", "2026-05-01T12:00:00Z", { id: 1, environment: "staging" }),
        dep("b", "2026-05-02T06:00:00Z", { id: 2, environment: "staging" }),
        dep("a", "2026-05-01T13:00:00Z", { id: 3, environment: "prod-eu" }),
        dep("a", "2026-05-01T14:00:00Z", { id: 4, environment: "prod-us" }),
        dep("x", "2026-05-03T10:00:00Z", { id: 5, environment: "prod-eu" }),
        dep("x", "2026-05-03T12:00:00Z", { id: 6, environment: "prod-us" }),
      ],
    }),
  );

  it("keeps one chain per environment: staging does not consume production's changes", () => {
    const prodEu = out.changes.filter((x) => x.deploymentId === 5).map((x) => x.commitSha);
    expect(prodEu.sort()).toEqual(["b", "x"]);
    expect(out.deployments.find((d) => d.id === 5)?.prevDeploymentId).toBe(3);
  });

  it("counts a change once per tier: at its first production environment", () => {
    const flags = out.changes
      .filter((x) => x.commitSha === "x")
      .map((x) => [x.environment, x.firstInEnvironment, x.firstInTier, x.leadSeconds]);
    expect(flags.sort()).toEqual([
      ["prod-eu", true, true, 10 * H],
      ["prod-us", true, false, 12 * H],
    ]);
  });
});

describe("deriveChains: a monorepo split into services by path", () => {
  const graph = new CommitGraph([
    c("a", [], "2026-06-01T00:00:00Z", { changedPaths: ["README.md"] }),
    c("api1", ["a"], "2026-06-01T01:00:00Z", { changedPaths: ["services/api/main.go"] }),
    c("web1", ["api1"], "2026-06-01T02:00:00Z", { changedPaths: ["apps/web/page.tsx"] }),
    c("both", ["web1"], "2026-06-01T03:00:00Z", { changedPaths: ["apps/web/x.ts", "services/api/y.go"] }),
    c("unknown", ["both"], "2026-06-01T04:00:00Z", { changedPaths: null }),
  ]);
  const out = deriveChains(
    base({
      graph,
      services: [
        { id: 1, pathPrefixes: ["services/api/"] },
        { id: 2, pathPrefixes: ["apps/web/"] },
      ],
      deployments: [
        dep("a", "2026-06-01T00:30:00Z", { id: 1, serviceId: 1 }),
        dep("a", "2026-06-01T00:30:00Z", { id: 2, serviceId: 2 }),
        dep("unknown", "2026-06-01T05:00:00Z", { id: 3, serviceId: 1 }),
        dep("unknown", "2026-06-01T06:00:00Z", { id: 4, serviceId: 2 }),
      ],
    }),
  );
  const of = (id: number) =>
    out.changes
      .filter((x) => x.deploymentId === id)
      .map((x) => x.commitSha)
      .sort();

  it("each service ships only the commits that touch its paths (unknown paths are kept)", () => {
    expect(of(3)).toEqual(["api1", "both", "unknown"]);
    expect(of(4)).toEqual(["both", "unknown", "web1"]);
  });
});

describe("deriveChains: SHAs outside the history we hold", () => {
  it("marks the deployment unknown_sha and attributes nothing", () => {
    const graph = new CommitGraph([c("a", [], "2026-01-01T00:00:00Z")]);
    const out = deriveChains(
      base({
        graph,
        deployments: [
          dep("a", "2026-01-01T01:00:00Z", { id: 1 }),
          dep("zzz", "2026-01-02T00:00:00Z", { id: 2 }),
        ],
      }),
    );
    expect(out.deployments.find((d) => d.id === 2)).toMatchObject({
      attribution: "unknown_sha",
      isCounted: true,
    });
    expect(out.changes).toEqual([]);
  });

  it("a declared hotfix keeps its kind", () => {
    const graph = new CommitGraph([c("a"), c("b", ["a"])]);
    const out = deriveChains(
      base({
        graph,
        deployments: [
          dep("a", "2026-01-01T01:00:00Z", { id: 1 }),
          dep("b", "2026-01-01T02:00:00Z", { id: 2, declaredKind: "hotfix" }),
        ],
      }),
    );
    expect(out.deployments.find((d) => d.id === 2)?.kind).toBe("hotfix");
  });
});
