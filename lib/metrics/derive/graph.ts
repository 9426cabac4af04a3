import { Heap } from "@/lib/util/heap";

/**
 * The commit graph of one repository, and the one question derive asks of it: which commits are reachable
 * from this deployment's SHA and from none of the earlier deployments it descends from (what
 * `git log this --not <deployed ancestors>` prints).
 *
 * The walk is git's "paint down" with generation numbers: pop the highest generation first, carry a flag for
 * "reachable from tip" and one for "reachable from base", stop once no tip-only commit is left in the queue.
 * It visits the difference plus a thin frontier, not the whole history, so a chain of N deployments over a
 * long history costs about the size of the history once, not N times.
 */

export interface GraphCommit {
  id: number;
  sha: string;
  parentShas: readonly string[];
  authoredAt: Date;
  isBot: boolean;
  changedPaths: readonly string[] | null;
}

export type RangeResult =
  | { ok: true; commits: GraphCommit[]; cut: number }
  | { ok: false; reason: "unknown_tip" | "unknown_base" | "too_many" };

/** What is new in `tip` since the deployed commits it descends from (see CommitGraph.since). */
export type SinceResult =
  | {
      ok: true;
      commits: GraphCommit[];
      /** The nearest deployed ancestors: deployed commits reached before any other deployed commit. */
      hits: string[];
      /** Edges from a new commit to a parent we do not hold: history cut (a sync horizon), so commits are missing. */
      cut: number;
    }
  | { ok: false; reason: "unknown_tip" | "too_many" };

const TIP = 1;
const BASE = 2;

export class CommitGraph {
  private readonly bySha = new Map<string, GraphCommit>();
  private readonly generation = new Map<string, number>();
  /** Parent → children, built on the first `descendants` call. */
  private children: Map<string, string[]> | null = null;

  constructor(commits: Iterable<GraphCommit>) {
    for (const c of commits) this.bySha.set(c.sha, c);
    this.computeGenerations();
  }

  get size(): number {
    return this.bySha.size;
  }

  has(sha: string): boolean {
    return this.bySha.has(sha);
  }

  get(sha: string): GraphCommit | undefined {
    return this.bySha.get(sha);
  }

  /** Commits reachable from `tip` and not from `base`, newest generation first. */
  range(tip: string, base: string, limit = Number.POSITIVE_INFINITY): RangeResult {
    if (!this.bySha.has(tip)) return { ok: false, reason: "unknown_tip" };
    if (!this.bySha.has(base)) return { ok: false, reason: "unknown_base" };
    if (tip === base) return { ok: true, commits: [], cut: 0 };
    const out = this.walk(tip, [base], null, limit);
    return out.ok ? { ok: true, commits: out.commits, cut: out.cut } : out;
  }

  /**
   * Commits reachable from `tip` and from none of the deployed commits it descends from: `git log tip --not
   * <every deployed ancestor>`, where the deployed ancestors are found on the way (`isDeployed`). The walk is the
   * same paint-down as `range`: a deployed commit popped while still reachable only from the tip becomes a base, and
   * since commits come out highest generation first, every commit below it is painted before it is popped. So the
   * walk visits what is new plus a thin frontier, however many deployments a line has had.
   */
  since(tip: string, isDeployed: (sha: string) => boolean, limit = Number.POSITIVE_INFINITY): SinceResult {
    if (!this.bySha.has(tip)) return { ok: false, reason: "unknown_tip" };
    const out = this.walk(tip, [], isDeployed, limit);
    return out.ok ? out : { ok: false, reason: "too_many" };
  }

  /** The generation of a commit we hold (1 for a root), 0 for one we do not. */
  generationOf(sha: string): number {
    return this.generation.get(sha) ?? 0;
  }

  private walk(
    tip: string,
    bases: readonly string[],
    isDeployed: ((sha: string) => boolean) | null,
    limit: number,
  ): { ok: true; commits: GraphCommit[]; hits: string[]; cut: number } | { ok: false; reason: "too_many" } {
    const flags = new Map<string, number>([[tip, TIP]]);
    // Highest generation first; ties by SHA so that walks are deterministic.
    const gen = (sha: string) => this.generation.get(sha) ?? 0;
    const queue = new Heap<string>((a, b) => gen(a) > gen(b) || (gen(a) === gen(b) && a > b));
    queue.push(tip);
    for (const base of bases) {
      flags.set(base, BASE);
      queue.push(base);
    }
    let tipOnlyQueued = 1;
    const result: GraphCommit[] = [];
    const hits: string[] = [];
    let cut = 0;

    while (tipOnlyQueued > 0) {
      const sha = queue.pop();
      if (sha === undefined) break;
      let flag = flags.get(sha) ?? 0;
      if (flag === TIP) {
        tipOnlyQueued--;
        if (isDeployed?.(sha)) {
          // A deployed commit reached only from the tip: the nearest deployed ancestor on this path.
          hits.push(sha);
          flag = BASE;
          flags.set(sha, flag);
        } else {
          const commit = this.bySha.get(sha) as GraphCommit;
          result.push(commit);
          if (result.length > limit) return { ok: false, reason: "too_many" };
        }
      }
      for (const parent of this.bySha.get(sha)?.parentShas ?? []) {
        if (!this.bySha.has(parent)) {
          if (flag === TIP) cut++; // history we do not hold: the walk ends there
          continue;
        }
        const before = flags.get(parent);
        const after = (before ?? 0) | flag;
        if (before === undefined) {
          flags.set(parent, after);
          queue.push(parent);
          if (after === TIP) tipOnlyQueued++;
        } else if (before !== after) {
          flags.set(parent, after);
          if (before === TIP) tipOnlyQueued--; // it was tip-only and now is also reachable from base
        }
      }
    }
    return { ok: true, commits: result, hits, cut };
  }

  /**
   * The given commits and every commit we hold that descends from one of them: the deployments of these are all
   * that a change to the given commits (new, re-parented, new paths or author time) can reach (ADR 0018).
   */
  descendants(roots: Iterable<string>): Set<string> {
    if (!this.children) {
      this.children = new Map();
      for (const c of this.bySha.values()) {
        for (const p of c.parentShas) this.children.set(p, [...(this.children.get(p) ?? []), c.sha]);
      }
    }
    const out = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
      const sha = stack.pop() as string;
      if (out.has(sha)) continue;
      out.add(sha);
      for (const child of this.children.get(sha) ?? []) if (!out.has(child)) stack.push(child);
    }
    return out;
  }

  /** True when `ancestor` is reachable from `descendant` (or equal to it). */
  isAncestor(ancestor: string, descendant: string): boolean {
    const r = this.range(ancestor, descendant);
    return r.ok && r.commits.length === 0;
  }

  /** Generation = 1 + the highest generation of the parents we hold; parents come before children. */
  private computeGenerations(): void {
    for (const start of this.bySha.keys()) {
      if (this.generation.has(start)) continue;
      // Iterative post-order DFS: histories are far deeper than the call stack.
      const stack: string[] = [start];
      while (stack.length > 0) {
        const sha = stack[stack.length - 1] as string;
        if (this.generation.has(sha)) {
          stack.pop();
          continue;
        }
        let pending = false;
        let max = 0;
        for (const parent of this.bySha.get(sha)?.parentShas ?? []) {
          if (!this.bySha.has(parent)) continue;
          const g = this.generation.get(parent);
          if (g === undefined) {
            stack.push(parent);
            pending = true;
          } else if (g > max) max = g;
        }
        if (!pending) {
          this.generation.set(sha, max + 1);
          stack.pop();
        }
      }
    }
  }
}
