import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { sqlList } from "@/lib/domain/vocabulary";
import { timestamptz } from "./columns";
import { deployments } from "./deployments";
import { incidents } from "./incidents";
import { pullRequests } from "./pull-requests";

/**
 * Corrections by hand: no source is perfect. Each says who, when and why; derive applies the active ones (not
 * revoked) on top of what the sources say, so they survive every re-ingest. Revoking keeps the record.
 */
export const CORRECTION_KINDS = [
  "deployment_failed",
  "deployment_not_failed",
  "deployment_excluded",
  "pull_request_excluded",
  "incident_linked",
  "incident_unlinked",
] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

export const corrections = pgTable(
  "corrections",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kind: text().$type<CorrectionKind>().notNull(),
    deploymentId: bigint({ mode: "number" }).references(() => deployments.id, { onDelete: "cascade" }),
    pullRequestId: bigint({ mode: "number" }).references(() => pullRequests.id, { onDelete: "cascade" }),
    incidentId: bigint({ mode: "number" }).references(() => incidents.id, { onDelete: "cascade" }),
    reason: text().notNull(),
    createdBy: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    revokedBy: text(),
    revokedAt: timestamptz(),
  },
  (t) => [
    index("corrections_deployment_idx").on(t.deploymentId),
    index("corrections_pull_request_idx").on(t.pullRequestId),
    index("corrections_incident_idx").on(t.incidentId),
    check("corrections_kind_ck", sql`${t.kind} in (${sql.raw(sqlList(CORRECTION_KINDS))})`),
    check("corrections_reason_ck", sql`length(trim(${t.reason})) > 0`),
    check(
      "corrections_target_ck",
      sql`(${t.kind} like 'deployment_%' and ${t.deploymentId} is not null)
        or (${t.kind} = 'pull_request_excluded' and ${t.pullRequestId} is not null)
        or (${t.kind} like 'incident_%' and ${t.incidentId} is not null and ${t.deploymentId} is not null)`,
    ),
  ],
);
