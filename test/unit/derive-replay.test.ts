import { describe, expect, it } from "vitest";
import { inferTier } from "@/lib/domain/environments";
import { type DeploymentInput, deriveChains } from "@/lib/metrics/derive/chains";
import { CommitGraph } from "@/lib/metrics/derive/graph";
import { dep } from "@/test/helpers/deployments";
import { c } from "@/test/helpers/graph";

/**
 * Incremental derive (ADR 0018): a chain restored from its recorded predecessors up to a point, then derived on,
 * places every later deployment as a derive from the start does; and a commit reaches only its descendants.
 */

//  main: a ← b ← c ← d ← e          maint: b ← m1 ← m2
const commits = [
  c("a", []),
  c("b", ["a"]),
  c("c", ["b"]),
  c("d", ["c"]),
  c("e", ["d"]),
  c("m1", ["b"]),
  c("m2", ["m1"]),
];
const graph = new CommitGraph(commits);

const history: DeploymentInput[] = [
  dep("a", "2026-03-01T10:00:00Z", { id: 1 }),
  dep("c", "2026-03-02T10:00:00Z", { id: 2 }),
  dep("m1", "2026-03-03T10:00:00Z", { id: 3 }), // a maintenance release: a new line
  dep("d", "2026-03-04T10:00:00Z", { id: 4 }),
  dep("c", "2026-03-04T12:00:00Z", { id: 5 }), // rolls d back
  dep("m2", "2026-03-05T10:00:00Z", { id: 6 }),
  dep("e", "2026-03-06T10:00:00Z", { id: 7 }), // ships d again, and e
  dep("e", "2026-03-06T11:00:00Z", { id: 8 }), // a redeploy
  dep("b", "2026-03-07T10:00:00Z", { id: 9, line: "old", declaredKind: "rollback" }),
];

const input = { services: [{ id: 1, pathPrefixes: [] }], pullRequests: [], graph, tierOf: inferTier };

describe("a chain restored from its recorded predecessors", () => {
  const whole = deriveChains({ ...input, deployments: history });
  const recorded = new Map(whole.deployments.map((d) => [d.id, { prevDeploymentId: d.prevDeploymentId }]));

  for (const [i, from] of history.entries()) {
    it(`from deployment ${from.id} on, places each deployment as a derive from the start does`, () => {
      const beforeMs = (from.finishedAt as Date).getTime();
      const tail = deriveChains({ ...input, deployments: history, restore: { beforeMs, recorded } });
      expect(tail.deployments).toEqual(
        whole.deployments.filter((d) => d.id >= (history[i] as DeploymentInput).id),
      );
      // Changes match too, apart from first delivery, which the caller completes from the stored rows.
      const strip = (x: (typeof whole.changes)[number]) => ({ ...x, firstInEnvironment: 0, firstInTier: 0 });
      expect(tail.changes.map(strip)).toEqual(
        whole.changes.filter((x) => x.deployedAt.getTime() >= beforeMs).map(strip),
      );
    });
  }

  it("knows which deployments a changed commit can reach: the commit and its descendants", () => {
    expect([...graph.descendants(["c"])].sort()).toEqual(["c", "d", "e"]);
    expect([...graph.descendants(["m1", "x"])].sort()).toEqual(["m1", "m2", "x"]);
    expect([...graph.descendants(["b"])].sort()).toEqual(["b", "c", "d", "e", "m1", "m2"]);
  });
});
