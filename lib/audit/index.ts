import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";

/**
 * The audit log of admin actions: who, what, when, on what. Written in the same transaction as the change where
 * the caller has one, so that a change without its entry (or the reverse) cannot happen. Details never hold a
 * secret: a token is named by its prefix, a password never appears.
 */

export interface Actor {
  name: string;
  subject: string;
}

export const CLI_ACTOR: Actor = { name: "command line", subject: "cli" };

export async function audit(
  db: Db,
  actor: Actor,
  action: string,
  target: string | null = null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insert(auditLog)
    .values({ actor: actor.name, actorSubject: actor.subject, action, target, details });
}

export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  actorSubject: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** Newest first; `before` pages back by id. */
export async function listAudit(
  db: Db,
  options: { limit?: number; before?: number; action?: string } = {},
): Promise<AuditEntry[]> {
  const where: SQL[] = [];
  if (options.before) where.push(lt(auditLog.id, options.before));
  if (options.action) where.push(eq(auditLog.action, options.action));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(Math.min(options.limit ?? 100, 500));
}
