import { describe, expect, it } from "vitest";
import { inferTier } from "@/lib/domain/environments";
import { type DeploymentInput, deriveChains, type PullRequestInput } from "@/lib/metrics/derive/chains";
import { CommitGraph, type GraphCommit } from "@/lib/metrics/derive/graph";
import { type IncidentInput, linkIncidents } from "@/lib/metrics/derive/incident-links";
import { deriveOutcomes } from "@/lib/metrics/derive/outcomes";
import { dep, H, pr } from "@/test/helpers/deployments";
import { c } from "@/test/helpers/graph";

function run(opts: {
  commits: GraphCommit[];
  deployments: DeploymentInput[];
  prs?: PullRequestInput[];
  incidents?: IncidentInput[];
  windowHours?: number;
}) {
  const chains = deriveChains({
    deployments: opts.deployments,
    services: [
      { id: 1, pathPrefixes: [] },
      { id: 2, pathPrefixes: [] },
    ],
    pullRequests: opts.prs ?? [],
    graph: new CommitGraph(opts.commits),
    tierOf: inferTier,
  });
  const derived = new Map(chains.deployments.map((d) => [d.id, d]));
  const links = linkIncidents({
    incidents: opts.incidents ?? [],
    deployments: opts.deployments,
    derived,
    changes: chains.changes,
    repositoryOfService: new Map([
      [1, 10],
      [2, 10],
    ]),
    tierOf: inferTier,
    windowHours: opts.windowHours ?? 24,
  });
  const outcomes = deriveOutcomes({
    deployments: opts.deployments,
    derived,
    changes: chains.changes,
    pullRequests: opts.prs ?? [],
    incidents: opts.incidents ?? [],
    links,
  });
  return { chains, derived, links, outcomes, o: (id: number) => outcomes.get(id) };
}

const incident = (id: number, openedAt: string, extra: Partial<IncidentInput> = {}): IncidentInput => ({
  id,
  serviceId: 1,
  repositoryId: 10,
  openedAt: new Date(openedAt),
  resolvedAt: null,
  causedByDeploymentId: null,
  causedBySha: null,
  restoredByDeploymentId: null,
  ...extra,
});

const history = [
  c("a", [], "2026-03-01T00:00:00Z"),
  c("b", ["a"], "2026-03-01T01:00:00Z"),
  c("c", ["b"], "2026-03-01T02:00:00Z"),
  c("d", ["c"], "2026-03-01T03:00:00Z"),
];

describe("deriveOutcomes: rollbacks", () => {
  it("a rollback fails the deployment it undid and is rework; recovery is the rollback's finish", () => {
    const { o } = run({
      commits: history,
      deployments: [
        dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("c", "2026-03-02T10:00:00Z", { id: 2 }),
        dep("a", "2026-03-02T10:45:00Z", { id: 3 }), // rollback of 2
      ],
    });
    expect(o(2)).toMatchObject({
      isFailed: true,
      failureReasons: ["rollback"],
      recoverySeconds: 45 * 60,
      recoveryDeploymentId: 3,
    });
    expect(o(3)).toMatchObject({ isRework: true, reworkReasons: ["rollback"], isFailed: false });
    expect(o(1)?.isFailed).toBe(false);
  });

  it("blames the original deployment, not a redeploy of the same SHA", () => {
    const { o } = run({
      commits: history,
      deployments: [
        dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("c", "2026-03-02T10:00:00Z", { id: 2 }),
        dep("c", "2026-03-02T10:20:00Z", { id: 3 }), // redeploy
        dep("a", "2026-03-02T11:00:00Z", { id: 4 }), // rollback to the SHA live before 2
      ],
    });
    expect(o(2)).toMatchObject({ isFailed: true, recoverySeconds: 1 * H });
    expect(o(3)?.isFailed).toBe(false);
  });
});

