import type { Attribution, DeploymentKind, DiscountReason } from "@/lib/domain/vocabulary";
import type { CommitGraph, GraphCommit } from "./graph";

/**
 * Pure: release lines within one chain (one service, one environment). Definitions: docs/metrics.md § Release
 * lines and § Attribution.
 *
 * A deployment's predecessor is the latest earlier deployment of its line whose commit is an ancestor of its own:
 * the walk back from its SHA stops at the first deployed commits it meets (CommitGraph.since), so a maintenance
 * release ships only what is new on its own line, and a release of an older commit never "goes back" past a newer
 * line. A line is named by its source (a tag or branch rule) or, unnamed, inferred from the commit graph: the
 * deployments of a chain form a tree by predecessor, and a deployment whose predecessor already has a successor
 * starts a new line.
 *
 * A rollback is a redeploy: the SHA was deployed before on the line, the line then moved on to another SHA, and
 * this deployment brings the earlier SHA back within the rollback window of the deployment it undoes. Later than
 * the window it is a redeploy that fails nothing (counted in the data-quality notes).
 *
 * The state below is all a chain needs to go on from any point in time (the deployed SHAs per line, what was
 * delivered to the environment, the deployments placed so far), so that a chain can be re-derived from a point on.
 */

export interface LineInput {
  id: number;
  sha: string;
  finishedAt: Date;
  /** The line its source names; null: inferred from the commit graph. */
  line: string | null;
  declaredKind: DeploymentKind | null;
}

export interface Placement {
  kind: DeploymentKind;
  attribution: Attribution;
  /** What it shipped (before path filtering); null: nothing attributed. */
  commits: GraphCommit[] | null;
  prevDeploymentId: number | null;
  lineStartId: number;
  undoesDeploymentId: number | null;
  discountedReasons: DiscountReason[];
  /** Its walk met commits whose parents we do not hold. */
  historyCut: boolean;
}

/** More commits than this since the deployed ancestors is a history import, not a deployment's worth of work. */
export const MAX_COMMITS_PER_DEPLOYMENT = 5_000;

interface Placed {
  input: LineInput;
  index: number;
  lineKey: string;
  prevId: number | null;
  lineStartId: number;
}

export class ChainState {
  /** Commits already shipped to this environment, by any line (each counts in lead time once). */
  readonly delivered = new Set<string>();
  private readonly placed: Placed[] = [];
  /** Line ('' = inferred) → deployed SHA → its latest deployment (deployments undone by a rollback removed). */
  private readonly deployed = new Map<string, Map<string, Placed>>();
  /** The same over every line: where a line's first deployment forks from. */
  private readonly anyLine = new Map<string, Placed>();
  /** Deployments that already have a successor on their line (a second one starts an inferred line). */
  private readonly continued = new Set<number>();
  /** Named line → its first deployment. */
  private readonly firstOfLine = new Map<string, number>();
  private readonly byId = new Map<number, Placed>();

  constructor(
    private readonly graph: CommitGraph,
    private readonly rollbackWindowMs: number,
  ) {}

  /**
   * Places the next deployment of the chain (in chain order) and says what it is. `recorded`: the predecessor an
   * earlier derive found for it, to restore the state up to a point without walking the graph (incremental derive,
   * ADR 0018); every other step runs as it did then, so the state is the same.
   */
  place(d: LineInput, recorded?: { prevDeploymentId: number | null }): Placement {
    const lineKey = d.line ?? "";
    let line = this.deployed.get(lineKey);
    if (!line) {
      line = new Map();
      this.deployed.set(lineKey, line);
    }
    const earlier = line.get(d.sha);
    const out = earlier ? this.again(d, earlier, lineKey) : this.ahead(d, line, lineKey, recorded);
    const entry: Placed = {
      input: d,
      index: this.placed.length,
      lineKey,
      prevId: out.prevDeploymentId,
      lineStartId: out.lineStartId,
    };
    this.placed.push(entry);
    this.byId.set(d.id, entry);
    line.set(d.sha, entry);
    this.anyLine.set(d.sha, entry);
    return out;
  }

  /** The SHA was deployed before on this line: a redeploy, or a rollback when the line had moved on. */
  private again(d: LineInput, earlier: Placed, lineKey: string): Placement {
    const undone = this.movedOn(earlier, d.sha);
    const undoes = undone.at(-1) ?? null;
    let kind: DeploymentKind = "redeploy";
    const discounted: DiscountReason[] = [];
    if (undoes) {
      const late = d.finishedAt.getTime() - undoes.input.finishedAt.getTime() > this.rollbackWindowMs;
      if (d.declaredKind === "rollback" || !late) kind = "rollback";
      else discounted.push("rollback");
      for (const u of undone) this.forget(u);
    }
    return {
      kind,
      attribution: "none",
      commits: null,
      prevDeploymentId: earlier.input.id,
      lineStartId: lineKey ? this.lineStart(d, lineKey) : earlier.lineStartId,
      undoesDeploymentId: undoes?.input.id ?? null,
      discountedReasons: discounted,
      historyCut: false,
    };
  }

