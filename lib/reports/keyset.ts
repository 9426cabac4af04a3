import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { exactInstant } from "@/lib/metrics/sql";

/**
 * Reads a long, ordered query in keyset batches, so that an export holds one batch in memory, not the period's
 * rows (issue 11: a year of the org took 1.3 GB). No server-side cursor: a DECLARE … FETCH cursor lives in a
 * transaction, and on the embedded database (one connection) a slow download would then hold every other request.
 *
 * The key is the query's leading sort column, an instant; rows sharing an instant form a group that is never split
 * across batches, so the rows come out exactly as the unbatched query orders them. A batch ending inside a group
 * drops that group and the next batch starts at it; a batch that is one group alone is re-read whole.
 */

/** What one batch adds to the query: a condition on the key and a limit. */
export interface Page {
  where: SQL;
  limit: SQL;
}

export interface KeysetSource {
  /** The leading sort column, a timestamptz expression (`coalesce(d.finished_at, d.created_at)`). */
  key: SQL;
  /** The query for one page: selects the key as `_k` (keyText), ANDs `page.where`, ends with `page.limit`. */
  query(page: Page): SQL;
}

export const EVERYTHING: Page = { where: sql`true`, limit: sql`` };

/** The key as exact text (microseconds, UTC) for the `_k` column; it is read back with `::timestamptz`. */
export const keyText = exactInstant;

/**
 * Rows per batch. Two batches are in memory at most (the one being written and the one being read, see below);
 * measured on an org year (145,000 rows): 5,000 cost less CPU and memory than 10,000 (fewer rows outlive a young
 * garbage collection) and no more wall time than 2,000.
 */
export const DEFAULT_BATCH = 5_000;

export async function* keysetBatches<T extends Record<string, unknown>>(
  db: Db,
  source: KeysetSource,
  size: number = DEFAULT_BATCH,
): AsyncGenerator<T[]> {
  // The next batch's query starts before this one is handed out, so the database reads it while the caller
  // formats and writes this one (two cores: the server and Node work at once). At most one query runs ahead; a
  // caller that stops early leaves it to finish unread, its failure then ignored here (an awaited one still throws).
  const read = (where: SQL, limit: SQL): Promise<T[]> => {
    const rows = queryRows<T>(db, source.query({ where, limit }));
    rows.catch(() => {});
    return rows;
  };
  const limit = sql`limit ${size}`;
  let pending = read(sql`true`, limit);
  for (;;) {
    const rows = await pending;
    if (rows.length < size) {
      if (rows.length > 0) yield rows;
      return;
    }
    const last = rows[rows.length - 1]?._k as string;
    let cut = rows.length;
    while (cut > 0 && rows[cut - 1]?._k === last) cut--;
    if (cut > 0) {
      const after = rows[cut - 1]?._k as string;
      pending = read(sql`${source.key} > ${after}::timestamptz`, limit);
      yield rows.slice(0, cut);
      continue;
    }
    // One instant fills the whole batch: read that instant whole (its rows in the query's order).
    const group = await read(sql`${source.key} = ${last}::timestamptz`, sql``);
    pending = read(sql`${source.key} > ${last}::timestamptz`, limit);
    yield group;
  }
}
