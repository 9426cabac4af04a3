import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { repositories } from "@/lib/db/schema";

/**
 * Where a repository's source data changed, written in the same transaction as the change, so that derive
 * re-derives only what the change can affect (ADR 0018). `needs_derive` stays the flag every caller reads ("there
 * is a mark"); `derive_from` and `derive_shas` say where:
 *
 * - `from`: a deployment changed at this time (its old and new finish times): chains re-derive from here on;
 * - `shas`: commits were added or changed: every deployment of a descendant re-derives (resolved on the graph);
 * - `full`: anything else that changes the chains (rules, services, tiers, windows, exclusions): everything;
 * - none of these: only incident links and outcomes (an incident, a failure corrected by hand).
 *
 * A mark only ever widens: the earliest time wins, SHAs accumulate, and full absorbs everything.
 */
export interface DeriveMark {
  from?: Date | null;
  shas?: readonly string[];
  full?: boolean;
  /** The commit graph changed: bump graph_version (the derive's graph cache key). */
  graph?: boolean;
}

/** More commit roots than this in one mark is a history import: re-derive everything. */
export const MAX_MARKED_SHAS = 500;

export async function markForDerive(db: Db, repositoryIds: Iterable<number>, mark: DeriveMark = {}) {
  const ids = [...new Set(repositoryIds)];
  if (!ids.length) return;
  const shas = [...new Set(mark.shas ?? [])];
  const full = mark.full === true || shas.length > MAX_MARKED_SHAS;
  const from = full ? null : mark.from ? mark.from.toISOString() : "infinity";
  // The old values are the ones before this update: a repository not yet marked starts from nothing.
  const pending = sql`${repositories.needsDerive}`;
  await db
    .update(repositories)
    .set({
      needsDerive: true,
      deriveFrom: full
        ? sql`null`
        : sql`case when ${pending} and ${repositories.deriveFrom} is null then null
                   when ${pending} then least(${repositories.deriveFrom}, ${from}::timestamptz)
                   else ${from}::timestamptz end`,
      deriveShas: full
        ? sql`'{}'::text[]`
        : sql`(case when ${pending} then ${repositories.deriveShas} else '{}'::text[] end)
              || array(select jsonb_array_elements_text(${JSON.stringify(shas)}::jsonb))`,
      ...(mark.graph ? { graphVersion: sql`gen_random_uuid()::text` } : {}),
    })
    .where(inArray(repositories.id, ids));
}

/** After a change that affects every repository's derived data (environment tiers, the windows). */
export async function markAllForDerive(db: Db): Promise<void> {
  await db.update(repositories).set({ needsDerive: true, deriveFrom: null, deriveShas: [] });
}

export interface PendingMark {
  /** null: everything; +Infinity: no chain changed. Milliseconds. */
  fromMs: number | null;
  shas: string[];
  graphVersion: string;
}

/**
 * Reads and clears the mark, first in the derive's transaction: a writer that marks the repository again while
 * the derive runs blocks on this row until it commits, so its mark survives for the next derive.
 */
export async function takeMark(db: Db, repositoryId: number): Promise<PendingMark> {
  const [row] = await queryRows<{
    needs: boolean;
    from_ms: number | null;
    shas: string[];
    version: string;
  }>(
    db,
    sql`select needs_derive as needs, (extract(epoch from derive_from) * 1000)::float8 as from_ms,
               derive_shas as shas, graph_version as version
        from repositories where id = ${repositoryId} for update`,
  );
  await db
    .update(repositories)
    .set({ needsDerive: false, deriveFrom: null, deriveShas: [], derivedAt: new Date() })
    .where(inArray(repositories.id, [repositoryId]));
  if (!row) return { fromMs: null, shas: [], graphVersion: "" };
  // No mark: nothing changed since the last derive, whose rows stand; links and outcomes are checked again (cheap).
  // Derive from scratch is asked for explicitly (deriveRepository's `whole`, derive --all).
  const fromMs = !row.needs ? Number.POSITIVE_INFINITY : row.from_ms !== null ? Number(row.from_ms) : null;
  return { fromMs, shas: row.needs ? row.shas : [], graphVersion: row.version };
}
