import type { OpsgenieConfig, OpsgenieRule } from "@/lib/config/connectors";
import { causedByShaField, firstCause } from "@/lib/domain/incidents";
import type { IncidentRecord } from "@/lib/ingest/records";
import type { OgItem } from "./api";

/**
 * Opsgenie incidents or alerts → incident records. A rule maps an impacted service, a team (owner or responder,
 * by id or name) or a tag to a repository (and monorepo service); in alerts mode only alerts of the configured
 * priorities are incidents. The poller and the webhook both map through here.
 */

export type OgKind = "incidents" | "alerts";

function ruleMatches(rule: OpsgenieRule, i: OgItem, teams: readonly string[]): boolean {
  if (rule.impactedService) return (i.impactedServices ?? []).includes(rule.impactedService);
  if (rule.tag) return (i.tags ?? []).includes(rule.tag);
  const team = rule.team as string;
  return (
    i.ownerTeam === team ||
    teams.includes(team) ||
    (i.responders ?? []).some((r) => r.type === "team" && (r.id === team || r.name === team))
  );
}

/** The rule an item falls under (first match), or why it is left out. */
export function placeItem(
  config: OpsgenieConfig,
  i: OgItem,
  teams: readonly string[] = [],
): { repository: string; service: string | null } | { excluded: string } {
  if (config.priorities && (!i.priority || !config.priorities.includes(i.priority as never))) {
    return { excluded: `priority ${i.priority ?? "(none)"} is not in opsgenie.priorities` };
  }
  const rule = config.map.find((r) => ruleMatches(r, i, teams));
  if (!rule) return { excluded: "no opsgenie.map rule matches its services, teams or tags" };
  return { repository: rule.repository, service: rule.service ?? null };
}

const CLOSED = new Set(["resolved", "closed"]);

export function mapItem(
  config: OpsgenieConfig,
  kind: OgKind,
  i: OgItem,
  target: { repository: string; service: string | null },
  o: { resolvedAt?: string | Date | null } = {},
): IncidentRecord {
  const closed = CLOSED.has(i.status);
  const closedAt =
    kind === "incidents"
      ? (i.impactEndDate ?? i.updatedAt ?? null)
      : i.report?.closeTime !== undefined
        ? new Date(Date.parse(i.createdAt) + i.report.closeTime)
        : (i.updatedAt ?? null);
  return {
    source: "opsgenie",
    externalId: i.id,
    title: i.message ?? "",
    url: i.links?.web ?? null,
    repository: target.repository,
    service: target.service,
    severity: i.priority ?? null,
    openedAt: (kind === "incidents" ? i.impactStartDate : null) ?? i.createdAt,
    resolvedAt: closed ? (o.resolvedAt ?? closedAt) : null,
    causedBySha:
      causedByShaField(i.extraProperties?.[config.causeProperty] ?? i.details?.[config.causeProperty]) ??
      firstCause([i.description, i.message]),
  };
}
