import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { insertRows, updateRows } from "@/lib/db/bulk";
import { deploymentChanges, deployments, incidents, repositories } from "@/lib/db/schema";
import { refreshRollups } from "@/lib/metrics/rollups";
import {
  chainOrder,
  type DerivedChange,
  type DerivedDeployment,
  deriveChains,
  type PullRequestInput,
} from "./chains";
import { commitsOfPullRequests } from "./corrections";
import { CommitGraph } from "./graph";
import { loadGraph } from "./graph-cache";
import { linkIncidents } from "./incident-links";
import {
  allPullRequests,
  type DeploymentRow,
  type DeriveContext,
  declaredCommitsOf,
  loadContext,
} from "./load";
import { MAX_MARKED_SHAS, type PendingMark, takeMark } from "./marks";
import { deriveOutcomes } from "./outcomes";
import { canonical, changesForOutcomes, deriveTail, inTail } from "./tail";

export interface DeriveSummary {
  repositoryId: number;
  deployments: number;
  /** Change rows written (the tail's, for a derive from a point in time). */
  changes: number;
  failed: number;
  incidentsLinked: number;
  /** Whole: everything again; from: the chains from `fromTime` on (ADR 0018). */
  mode: "whole" | "from";
  /**
   * The earliest time whose derived rows this derive may have changed (a deployment's live time): null = any time.
   * What caches and rollups of this repository must refresh from.
   */
  fromTime: Date | null;
  ms: number;
}

/**
 * Derives one repository: deployment chains, kinds, shipped changes, incident links, failures, rework and
 * recovery. Deterministic and idempotent: the result depends only on the source rows, so re-running it (after a
 * crash, a re-ingest, a settings change) converges to the same database.
 *
 * What it re-derives follows the repository's mark (./marks.ts, ADR 0018): the chains from the earliest changed
 * point on when the mark says where, else (or with `whole`) everything. Incident links and outcomes are
 * recomputed for every deployment either way, from stored rows, without the commit graph. Both give the same rows
 * (test/integration/derive-incremental.test.ts).
 */
