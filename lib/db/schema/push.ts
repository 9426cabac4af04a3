import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { rowTimestamps, timestamptz } from "./columns";
import { deployments } from "./deployments";
import { teams } from "./teams";

/**
 * Push sources: webhook deliveries of every source (each processed once), API tokens for the push API (stored only as
 * hashes), the push API's idempotency keys, and the commits a deployment says it shipped (for CI/CD tools that know
 * them but whose repositories we do not read).
 */

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    /** Which webhook endpoint received it: github, gitlab, jenkins, pagerduty, opsgenie. */
    source: text().notNull().default("github"),
    /**
     * The delivery's identity, the same when the sender redelivers it (X-GitHub-Delivery, GitLab's Idempotency-Key,
     * PagerDuty's X-Webhook-Id; a hash of the body where the sender has none).
     */
    deliveryId: text().notNull(),
    event: text().notNull(),
    action: text(),
    repository: text(),
    status: text().$type<"processing" | "processed" | "ignored" | "failed">().notNull(),
    error: text(),
    receivedAt: timestamptz().notNull().defaultNow(),
    processedAt: timestamptz(),
  },
  (t) => [
    primaryKey({ name: "webhook_deliveries_pk", columns: [t.source, t.deliveryId] }),
    index("webhook_deliveries_received_idx").on(t.receivedAt),
    // Serves Settings → Sources: the latest deliveries of one endpoint.
    index("webhook_deliveries_source_received_idx").on(t.source, t.receivedAt),
  ],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    /** SHA-256 of the token; the token itself is shown once, at creation. */
    tokenHash: text().notNull(),
    /** The first characters, to recognise a token in lists (`tl_3f9a…`). */
    prefix: text().notNull(),
    /** null: the whole organisation; else only this team's repositories and services. */
    teamId: integer().references(() => teams.id, { onDelete: "cascade" }),
    createdBy: text().notNull(),
    lastUsedAt: timestamptz(),
    revokedAt: timestamptz(),
    ...rowTimestamps,
  },
  (t) => [uniqueIndex("api_tokens_hash_uq").on(t.tokenHash), index("api_tokens_team_idx").on(t.teamId)],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tokenId: integer()
      .notNull()
      .references(() => apiTokens.id, { onDelete: "cascade" }),
    key: text().notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text().notNull(),
    status: smallint().notNull(),
    response: jsonb().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "idempotency_keys_pk", columns: [t.tokenId, t.key] }),
    index("idempotency_keys_created_idx").on(t.createdAt),
  ],
);

export const deploymentDeclaredCommits = pgTable(
  "deployment_declared_commits",
  {
    deploymentId: bigint({ mode: "number" })
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    sha: text().notNull(),
  },
  (t) => [
    primaryKey({ name: "deployment_declared_commits_pk", columns: [t.deploymentId, t.sha] }),
    check("deployment_declared_commits_sha_ck", sql`${t.sha} ~ '^[0-9a-f]{4,64}$'`),
  ],
);
