import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import {
  INCIDENT_LINK_METHODS,
  type IncidentLinkMethod,
  type Source,
  sqlList,
} from "@/lib/domain/vocabulary";
import { rowTimestamps, timestamptz } from "./columns";
import { deployments } from "./deployments";
import { repositories, services } from "./repositories";

/** Production incidents, from any source, and which deployment caused and restored each. */
export const incidents = pgTable(
  "incidents",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    source: text().$type<Source>().notNull(),
    externalId: text().notNull(),
    title: text().notNull().default(""),
    url: text(),
    repositoryId: integer().references(() => repositories.id, { onDelete: "cascade" }),
    serviceId: integer().references(() => services.id, { onDelete: "cascade" }),
    severity: text(),
    openedAt: timestamptz().notNull(),
    resolvedAt: timestamptz(),
    /** As reported by the source. */
    causedByDeploymentId: bigint({ mode: "number" }).references(() => deployments.id, {
      onDelete: "set null",
    }),
    causedBySha: text(),
    restoredByDeploymentId: bigint({ mode: "number" }).references(() => deployments.id, {
      onDelete: "set null",
    }),

    // ---- derived (lib/metrics/derive) ----
    linkedDeploymentId: bigint({ mode: "number" }).references(() => deployments.id, { onDelete: "set null" }),
    linkMethod: text().$type<IncidentLinkMethod>(),
    ...rowTimestamps,
  },
  (t) => [
    uniqueIndex("incidents_source_external_uq").on(t.source, t.externalId),
    index("incidents_service_opened_idx").on(t.serviceId, t.openedAt),
    // Serves the incidents export's keyset batches (lib/reports/queries.ts).
    index("incidents_opened_idx").on(t.openedAt),
    index("incidents_repository_opened_idx").on(t.repositoryId, t.openedAt),
    index("incidents_linked_deployment_idx").on(t.linkedDeploymentId),
    index("incidents_caused_by_idx").on(t.causedByDeploymentId),
    index("incidents_restored_by_idx").on(t.restoredByDeploymentId),
    check(
      "incidents_link_method_ck",
      sql`${t.linkMethod} is null or ${t.linkMethod} in (${sql.raw(sqlList(INCIDENT_LINK_METHODS))})`,
    ),
    check(
      "incidents_resolved_after_opened_ck",
      sql`${t.resolvedAt} is null or ${t.resolvedAt} >= ${t.openedAt}`,
    ),
  ],
);
