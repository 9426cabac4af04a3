import type { FakeCommit, FakeRepository, FakeTag } from "./model";
import { ms } from "./model";

/**
 * The commit graph operations GitHub performs with git: resolving a revision, `git log` order, ancestry. The
 * data is re-read on every request (tests mutate it), so the oid index is built per request (see `Git.of`).
 */

export class Git {
  private readonly byOid = new Map<string, FakeCommit>();

  constructor(readonly repo: FakeRepository) {
    for (const c of repo.commits) this.byOid.set(c.oid, c);
  }

  /** One index per repository per request. */
  static of(cache: Map<FakeRepository, Git>, repo: FakeRepository): Git {
    let git = cache.get(repo);
    if (!git) {
      git = new Git(repo);
      cache.set(repo, git);
    }
    return git;
  }

  commit(oid: string): FakeCommit | undefined {
    return this.byOid.get(oid);
  }

  /** An abbreviated oid resolves when it is unique, like `git rev-parse`. */
  private byPrefix(prefix: string): FakeCommit | undefined {
    if (prefix.length === 40) return this.byOid.get(prefix);
    let found: FakeCommit | undefined;
    for (const c of this.repo.commits) {
      if (!c.oid.startsWith(prefix)) continue;
      if (found) return undefined;
      found = c;
    }
    return found;
  }

  /**
   * `Repository.object(expression:)`: a branch, `refs/heads/…`, a tag (`refs/tags/…`; an annotated tag resolves to
   * the tag object, as on GitHub), a full or abbreviated oid, or `HEAD`; `^{commit}` peels a tag.
   */
  resolve(expression: string): FakeCommit | FakeTag | undefined {
    const peel = expression.endsWith("^{commit}");
    const rev = peel ? expression.slice(0, -"^{commit}".length) : expression;
    const found = this.resolveRev(rev);
    if (peel && found && "target" in found) return this.commit(found.target);
    return found;
  }

  private resolveRev(rev: string): FakeCommit | FakeTag | undefined {
    const { branches, tags, defaultBranch } = this.repo;
    if (rev === "HEAD") return this.commit(branches[defaultBranch] ?? "");
    const branch = rev.startsWith("refs/heads/") ? rev.slice(11) : rev;
    if (Object.hasOwn(branches, branch)) return this.commit(branches[branch] ?? "");
    const tagName = rev.startsWith("refs/tags/") ? rev.slice(10) : rev;
    const tag = tags.find((t) => t.name === tagName);
    if (tag) return tag.annotated ? tag : this.commit(tag.target);
    if (/^[0-9a-f]{4,40}$/i.test(rev)) return this.byPrefix(rev.toLowerCase());
    return undefined;
  }

  /** A branch, tag or oid peeled to its commit (REST's `{base}...{head}`). */
  resolveCommit(rev: string): FakeCommit | undefined {
    const found = this.resolve(rev);
    return found && "target" in found ? this.commit(found.target) : found;
  }

  /**
   * `git log <start>`: every ancestor including the start, newest committer date first. Like git, a priority
   * queue by date where a commit enters when a child leaves, so a child always comes before its parents; ties
   * keep insertion order.
   */
  log(start: string, stopAt?: ReadonlySet<string>): FakeCommit[] {
    const first = this.commit(start);
    if (!first) return [];
    const out: FakeCommit[] = [];
    const seen = new Set<string>([start]);
    const queue = new DateQueue();
    queue.push(first);
    for (let c = queue.pop(); c; c = queue.pop()) {
      if (stopAt?.has(c.oid)) continue;
      out.push(c);
      for (const p of c.parents) {
        if (seen.has(p)) continue;
        seen.add(p);
        const parent = this.commit(p);
        if (parent) queue.push(parent);
      }
    }
    return out;
  }

  ancestors(start: string): Set<string> {
    return new Set(this.log(start).map((c) => c.oid));
  }
}

/** A max-heap on committer date; equal dates leave in the order they came. */
class DateQueue {
  private heap: { c: FakeCommit; t: number; seq: number }[] = [];
  private seq = 0;

  push(c: FakeCommit) {
    this.heap.push({ c, t: ms(c.committedDate), seq: this.seq++ });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): FakeCommit | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (!top || !last) return undefined;
    if (this.heap.length === 0) return top.c;
    this.heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.heap.length && this.before(l, best)) best = l;
      if (r < this.heap.length && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top.c;
  }

  private before(a: number, b: number) {
    const x = this.heap[a];
    const y = this.heap[b];
    if (!x || !y) return false;
    return x.t !== y.t ? x.t > y.t : x.seq < y.seq;
  }

  private swap(a: number, b: number) {
    const x = this.heap[a];
    const y = this.heap[b];
    if (!x || !y) return;
    this.heap[a] = y;
    this.heap[b] = x;
  }
}

/** `history(path:)`: a path names a file or a directory (with or without the trailing slash). */
export function touches(c: FakeCommit, path: string): boolean {
  const dir = path.endsWith("/") ? path : `${path}/`;
  return c.files.some((f) => f === path || f.startsWith(dir));
}
