import type { DiscountReason, FailureReason, ReworkReason } from "@/lib/domain/vocabulary";
import {
  type DeploymentInput,
  type DerivedChange,
  type DerivedDeployment,
  originalOf,
  type PullRequestInput,
} from "./chains";
import type { IncidentInput, IncidentLink } from "./incident-links";

/** Deployment → failed (true) or not failed (false), from the active corrections (./corrections.ts). */
export type OutcomeCorrections = ReadonlyMap<number, boolean>;

/**
 * Pure: which deployments failed (needed remediation), which were rework (unplanned remediation), and when each
 * failure was recovered. Definitions: docs/metrics.md § Change failure rate, § Recovery time, § Rework rate.
 *
 * Failure signals:        rollback to a SHA live before (within the rollback window) → the deployment it undid
 *                         failed
 *                         a revert PR shipped (within the revert window) → the deployment that first shipped the
 *                         reverted PR failed
 *                         "this fixes deployment X" from the source → X failed
 *                         an incident linked to X → X failed
 * Rework signals:         rollbacks, hotfixes (declared or a hotfix-labelled PR), revert deployments,
 *                         fix deployments, deployments that restored an incident
 * Recovery:               the earliest remediation after the failure: the rollback/revert/fix deployment, or
 *                         the incident's restoring deployment, or (without one) its resolution time.
 * Corrections:            "failed" adds the reason `corrected` (recovered, without another remedy, by the next
 *                         deployment of the same chain that ships another SHA); "not failed" clears every signal.
 */

export interface Outcome {
  isFailed: boolean;
  failureReasons: FailureReason[];
  recoveredAt: Date | null;
  recoverySeconds: number | null;
  recoveryDeploymentId: number | null;
  isRework: boolean;
  reworkReasons: ReworkReason[];
  /** A correction decided isFailed. */
  isCorrected: boolean;
  /** Remedies this deployment made later than their window: no failure, no rework (data-quality notes). */
  discountedReasons: DiscountReason[];
}

export interface OutcomeInput {
  deployments: readonly DeploymentInput[];
  derived: ReadonlyMap<number, DerivedDeployment>;
  changes: readonly DerivedChange[];
  pullRequests: readonly PullRequestInput[];
  incidents: readonly IncidentInput[];
  links: readonly IncidentLink[];
  corrections?: OutcomeCorrections;
  /** A revert is a failure of the reverted change only this soon after it went live (default 168 h). */
  revertWindowHours?: number;
}

interface Remedy {
  at: Date;
  deploymentId: number | null;
}

