import type {
  Attribution,
  DeploymentKind,
  DeploymentStatus,
  EnvironmentTier,
  MergeMethod,
} from "@/lib/domain/vocabulary";
import type { CommitGraph, GraphCommit } from "./graph";

/**
 * Pure: from the deployments of one repository and its commit graph, work out each deployment's chain
 * (previous successful deployment of the same service and environment), its kind and the changes it shipped.
 * Definitions: docs/metrics.md § Attribution.
 */

export interface DeploymentInput {
  id: number;
  serviceId: number;
  environment: string;
  sha: string;
  status: DeploymentStatus;
  finishedAt: Date | null;
  declaredKind: DeploymentKind | null;
  fixesDeploymentId: number | null;
}

export interface ServiceInput {
  id: number;
  pathPrefixes: readonly string[];
}

export interface PullRequestInput {
  id: number;
  number: number;
  mergeSha: string | null;
  mergeMethod: MergeMethod | null;
  firstCommitAt: Date | null;
  isBot: boolean;
  isRevert: boolean;
  revertsNumber: number | null;
  isHotfix: boolean;
}

export interface DerivedDeployment {
  id: number;
  prevDeploymentId: number | null;
  kind: DeploymentKind;
  attribution: Attribution;
  changeCount: number;
  isCounted: boolean;
  /** Excluded by a correction: left out of its chain, never counted. */
  isExcluded: boolean;
}

export interface DerivedChange {
  deploymentId: number;
  commitId: number;
  commitSha: string;
  pullRequestId: number | null;
  serviceId: number;
  environment: string;
  deployedAt: Date;
  startedAt: Date;
  leadSeconds: number;
  isBot: boolean;
  isMerge: boolean;
  /** Part of a pull request excluded by a correction: listed, not in lead time. */
  isExcluded: boolean;
  firstInEnvironment: boolean;
  firstInTier: boolean;
}

/** More commits than this between two deployments is a history import, not a deployment's worth of work. */
export const MAX_COMMITS_PER_DEPLOYMENT = 5_000;

export interface ChainInput {
  deployments: readonly DeploymentInput[];
  services: readonly ServiceInput[];
  pullRequests: readonly PullRequestInput[];
  graph: CommitGraph;
  tierOf: (environment: string) => EnvironmentTier;
  /** Deployments excluded by a correction. */
  excludedDeployments?: ReadonlySet<number>;
  /** Commits of pull requests excluded by a correction. */
  excludedShas?: ReadonlySet<string>;
  /** The commits a deployment says it shipped (push API): they replace the graph walk for that deployment. */
  declaredCommits?: ReadonlyMap<number, readonly string[]>;
}

export interface ChainOutput {
  deployments: DerivedDeployment[];
  changes: DerivedChange[];
}

/** Chain order: finish time, then id (two deployments finishing in the same second keep their arrival order). */
export function chainOrder(
  a: { finishedAt: Date | null; id: number },
  b: { finishedAt: Date | null; id: number },
) {
  const ta = a.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const tb = b.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return ta - tb || a.id - b.id;
}

export function deriveChains(input: ChainInput): ChainOutput {
  const prefixes = new Map(input.services.map((s) => [s.id, s.pathPrefixes]));
  const prByMergeSha = new Map<string, PullRequestInput>();
  for (const pr of input.pullRequests) if (pr.mergeSha) prByMergeSha.set(pr.mergeSha, pr);

  const derived: DerivedDeployment[] = [];
  const changes: DerivedChange[] = [];
  const chains = new Map<string, DeploymentInput[]>();

  const excluded = input.excludedDeployments ?? new Set<number>();
  const excludedShas = input.excludedShas ?? new Set<string>();
  for (const d of input.deployments) {
    if (d.status !== "success" || !d.finishedAt || excluded.has(d.id)) {
      derived.push({
        id: d.id,
        prevDeploymentId: null,
        kind: d.declaredKind ?? "normal",
        attribution: "none",
        changeCount: 0,
        isCounted: false,
        isExcluded: excluded.has(d.id),
      });
      continue;
    }
    const key = `${d.serviceId}\u0000${d.environment}`;
    const chain = chains.get(key) ?? [];
    chain.push(d);
    chains.set(key, chain);
  }

  for (const chain of chains.values()) {
    chain.sort(chainOrder);
    const delivered = new Set<string>(); // commits already shipped to this environment
    let prev: DeploymentInput | null = null;
    for (const d of chain) {
      const out = withDeclared(classify(d, prev, input.graph), input.declaredCommits?.get(d.id), input.graph);
      let shipped: GraphCommit[] = [];
      if (out.commits) {
        const paths = prefixes.get(d.serviceId) ?? [];
        shipped = out.commits.filter((c) => touches(c, paths));
      }
      for (const c of shipped) {
        const change = toChange(d, c, prByMergeSha.get(c.sha), !delivered.has(c.sha));
        change.isExcluded = excludedShas.has(c.sha);
        changes.push(change);
        delivered.add(c.sha);
      }
      derived.push({
        id: d.id,
        prevDeploymentId: prev?.id ?? null,
        kind: out.kind,
        attribution: out.attribution,
        changeCount: shipped.length,
        isCounted: out.kind !== "redeploy",
        isExcluded: false,
      });
      prev = d;
    }
  }

  markFirstInTier(changes, input.tierOf);
  return { deployments: derived, changes };
}

