import type { EnvironmentTier, IncidentLinkMethod } from "@/lib/domain/vocabulary";
import { type DeploymentInput, type DerivedChange, type DerivedDeployment, originalOf } from "./chains";

/**
 * Pure: which deployment caused each incident. An explicit link from the source wins; then a SHA named as the
 * cause (the earliest production deployment that shipped it); then, for an incident of a known service, the
 * last production deployment of that service within the org's window before the incident opened. Otherwise the
 * incident stays unlinked and does not count as a change failure (docs/metrics.md § Change failure rate).
 * A correction by hand overrides all of these: "linked to X" links it to X; "not caused by X" unlinks it when
 * that is where the rules led.
 */

export interface IncidentInput {
  id: number;
  serviceId: number | null;
  repositoryId: number | null;
  openedAt: Date;
  resolvedAt: Date | null;
  causedByDeploymentId: number | null;
  causedBySha: string | null;
  restoredByDeploymentId: number | null;
}

export interface IncidentLink {
  id: number;
  linkedDeploymentId: number | null;
  linkMethod: IncidentLinkMethod | null;
}

export interface LinkInput {
  incidents: readonly IncidentInput[];
  deployments: readonly DeploymentInput[];
  derived: ReadonlyMap<number, DerivedDeployment>;
  changes: readonly DerivedChange[];
  /** Service id → repository id, for incidents that name only a repository. */
  repositoryOfService: ReadonlyMap<number, number>;
  tierOf: (environment: string) => EnvironmentTier;
  windowHours: number;
  /** Incident → the newest active link/unlink correction (./corrections.ts). */
  corrections?: ReadonlyMap<number, { deploymentId: number; linked: boolean }>;
}

export function linkIncidents(input: LinkInput): IncidentLink[] {
  // Every production deployment that went live, redeploys included: an incident half an hour after a redeploy
  // follows that redeploy, and is blamed on the deployment that first shipped its SHA (`original`).
  const production = input.deployments
    .filter(
      (d) => input.derived.get(d.id)?.lineStartId != null && input.tierOf(d.environment) === "production",
    )
    .sort((a, b) => (a.finishedAt?.getTime() ?? 0) - (b.finishedAt?.getTime() ?? 0) || a.id - b.id);
  const original = (id: number): number => originalOf(input.derived, id) ?? id;
  const byId = new Map(input.deployments.map((d) => [d.id, d]));

  const firstShipping = new Map<string, number>(); // sha → earliest production deployment that shipped it
  const shipped = [...input.changes].sort(
    (a, b) => a.deployedAt.getTime() - b.deployedAt.getTime() || a.deploymentId - b.deploymentId,
  );
  for (const c of shipped) {
    const d = byId.get(c.deploymentId);
    if (!d || input.tierOf(d.environment) !== "production") continue;
    if (!firstShipping.has(c.commitSha)) firstShipping.set(c.commitSha, c.deploymentId);
  }
  for (const d of production) if (!firstShipping.has(d.sha)) firstShipping.set(d.sha, original(d.id));

  const windowMs = input.windowHours * 3_600_000;
  return input.incidents.map((incident): IncidentLink => {
    const link = byRules(incident);
    const correction = input.corrections?.get(incident.id);
    if (!correction) return link;
    if (correction.linked) {
      return { id: incident.id, linkedDeploymentId: correction.deploymentId, linkMethod: "corrected" };
    }
    return link.linkedDeploymentId === correction.deploymentId
      ? { id: incident.id, linkedDeploymentId: null, linkMethod: null }
      : link;
  });

  function byRules(incident: IncidentInput): IncidentLink {
    if (incident.causedByDeploymentId !== null) {
      return { id: incident.id, linkedDeploymentId: incident.causedByDeploymentId, linkMethod: "explicit" };
    }
    if (incident.causedBySha) {
      const sha = incident.causedBySha.toLowerCase();
      // A full SHA is a map lookup; an abbreviated one (≥ 7 characters, as people paste them) a prefix search.
      let linked = firstShipping.get(sha);
      if (linked === undefined && sha.length >= 7 && sha.length < 40) {
        for (const [s, id] of firstShipping) {
          if (s.startsWith(sha)) {
            linked = id;
            break;
          }
        }
      }
      if (linked !== undefined) return { id: incident.id, linkedDeploymentId: linked, linkMethod: "sha" };
    }
    if (windowMs > 0 && (incident.serviceId !== null || incident.repositoryId !== null)) {
      const opened = incident.openedAt.getTime();
      let candidate: DeploymentInput | null = null;
      for (const d of production) {
        const t = d.finishedAt?.getTime() ?? 0;
        if (t > opened) break;
        if (t < opened - windowMs) continue;
        const sameScope =
          incident.serviceId !== null
            ? d.serviceId === incident.serviceId
            : input.repositoryOfService.get(d.serviceId) === incident.repositoryId;
        if (sameScope) candidate = d;
      }
      if (candidate)
        return { id: incident.id, linkedDeploymentId: original(candidate.id), linkMethod: "window" };
    }
    return { id: incident.id, linkedDeploymentId: null, linkMethod: null };
  }
}