export async function deriveRepository(
  db: Db,
  repositoryId: number,
  options: { whole?: boolean } = {},
): Promise<DeriveSummary> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    const mark = await takeMark(tx, repositoryId);
    const ctx = await loadContext(tx, repositoryId);
    // Only incident links and outcomes to redo: no chain is walked, so no graph is needed.
    const linksOnly = !options.whole && mark.fromMs === Number.POSITIVE_INFINITY && mark.shas.length === 0;
    const graph = linksOnly
      ? new CommitGraph([])
      : await loadGraph(tx, db, repositoryId, mark.graphVersion, ctx.needPaths);
    const fromMs = options.whole ? null : resolveFrom(mark, ctx, graph);

    let derived: Map<number, DerivedDeployment>;
    let written: number;
    // The tail held a deployment that went live (its change rows were rewritten from fromMs on).
    let tailLive = false;
    let outcomeInput: { prs: PullRequestInput[]; changes: DerivedChange[] };
    if (fromMs === null) {
      const prRows = await allPullRequests(tx, repositoryId);
      const chains = deriveChains({
        deployments: ctx.deploymentRows,
        services: ctx.serviceRows,
        pullRequests: prRows,
        graph,
        tierOf: ctx.tierOf,
        excludedDeployments: ctx.applied.excludedDeployments,
        excludedShas: commitsOfPullRequests(prRows, ctx.applied.excludedPullRequests, graph),
        declaredCommits: await declaredCommitsOf(tx, repositoryId),
        rollbackWindowHours: ctx.settings?.rollbackWindowHours,
      });
      derived = new Map(chains.deployments.map((d) => [d.id, d]));
      await rewriteChanges(tx, repositoryId, null, chains.changes);
      written = chains.changes.length;
      outcomeInput = { prs: prRows, changes: canonical([...chains.changes]) };
    } else {
      const tail = await deriveTail(tx, repositoryId, ctx, graph, fromMs);
      derived = storedDerived(ctx.deploymentRows, new Map(tail.derived.map((d) => [d.id, d])), fromMs);
      await rewriteChanges(tx, repositoryId, tail.tailIds, tail.changes);
      written = tail.changes.length;
      tailLive = ctx.deploymentRows.some((d) => d.finishedAt && inTail(d.finishedAt, fromMs));
      outcomeInput = await changesForOutcomes(tx, repositoryId, ctx);
    }

    const links = linkIncidents({
      incidents: ctx.incidentRows,
      deployments: ctx.deploymentRows,
      derived,
      changes: outcomeInput.changes,
      repositoryOfService: new Map(ctx.serviceRows.map((s) => [s.id, repositoryId])),
      tierOf: ctx.tierOf,
      windowHours: ctx.settings?.incidentLinkWindowHours ?? 24,
      corrections: ctx.applied.incidentLink,
    });
    const outcomes = deriveOutcomes({
      deployments: ctx.deploymentRows,
      derived,
      changes: outcomeInput.changes,
      pullRequests: outcomeInput.prs,
      incidents: ctx.incidentRows,
      links,
      corrections: ctx.applied.outcome,
      revertWindowHours: ctx.settings?.revertWindowHours,
    });

    // Write only what changed: a re-derive of an unchanged repository is a read.
    const current = new Map(ctx.deploymentRows.map((d) => [d.id, d]));
    const updates = [...derived.values()]
      .map((d) => ({ ...d, ...(outcomes.get(d.id) as NonNullable<ReturnType<typeof outcomes.get>>) }))
      .filter((next) => {
        const now = current.get(next.id);
        return !now || fingerprint(now) !== fingerprint(next);
      });
    await updateRows(tx, deployments, "id", updates);

    const incidentsById = new Map(ctx.incidentRows.map((i) => [i.id, i]));
    const linkChanges = links.filter((l) => {
      const now = incidentsById.get(l.id);
      return now?.linkedDeploymentId !== l.linkedDeploymentId || now?.linkMethod !== l.linkMethod;
    });
    await updateRows(tx, incidents, "id", linkChanges);

    // A rewritten deployment counts from its finish; one with none now (back to in progress, or never live) may
    // have been live before, at a time only the mark still knows (it holds the old and new finish times).
    const changedAt = updates.flatMap((u) => {
      const at = current.get(u.id)?.finishedAt;
      return at ? [at.getTime()] : fromMs !== null && Number.isFinite(fromMs) ? [fromMs] : [];
    });
    const earliest =
      fromMs === null ? null : Math.min(tailLive ? fromMs : Number.POSITIVE_INFINITY, ...changedAt);
    const fromTime = earliest === null ? null : Number.isFinite(earliest) ? new Date(earliest) : undefined;
    return finishDerive(tx, {
      repositoryId,
      deployments: ctx.deploymentRows.length,
      changes: written,
      failed: [...outcomes.values()].filter((o) => o.isFailed).length,
      incidentsLinked: links.filter((l) => l.linkedDeploymentId !== null).length,
      mode: fromMs === null ? "whole" : "from",
      fromTime: fromTime === undefined ? null : fromTime,
      nothingChanged: fromTime === undefined,
      ms: Math.round(performance.now() - started),
    });
  });
}

/**
 * The one place a repository's derive finishes, in its transaction: whatever must follow derived data (rollups,
 * cached dashboards) refreshes here, from `fromTime` (null: every time), unless nothing changed.
 */
async function finishDerive(
  tx: Db,
  summary: DeriveSummary & { nothingChanged: boolean },
): Promise<DeriveSummary> {
  const { nothingChanged, ...out } = summary;
  // The one place derived rows become visible to readers' caches and rollups: keep it last. The data version moves
  // always; the rollup days only when a deployment row or a change row was written (fromTime says from when).
  await refreshRollups(tx, out.repositoryId, out.fromTime, { unchanged: nothingChanged });
  return out;
}

/**
 * From when the chains must be re-derived (ms), +Infinity when none must, null for everything: the mark's time,
 * moved back to the earliest deployment of a descendant of any commit it names (what a new or changed commit can
 * reach). With a pull request excluded by hand, whose commits are found on the graph, a graph change re-derives
 * everything.
 */
function resolveFrom(mark: PendingMark, ctx: DeriveContext, graph: CommitGraph): number | null {
  if (mark.fromMs === null) return null;
  if (!mark.shas.length) return mark.fromMs;
  if (ctx.applied.excludedPullRequests.size > 0 || mark.shas.length > MAX_MARKED_SHAS) return null;
  const reach = graph.descendants(mark.shas);
  let from = mark.fromMs;
  for (const d of ctx.deploymentRows)
    if (d.finishedAt && reach.has(d.sha) && d.finishedAt.getTime() < from) from = d.finishedAt.getTime();
  return from;
}