interface Classification {
  kind: DeploymentKind;
  attribution: Attribution;
  commits: GraphCommit[] | null;
}

function classify(d: DeploymentInput, prev: DeploymentInput | null, graph: CommitGraph): Classification {
  const declared: DeploymentKind =
    d.declaredKind === "rollback" || d.declaredKind === "hotfix" ? d.declaredKind : "normal";
  if (!prev) return { kind: declared, attribution: "baseline", commits: null };
  if (d.sha === prev.sha) return { kind: "redeploy", attribution: "none", commits: null };
  const range = graph.range(d.sha, prev.sha, MAX_COMMITS_PER_DEPLOYMENT);
  if (!range.ok) {
    return {
      kind: declared,
      attribution: range.reason === "too_many" ? "too_many" : "unknown_sha",
      commits: null,
    };
  }
  // Nothing new and a different SHA: this SHA is an ancestor of what was live, i.e. it went back.
  if (range.commits.length === 0) return { kind: "rollback", attribution: "none", commits: null };
  return { kind: declared, attribution: "graph", commits: range.commits };
}

/**
 * A deployment that lists what it shipped (push API) is taken at its word, except that a redeploy or a rollback
 * ships nothing new whatever it lists. Listed commits we do not hold are skipped: they have no author time.
 */
function withDeclared(
  out: Classification,
  declared: readonly string[] | undefined,
  graph: CommitGraph,
): Classification {
  if (!declared || declared.length === 0 || out.kind === "redeploy" || out.kind === "rollback") return out;
  const commits = declared.map((sha) => graph.get(sha)).filter((c): c is GraphCommit => c !== undefined);
  return { ...out, attribution: "declared", commits };
}

/** A commit belongs to a service when it touches one of its path prefixes; unknown paths are kept. */
export function touches(commit: GraphCommit, prefixes: readonly string[]): boolean {
  if (prefixes.length === 0 || commit.changedPaths === null) return true;
  return commit.changedPaths.some((path) => prefixes.some((prefix) => path.startsWith(prefix)));
}

function toChange(
  d: DeploymentInput,
  c: GraphCommit,
  pr: PullRequestInput | undefined,
  first: boolean,
): DerivedChange {
  const deployedAt = d.finishedAt as Date;
  const isMerge = c.parentShas.length > 1;
  let startedAt = c.authoredAt;
  // A squash commit is authored at merge time; the change really started at the PR's first commit.
  // (A rebase merge keeps each commit's author time; a merge commit is not a change of its own.)
  if (pr?.firstCommitAt && !isMerge && pr.mergeMethod !== "rebase" && pr.firstCommitAt < startedAt) {
    startedAt = pr.firstCommitAt;
  }
  return {
    deploymentId: d.id,
    commitId: c.id,
    commitSha: c.sha,
    pullRequestId: pr?.id ?? null,
    serviceId: d.serviceId,
    environment: d.environment,
    deployedAt,
    startedAt,
    leadSeconds: Math.max(0, Math.round((deployedAt.getTime() - startedAt.getTime()) / 1000)),
    isBot: c.isBot || (pr?.isBot ?? false),
    isMerge,
    isExcluded: false,
    firstInEnvironment: first,
    firstInTier: false,
  };
}

/** Across the environments of one tier (prod-eu, prod-us), a commit counts at its first delivery only. */
function markFirstInTier(changes: DerivedChange[], tierOf: (environment: string) => EnvironmentTier) {
  const order = [...changes].sort(
    (a, b) => a.deployedAt.getTime() - b.deployedAt.getTime() || a.deploymentId - b.deploymentId,
  );
  const seen = new Set<string>();
  for (const c of order) {
    const key = `${c.serviceId}\u0000${tierOf(c.environment)}\u0000${c.commitSha}`;
    c.firstInTier = !seen.has(key);
    seen.add(key);
  }
}
