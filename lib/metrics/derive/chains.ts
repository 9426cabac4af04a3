import type {
  Attribution,
  DeploymentKind,
  DeploymentStatus,
  DiscountReason,
  EnvironmentTier,
  MergeMethod,
} from "@/lib/domain/vocabulary";
import type { CommitGraph, GraphCommit } from "./graph";
import { ChainState, type Placement } from "./lines";

export { MAX_COMMITS_PER_DEPLOYMENT } from "./lines";

/**
 * Pure: from the deployments of one repository and its commit graph, work out each deployment's chain (the
 * successful deployments of the same service and environment), its line and predecessor, its kind and the changes
 * it shipped. Definitions: docs/metrics.md § Attribution and § Release lines.
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
  /** The release line its source names (a tag or branch rule); null: inferred from the commit graph. */
  line: string | null;
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
  /** The latest earlier deployment of its line whose commit is an ancestor of (or equal to) this one's. */
  prevDeploymentId: number | null;
  /** The first deployment of its line. */
  lineStartId: number | null;
  /** A rollback (or a redeploy later than the rollback window): the deployment whose SHA it took back. */
  undoesDeploymentId: number | null;
  kind: DeploymentKind;
  attribution: Attribution;
  changeCount: number;
  isCounted: boolean;
  /** Excluded by a correction: left out of its chain, never counted. */
  isExcluded: boolean;
  /** Remedies it made later than their window (no failure, no rework). */
  discountedReasons: DiscountReason[];
  /** Its changes reach commits whose parents Throughline does not hold (history cut at a sync horizon). */
  historyCut: boolean;
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
  /** A redeploy of an earlier SHA is a rollback only this soon after the deployment it undoes (default 168 h). */
  rollbackWindowHours?: number;
  /**
   * Incremental derive (ADR 0018): chain deployments that went live before `beforeMs` are not derived again; their
   * recorded predecessors restore each chain's state, and only the later ones are placed, walked and returned.
   * Their changes' first-delivery flags then see only this tail: the caller adds the earlier deliveries.
   */
  restore?: { beforeMs: number; recorded: ReadonlyMap<number, { prevDeploymentId: number | null }> };
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
  const windowMs = (input.rollbackWindowHours ?? 168) * 3_600_000;

  const excluded = input.excludedDeployments ?? new Set<number>();
  const excludedShas = input.excludedShas ?? new Set<string>();
  for (const d of input.deployments) {
    if (d.status !== "success" || !d.finishedAt || excluded.has(d.id)) {
      derived.push({
        id: d.id,
        prevDeploymentId: null,
        lineStartId: null,
        undoesDeploymentId: null,
        kind: d.declaredKind ?? "normal",
        attribution: "none",
        changeCount: 0,
        isCounted: false,
        isExcluded: excluded.has(d.id),
        discountedReasons: [],
        historyCut: false,
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
    const state = new ChainState(input.graph, windowMs);
    for (const d of chain) {
      if (input.restore && (d.finishedAt as Date).getTime() < input.restore.beforeMs) {
        state.place({ ...d, finishedAt: d.finishedAt as Date }, input.restore.recorded.get(d.id));
        continue;
      }
      const placed = withDeclared(
        state.place({ ...d, finishedAt: d.finishedAt as Date }),
        input.declaredCommits?.get(d.id),
        input.graph,
      );
      const paths = prefixes.get(d.serviceId) ?? [];
      const shipped = (placed.commits ?? []).filter((c) => touches(c, paths));
      for (const c of shipped) {
        const change = toChange(d, c, prByMergeSha.get(c.sha), !state.delivered.has(c.sha));
        change.isExcluded = excludedShas.has(c.sha);
        changes.push(change);
        state.delivered.add(c.sha);
      }
      derived.push({
        id: d.id,
        prevDeploymentId: placed.prevDeploymentId,
        lineStartId: placed.lineStartId,
        undoesDeploymentId: placed.undoesDeploymentId,
        kind: placed.kind,
        attribution: placed.attribution,
        changeCount: shipped.length,
        isCounted: placed.kind !== "redeploy",
        isExcluded: false,
        discountedReasons: placed.discountedReasons,
        historyCut: placed.historyCut,
      });
    }
  }

  markFirstInTier(changes, input.tierOf);
  return { deployments: derived, changes };
}

/** A redeploy ships nothing: blame (or credit) goes to the deployment that first shipped its SHA. */
export function originalOf(
  derived: ReadonlyMap<number, DerivedDeployment>,
  id: number | null | undefined,
): number | null {
  let current = id ?? null;
  for (let hops = 0; current !== null && hops < 1_000; hops++) {
    const d = derived.get(current);
    if (d?.kind !== "redeploy") return current;
    current = d.prevDeploymentId;
  }
  return current;
}

/**
 * A deployment that lists what it shipped (push API) is taken at its word, except that a redeploy or a rollback
 * ships nothing new whatever it lists. Listed commits we do not hold are skipped: they have no author time.
 */
function withDeclared(
  out: Placement,
  declared: readonly string[] | undefined,
  graph: CommitGraph,
): Placement {
  if (!declared || declared.length === 0 || out.kind === "redeploy" || out.kind === "rollback") return out;
  const commits = declared.map((sha) => graph.get(sha)).filter((c): c is GraphCommit => c !== undefined);
  return { ...out, attribution: "declared", commits };
}

/** A commit belongs to a service when it touches one of its path prefixes; unknown paths are kept. */
export function touches(commit: GraphCommit, prefixes: readonly string[]): boolean {
  if (prefixes.length === 0 || commit.changedPaths === null) return true;
  return commit.changedPaths.some((path) => prefixes.some((prefix) => path.startsWith(prefix)));
}

export function toChange(
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
    // Negative when the author's clock was ahead of the deployment: kept as it is, and left out of lead time.
    leadSeconds: Math.round((deployedAt.getTime() - startedAt.getTime()) / 1000),
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