/**
 * What each deployment's chain says, in chain order: the tail's fresh results, and for the deployments before
 * `fromMs` what was derived before (the discounted rollback is the chain's; a discounted revert is an outcome).
 */
function storedDerived(
  rows: readonly DeploymentRow[],
  fresh: ReadonlyMap<number, DerivedDeployment>,
  fromMs: number,
): Map<number, DerivedDeployment> {
  const out = new Map<number, DerivedDeployment>();
  for (const d of [...rows].sort(chainOrder)) {
    const again = fresh.get(d.id);
    if (again) out.set(d.id, again);
    else if (!inTail(d.finishedAt, fromMs))
      out.set(d.id, {
        id: d.id,
        prevDeploymentId: d.prevDeploymentId,
        lineStartId: d.lineStartId,
        undoesDeploymentId: d.undoesDeploymentId,
        kind: d.kind,
        attribution: d.attribution,
        changeCount: d.changeCount,
        isCounted: d.isCounted,
        isExcluded: d.isExcluded,
        discountedReasons: d.discountedReasons.filter((r) => r === "rollback"),
        historyCut: d.historyCut,
      });
  }
  return out;
}

/** Replaces the change rows of the given deployments (null: of every deployment of the repository). */
async function rewriteChanges(
  tx: Db,
  repositoryId: number,
  deploymentIds: readonly number[] | null,
  changes: readonly DerivedChange[],
): Promise<void> {
  if (deploymentIds === null) {
    await tx
      .delete(deploymentChanges)
      .where(
        inArray(
          deploymentChanges.deploymentId,
          tx
            .select({ id: deployments.id })
            .from(deployments)
            .where(eq(deployments.repositoryId, repositoryId)),
        ),
      );
  } else if (deploymentIds.length) {
    await tx
      .delete(deploymentChanges)
      .where(
        sql`${deploymentChanges.deploymentId} in (select v::bigint from jsonb_array_elements_text(${JSON.stringify(deploymentIds)}::jsonb) as x(v))`,
      );
  }
  await insertRows(
    tx,
    deploymentChanges,
    changes.map(({ commitSha: _sha, ...change }) => change),
  );
}

function fingerprint(d: {
  prevDeploymentId: number | null;
  lineStartId: number | null;
  undoesDeploymentId: number | null;
  discountedReasons: readonly string[];
  historyCut: boolean;
  kind: string;
  attribution: string;
  changeCount: number;
  isCounted: boolean;
  isFailed: boolean;
  failureReasons: readonly string[];
  recoveredAt: Date | null;
  recoverySeconds: number | null;
  recoveryDeploymentId: number | null;
  isRework: boolean;
  reworkReasons: readonly string[];
  isExcluded: boolean;
  isCorrected: boolean;
}): string {
  return JSON.stringify([
    d.prevDeploymentId,
    d.lineStartId,
    d.undoesDeploymentId,
    [...d.discountedReasons].sort(),
    d.historyCut,
    d.kind,
    d.attribution,
    d.changeCount,
    d.isCounted,
    d.isFailed,
    [...d.failureReasons].sort(),
    d.recoveredAt?.getTime() ?? null,
    d.recoverySeconds,
    d.recoveryDeploymentId,
    d.isRework,
    [...d.reworkReasons].sort(),
    d.isExcluded,
    d.isCorrected,
  ]);
}

/** Derives every repository marked as changed (or all of them), one transaction each. */
export async function deriveRepositories(
  db: Db,
  options: { all?: boolean; onProgress?: (s: DeriveSummary, done: number, total: number) => void } = {},
): Promise<DeriveSummary[]> {
  const rows = await db
    .select({ id: repositories.id })
    .from(repositories)
    .where(options.all ? undefined : eq(repositories.needsDerive, true))
    .orderBy(repositories.id);
  const out: DeriveSummary[] = [];
  for (const [i, { id }] of rows.entries()) {
    const summary = await deriveRepository(db, id, { whole: options.all === true });
    out.push(summary);
    options.onProgress?.(summary, i + 1, rows.length);
  }
  return out;
}

export { markAllForDerive, markForDerive } from "./marks";