export function deriveOutcomes(input: OutcomeInput): Map<number, Outcome> {
  const byId = new Map(input.deployments.map((d) => [d.id, d]));
  const outcomes = new Map<number, Outcome>();
  const remedies = new Map<number, Remedy[]>();
  for (const d of input.deployments) {
    outcomes.set(d.id, {
      isFailed: false,
      failureReasons: [],
      recoveredAt: null,
      recoverySeconds: null,
      recoveryDeploymentId: null,
      isRework: false,
      reworkReasons: [],
      isCorrected: false,
      discountedReasons: [...(input.derived.get(d.id)?.discountedReasons ?? [])],
    });
  }

  const counted = (id: number | null | undefined) =>
    id != null ? input.derived.get(id)?.isCounted === true : false;
  const original = (id: number | null | undefined) => originalOf(input.derived, id);
  const fail = (id: number | null, reason: FailureReason, remedy: Remedy | null) => {
    if (id === null || !counted(id)) return;
    const o = outcomes.get(id) as Outcome;
    o.isFailed = true;
    if (!o.failureReasons.includes(reason)) o.failureReasons.push(reason);
    if (remedy) remedies.set(id, [...(remedies.get(id) ?? []), remedy]);
  };
  const rework = (id: number | null, reason: ReworkReason) => {
    if (id === null || !counted(id)) return;
    const o = outcomes.get(id) as Outcome;
    o.isRework = true;
    if (!o.reworkReasons.includes(reason)) o.reworkReasons.push(reason);
  };
  const remedyOf = (id: number): Remedy | null => {
    const at = byId.get(id)?.finishedAt;
    return at ? { at, deploymentId: id } : null;
  };

  // Rollbacks, declared hotfixes and fix deployments.
  for (const d of input.deployments) {
    const derived = input.derived.get(d.id);
    if (!derived?.isCounted) continue;
    if (derived.kind === "rollback") {
      fail(original(derived.undoesDeploymentId), "rollback", remedyOf(d.id));
      rework(d.id, "rollback");
    }
    if (derived.kind === "hotfix") rework(d.id, "hotfix");
    if (d.fixesDeploymentId !== null) {
      fail(original(d.fixesDeploymentId), "fix_deployment", remedyOf(d.id));
      rework(d.id, "fix_deployment");
    }
  }

  // Reverts and hotfix PRs, from what each deployment shipped for the first time.
  const revertWindowMs = (input.revertWindowHours ?? 168) * 3_600_000;
  const prById = new Map(input.pullRequests.map((p) => [p.id, p]));
  const prByNumber = new Map(input.pullRequests.map((p) => [p.number, p]));
  const firstDelivery = new Map<string, number>(); // `${prId}|${service}|${env}` → deployment
  for (const c of input.changes) {
    if (c.pullRequestId !== null && c.firstInEnvironment) {
      firstDelivery.set(`${c.pullRequestId}|${c.serviceId}|${c.environment}`, c.deploymentId);
    }
  }
  for (const c of input.changes) {
    if (c.pullRequestId === null || !c.firstInEnvironment || c.isExcluded) continue;
    const pr = prById.get(c.pullRequestId);
    if (!pr) continue;
    if (pr.isHotfix) rework(c.deploymentId, "hotfix");
    if (!pr.isRevert) continue;
    const reverted = pr.revertsNumber !== null ? prByNumber.get(pr.revertsNumber) : undefined;
    const culprit = reverted
      ? firstDelivery.get(`${reverted.id}|${c.serviceId}|${c.environment}`)
      : undefined;
    // Reverted before it ever reached this environment: nothing failed here.
    if (culprit === undefined || culprit === c.deploymentId) continue;
    const culpritAt = byId.get(culprit)?.finishedAt;
    if (!culpritAt || culpritAt > c.deployedAt) continue;
    // Reverted long after it went live: no immediate intervention, so no change failure (and no rework).
    if (c.deployedAt.getTime() - culpritAt.getTime() > revertWindowMs) {
      const o = outcomes.get(c.deploymentId) as Outcome;
      if (!o.discountedReasons.includes("revert")) o.discountedReasons.push("revert");
      continue;
    }
    fail(culprit, "revert", remedyOf(c.deploymentId));
    rework(c.deploymentId, "revert");
  }

  // Incidents.
  const incidentById = new Map(input.incidents.map((i) => [i.id, i]));
  for (const link of input.links) {
    const culprit = original(link.linkedDeploymentId);
    if (culprit === null) continue;
    const incident = incidentById.get(link.id);
    if (!incident) continue;
    let remedy: Remedy | null = null;
    const restoring = incident.restoredByDeploymentId;
    if (restoring !== null && byId.get(restoring)?.finishedAt) {
      remedy = remedyOf(restoring);
      rework(restoring, "incident_fix");
    } else if (incident.resolvedAt) {
      remedy = { at: incident.resolvedAt, deploymentId: null };
    }
    fail(culprit, "incident", remedy);
  }

  applyCorrections(input, outcomes, remedies, original, fail);

  // Recovery: the earliest remedy at or after the failure went live.
  for (const [id, list] of remedies) {
    const o = outcomes.get(id) as Outcome;
    const failedAt = byId.get(id)?.finishedAt as Date;
    const valid = list.filter((r) => r.at.getTime() >= failedAt.getTime());
    const best = valid.sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    if (!best) continue;
    o.recoveredAt = best.at;
    o.recoverySeconds = Math.round((best.at.getTime() - failedAt.getTime()) / 1000);
    o.recoveryDeploymentId = best.deploymentId;
  }
  return outcomes;
}

function applyCorrections(
  input: OutcomeInput,
  outcomes: Map<number, Outcome>,
  remedies: Map<number, Remedy[]>,
  original: (id: number) => number | null,
  fail: (id: number | null, reason: FailureReason, remedy: Remedy | null) => void,
): void {
  if (!input.corrections?.size) return;
  // Deployment → the first one that followed it on its line (derived lists each chain in time order).
  const next = new Map<number, number>();
  for (const d of input.derived.values())
    if (d.prevDeploymentId !== null && !next.has(d.prevDeploymentId)) next.set(d.prevDeploymentId, d.id);
  const finishedAt = new Map(input.deployments.map((d) => [d.id, d.finishedAt]));

  for (const [id, failed] of input.corrections) {
    const target = original(id);
    if (target === null || input.derived.get(target)?.isCounted !== true) continue;
    const o = outcomes.get(target) as Outcome;
    o.isCorrected = true;
    if (!failed) {
      o.isFailed = false;
      o.failureReasons = [];
      remedies.delete(target);
      continue;
    }
    // Redeploys of the failing SHA fix nothing: the remedy is the first deployment of another SHA.
    let after = next.get(target);
    while (after !== undefined && original(after) === target) after = next.get(after);
    const at = after !== undefined ? finishedAt.get(after) : null;
    fail(target, "corrected", at && after !== undefined ? { at, deploymentId: after } : null);
  }
}