describe("deriveOutcomes: reverts, hotfixes and fix deployments", () => {
  const commits = [
    ...history,
    c("e", ["d"], "2026-03-03T00:00:00Z"), // merge sha of PR 11
    c("r", ["e"], "2026-03-03T05:00:00Z"), // merge sha of PR 12, reverting 11
  ];
  const prs = [
    pr(11, { id: 11, mergeSha: "e" }),
    pr(12, { id: 12, mergeSha: "r", isRevert: true, revertsNumber: 11 }),
  ];

  it("shipping a revert fails the deployment that first shipped the reverted PR", () => {
    const { o } = run({
      commits,
      prs,
      deployments: [
        dep("d", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("e", "2026-03-03T01:00:00Z", { id: 2 }),
        dep("r", "2026-03-03T06:00:00Z", { id: 3 }),
      ],
    });
    expect(o(2)).toMatchObject({
      isFailed: true,
      failureReasons: ["revert"],
      recoverySeconds: 5 * H,
      recoveryDeploymentId: 3,
    });
    expect(o(3)).toMatchObject({ isRework: true, reworkReasons: ["revert"] });
  });

  it("a PR reverted before it reached the environment failed nothing", () => {
    const { o } = run({
      commits,
      prs,
      deployments: [dep("d", "2026-03-02T00:00:00Z", { id: 1 }), dep("r", "2026-03-03T06:00:00Z", { id: 2 })],
    });
    expect(o(2)).toMatchObject({ isFailed: false, isRework: false });
  });

  it("a hotfix-labelled PR makes its deployment rework", () => {
    const { o } = run({
      commits,
      prs: [pr(11, { id: 11, mergeSha: "e", isHotfix: true })],
      deployments: [dep("d", "2026-03-02T00:00:00Z", { id: 1 }), dep("e", "2026-03-03T01:00:00Z", { id: 2 })],
    });
    expect(o(2)).toMatchObject({ isRework: true, reworkReasons: ["hotfix"], isFailed: false });
  });

  it("'this fixes deployment X' fails X and makes the fix rework", () => {
    const { o } = run({
      commits,
      deployments: [
        dep("d", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("e", "2026-03-03T01:00:00Z", { id: 2 }),
        dep("r", "2026-03-03T03:30:00Z", { id: 3, fixesDeploymentId: 2 }),
      ],
    });
    expect(o(2)).toMatchObject({
      isFailed: true,
      failureReasons: ["fix_deployment"],
      recoverySeconds: 2.5 * H,
    });
    expect(o(3)).toMatchObject({ isRework: true, reworkReasons: ["fix_deployment"] });
  });
});

describe("incidents: linking and recovery", () => {
  const deployments = [
    dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
    dep("b", "2026-03-02T08:00:00Z", { id: 2 }),
    dep("c", "2026-03-02T12:00:00Z", { id: 3 }),
    dep("c", "2026-03-02T12:30:00Z", { id: 4 }), // redeploy
    dep("d", "2026-03-02T12:00:00Z", { id: 5, serviceId: 2 }), // another service
    dep("d", "2026-03-02T13:00:00Z", { id: 6, environment: "staging" }),
  ];

  it("links by window to the last production deployment of the incident's service (redeploys and staging skipped)", () => {
    const { links } = run({
      commits: history,
      deployments,
      incidents: [incident(1, "2026-03-02T14:00:00Z")],
    });
    expect(links).toEqual([{ id: 1, linkedDeploymentId: 3, linkMethod: "window" }]);
  });

  it("leaves an incident unlinked outside the window, or without a service or repository", () => {
    const { links } = run({
      commits: history,
      deployments,
      windowHours: 1,
      incidents: [
        incident(1, "2026-03-02T14:00:00Z"),
        incident(2, "2026-03-02T12:10:00Z", { serviceId: null, repositoryId: null }),
      ],
    });
    expect(links.map((l) => l.linkedDeploymentId)).toEqual([null, null]);
  });

  it("an incident of a repository (no service) links to the last production deployment of any of its services", () => {
    const { links } = run({
      commits: history,
      deployments,
      incidents: [incident(1, "2026-03-02T12:10:00Z", { serviceId: null })],
    });
    // deployments 3 and 5 both finished at 12:00; the higher id (arrival order) is the later one
    expect(links[0]).toMatchObject({ linkedDeploymentId: 5, linkMethod: "window" });
  });

  it("links by the SHA named as cause to the deployment that first shipped it, short SHAs included", () => {
    const long = [
      c("a0b1c2d3e4", [], "2026-03-01T00:00:00Z"),
      c("f5e6d7c8b9", ["a0b1c2d3e4"], "2026-03-01T01:00:00Z"),
    ];
    const { links } = run({
      commits: long,
      deployments: [
        dep("a0b1c2d3e4", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("f5e6d7c8b9", "2026-03-03T00:00:00Z", { id: 2 }),
      ],
      incidents: [incident(1, "2026-03-09T00:00:00Z", { causedBySha: "F5E6D7C" })],
    });
    expect(links[0]).toMatchObject({ linkedDeploymentId: 2, linkMethod: "sha" });
  });

  it("fails the linked deployment; recovery at the restoring deployment, else at resolution; open while unresolved", () => {
    const { o } = run({
      commits: history,
      deployments: [
        dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("b", "2026-03-02T08:00:00Z", { id: 2 }),
        dep("c", "2026-03-02T12:00:00Z", { id: 3 }),
        dep("d", "2026-03-02T15:00:00Z", { id: 4 }),
      ],
      incidents: [
        incident(1, "2026-03-02T09:00:00Z", {
          causedByDeploymentId: 2,
          resolvedAt: new Date("2026-03-02T10:30:00Z"),
        }),
        incident(2, "2026-03-02T13:00:00Z", {
          causedByDeploymentId: 3,
          restoredByDeploymentId: 4,
          resolvedAt: new Date("2026-03-02T18:00:00Z"),
        }),
        incident(3, "2026-03-02T16:00:00Z", { causedByDeploymentId: 4 }),
      ],
    });
    expect(o(2)).toMatchObject({
      isFailed: true,
      failureReasons: ["incident"],
      recoverySeconds: 2.5 * H,
      recoveryDeploymentId: null,
    });
    expect(o(3)).toMatchObject({ isFailed: true, recoverySeconds: 3 * H, recoveryDeploymentId: 4 });
    expect(o(4)).toMatchObject({
      isFailed: true,
      isRework: true,
      reworkReasons: ["incident_fix"],
      recoveredAt: null,
    });
  });

  it("counts a deployment once however many signals fail it, and recovers at the earliest remedy", () => {
    const { o } = run({
      commits: history,
      deployments: [
        dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("c", "2026-03-02T10:00:00Z", { id: 2 }),
        dep("a", "2026-03-02T10:30:00Z", { id: 3 }), // rollback after 30 min
      ],
      incidents: [
        incident(1, "2026-03-02T10:05:00Z", { resolvedAt: new Date("2026-03-02T12:00:00Z") }),
        incident(2, "2026-03-02T10:06:00Z", { causedByDeploymentId: 2 }),
      ],
    });
    expect(o(2)).toMatchObject({ isFailed: true, recoverySeconds: 30 * 60, recoveryDeploymentId: 3 });
    expect(o(2)?.failureReasons.sort()).toEqual(["incident", "rollback"]);
  });

  it("an incident blamed on a redeploy is blamed on the deployment that first shipped the SHA", () => {
    const { o } = run({
      commits: history,
      deployments: [
        dep("a", "2026-03-02T00:00:00Z", { id: 1 }),
        dep("b", "2026-03-02T08:00:00Z", { id: 2 }),
        dep("b", "2026-03-02T09:00:00Z", { id: 3 }),
      ],
      incidents: [incident(1, "2026-03-02T09:30:00Z", { causedByDeploymentId: 3 })],
    });
    expect(o(2)?.isFailed).toBe(true);
    expect(o(3)?.isFailed).toBe(false);
  });
});