  /** A SHA new to its line: what it ships since the deployed commits it descends from. */
  private ahead(
    d: LineInput,
    line: Map<string, Placed>,
    lineKey: string,
    recorded?: { prevDeploymentId: number | null },
  ): Placement {
    const declared = d.declaredKind === "hotfix" || d.declaredKind === "rollback" ? d.declaredKind : "normal";
    const walk = recorded
      ? {
          prev:
            recorded.prevDeploymentId !== null ? (this.byId.get(recorded.prevDeploymentId) ?? null) : null,
          attribution: "none" as const,
          commits: null,
          cut: false,
        }
      : this.walk(d.sha, line);
    const prev = walk.prev;
    let lineStartId: number;
    if (lineKey) lineStartId = this.lineStart(d, lineKey);
    else if (prev && prev.lineKey === "" && !this.continued.has(prev.input.id))
      lineStartId = prev.lineStartId;
    else lineStartId = d.id;
    if (prev && prev.lineKey === lineKey) this.continued.add(prev.input.id);

    const base = {
      prevDeploymentId: prev?.input.id ?? null,
      lineStartId,
      undoesDeploymentId: null,
      discountedReasons: [] as DiscountReason[],
      historyCut: walk.cut,
    };
    if (declared === "rollback") {
      // The source says it went back: it undoes what its line had live, whatever the graph says.
      const undoes = this.latest((p) => p.lineKey === lineKey && p.input.sha !== d.sha);
      if (undoes) this.forget(undoes);
      return {
        ...base,
        kind: "rollback",
        attribution: "none",
        commits: null,
        undoesDeploymentId: undoes?.input.id ?? null,
      };
    }
    return { ...base, kind: declared, attribution: walk.attribution, commits: walk.commits };
  }

  private walk(
    sha: string,
    line: Map<string, Placed>,
  ): { prev: Placed | null; attribution: Attribution; commits: GraphCommit[] | null; cut: boolean } {
    if (!this.graph.has(sha)) {
      const prev = this.latest((p) => line.get(p.input.sha) === p) ?? this.placed.at(-1) ?? null;
      return { prev, attribution: prev ? "unknown_sha" : "baseline", commits: null, cut: false };
    }
    // Its own line first; a line's first deployment forks from the nearest deployment of any line.
    for (const pool of [line, this.anyLine]) {
      // (Every deployed SHA on this line is in anyLine: the same size is the same set, walked already.)
      if (pool.size === 0 || (pool === this.anyLine && pool.size === line.size)) continue;
      const r = this.graph.since(sha, (s) => pool.has(s), MAX_COMMITS_PER_DEPLOYMENT);
      if (!r.ok) {
        return {
          prev: this.latest((p) => pool.get(p.input.sha) === p),
          attribution: "too_many",
          commits: null,
          cut: false,
        };
      }
      if (r.hits.length === 0) continue;
      return { prev: this.nearest(r.hits, pool), attribution: "graph", commits: r.commits, cut: r.cut > 0 };
    }
    return { prev: null, attribution: "baseline", commits: null, cut: false };
  }

  /** Of the deployed ancestors met, the closest in the graph (highest generation), then the latest deployed. */
  private nearest(hits: readonly string[], pool: Map<string, Placed>): Placed | null {
    let best: Placed | null = null;
    let bestGen = -1;
    for (const sha of hits) {
      const p = pool.get(sha);
      if (!p) continue;
      const g = this.graph.generationOf(sha);
      if (g > bestGen || (g === bestGen && best !== null && p.index > best.index)) {
        best = p;
        bestGen = g;
      }
    }
    return best;
  }

  /**
   * The deployments of the line placed after `from` that descend from it by predecessor and ship another SHA:
   * what a redeploy of `from`'s SHA takes back. Oldest first.
   */
  private movedOn(from: Placed, sha: string): Placed[] {
    const tree = new Set([from.input.id]);
    const out: Placed[] = [];
    for (let i = from.index + 1; i < this.placed.length; i++) {
      const p = this.placed[i] as Placed;
      if (p.lineKey !== from.lineKey || p.prevId === null || !tree.has(p.prevId)) continue;
      tree.add(p.input.id);
      if (p.input.sha !== sha) out.push(p);
    }
    return out;
  }

  /** A deployment undone by a rollback is no longer live: later walks go past it. */
  private forget(p: Placed): void {
    const sha = p.input.sha;
    const line = this.deployed.get(p.lineKey);
    if (line?.get(sha) === p) line.delete(sha);
    if (this.anyLine.get(sha) !== p) return;
    // Another line may still have that SHA live: it stays deployed for the other lines (anyLine ⊇ every line).
    let other: Placed | undefined;
    for (const l of this.deployed.values()) {
      const q = l.get(sha);
      if (q && (!other || q.index > other.index)) other = q;
    }
    if (other) this.anyLine.set(sha, other);
    else this.anyLine.delete(sha);
  }

  private latest(test: (p: Placed) => boolean): Placed | null {
    for (let i = this.placed.length - 1; i >= 0; i--) {
      const p = this.placed[i] as Placed;
      if (test(p)) return p;
    }
    return null;
  }

  private lineStart(d: LineInput, lineKey: string): number {
    const first = this.firstOfLine.get(lineKey);
    if (first !== undefined) return first;
    this.firstOfLine.set(lineKey, d.id);
    return d.id;
  }
}
