import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

/**
 * Sign-in (ADR 0010): server-side sessions (the cookie holds a random token, the database only its SHA-256), the
 * sign-ins in progress (PKCE verifier, state and nonce, bound to the browser by a cookie), the first-run admin
 * password of a server without single sign-on (scrypt hash only), and the audit log of admin actions.
 */

export const sessions = pgTable(
  "sessions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text().notNull(),
    /** `oidc:<sub>`, `github:<id>` or `password:admin`: stable across renames. */
    subject: text().notNull(),
    provider: text().$type<"oidc" | "github" | "password">().notNull(),
    name: text().notNull(),
    email: text(),
    role: text().$type<"viewer" | "admin">().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    expiresAt: timestamptz().notNull(),
    lastSeenAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sessions_token_hash_uq").on(t.tokenHash),
    index("sessions_expires_idx").on(t.expiresAt),
    check("sessions_role_ck", sql`${t.role} in ('viewer', 'admin')`),
  ],
);

export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    /** SHA-256 of the random value in the browser's `tl_signin` cookie. */
    browserHash: text().primaryKey(),
    provider: text().$type<"oidc" | "github">().notNull(),
    state: text().notNull(),
    nonce: text(),
    codeVerifier: text().notNull(),
    returnTo: text().notNull(),
    expiresAt: timestamptz().notNull(),
  },
  (t) => [index("sign_in_attempts_expires_idx").on(t.expiresAt)],
);

export const localAdmin = pgTable(
  "local_admin",
  {
    /** A single row: the password of `admin` on a server without single sign-on. */
    id: integer().primaryKey(),
    passwordHash: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [check("local_admin_single_ck", sql`${t.id} = 1`)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamptz().notNull().defaultNow(),
    /** Who: the signed-in name and subject, an API token (`token:<name>`), or the CLI. */
    actor: text().notNull(),
    actorSubject: text().notNull(),
    /** What, as `area.verb`: `token.create`, `correction.revoke`, `sign_in.failed`… */
    action: text().notNull(),
    target: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_action_idx").on(t.action, t.at)],
);
