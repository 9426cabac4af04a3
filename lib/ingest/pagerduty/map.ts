import type { PagerDutyConfig } from "@/lib/config/connectors";
import { matchesGlob } from "@/lib/domain/glob";
import { causedByShaIn } from "@/lib/domain/incidents";
import type { IncidentRecord } from "@/lib/ingest/records";
import type { PdIncident } from "./api";

/**
 * PagerDuty incidents → incident records. A service rule (by id, or by name glob) says which repository (and
 * monorepo service) an incident belongs to; incidents of other services, or outside the urgency/priority filter,
 * are not Throughline's. The poller and the webhook both map through here.
 */

export interface Target {
  repository: string;
  service: string | null;
}

export function targetOf(
  config: PagerDutyConfig,
  service: { id: string; summary?: string | null },
): Target | null {
  const rule = config.services.find((r) =>
    r.id !== undefined ? r.id === service.id : matchesGlob(service.summary ?? "", r.name as string),
  );
  return rule ? { repository: rule.repository, service: rule.service ?? null } : null;
}

/** Why an incident is left out (a note for the log and the webhook answer), or null when it counts. */
export function excluded(
  config: PagerDutyConfig,
  i: Pick<PdIncident, "service" | "urgency" | "priority">,
): string | null {
  if (!targetOf(config, i.service)) {
    return `service ${i.service.summary ?? i.service.id} (${i.service.id}) is not in pagerduty.services`;
  }
  if (config.urgencies && i.urgency && !config.urgencies.includes(i.urgency)) {
    return `urgency ${i.urgency} is not in pagerduty.urgencies`;
  }
  const priority = i.priority?.summary ?? null;
  if (config.priorities && (!priority || !config.priorities.includes(priority))) {
    return `priority ${priority ?? "(none)"} is not in pagerduty.priorities`;
  }
  return null;
}

/** Server-side filters the list endpoint takes: services (when every rule names an id) and urgencies. */
export function listFilters(config: PagerDutyConfig): Record<string, string[] | undefined> {
  const ids = config.services.map((r) => r.id);
  return {
    "service_ids[]": ids.every((id): id is string => id !== undefined) ? ids : undefined,
    "urgencies[]": config.urgencies,
  };
}

export function mapIncident(
  config: PagerDutyConfig,
  i: PdIncident,
  o: { cause?: string | null; resolvedAt?: string | Date | null } = {},
): IncidentRecord {
  const target = targetOf(config, i.service) as Target;
  const resolved = i.status === "resolved";
  return {
    source: "pagerduty",
    externalId: i.id,
    title: i.title ?? "",
    url: i.html_url ?? null,
    repository: target.repository,
    service: target.service,
    severity: i.priority?.summary ?? i.urgency ?? null,
    openedAt: i.created_at,
    resolvedAt: resolved ? (o.resolvedAt ?? i.resolved_at ?? i.last_status_change_at ?? null) : null,
    causedBySha: o.cause ?? causedByShaIn(i.title),
  };
}
