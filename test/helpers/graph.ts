import type { GraphCommit } from "@/lib/metrics/derive/graph";

let nextId = 1;

/** A commit for graph tests: `c("b", ["a"], "2026-03-02T10:00Z")`. */
export function c(
  sha: string,
  parents: string[] = [],
  at = "2026-01-01T00:00:00Z",
  extra: Partial<GraphCommit> = {},
): GraphCommit {
  return {
    id: extra.id ?? nextId++,
    sha,
    parentShas: parents,
    authoredAt: new Date(at),
    isBot: false,
    changedPaths: null,
    ...extra,
  };
}

/** a ← b ← c … : each commit's parent is the one before it. */
export function linear(shas: string[], start = "2026-01-01T00:00:00Z", stepMinutes = 60): GraphCommit[] {
  const t0 = new Date(start).getTime();
  return shas.map((sha, i) =>
    c(sha, i === 0 ? [] : [shas[i - 1] as string], new Date(t0 + i * stepMinutes * 60_000).toISOString()),
  );
}

export const shas = (commits: readonly GraphCommit[]) => commits.map((x) => x.sha).sort();
