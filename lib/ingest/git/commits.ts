import { upsertCommits } from "@/lib/ingest/store";
import { readState, writeState } from "@/lib/ingest/sync-state";
import { writeLog } from "./batches";
import { commitOf, isAncestor } from "./clone";
import { type GitSync, SOURCE } from "./context";

/**
 * The branch's commit graph. The first run reads the whole history (back to `--since`); later runs read only
 * `<last tip>..<head>` while the last tip is still an ancestor of the head (a merged branch's older commits come
 * in too), else the whole history again (a force-push; upserts keep what is already there unchanged). Each batch
 * is committed with the walk's position, pinned to the head it started from: a killed run resumes that walk with
 * `--skip`, then catches up with whatever the branch gained since.
 */

interface Walk {
  head: string;
  /** Incremental walks: the previous tip (`head ^base`). */
  base: string | null;
  /** Full walks: the horizon (ISO), if any. */
  since: string | null;
  /** Commits of this walk already committed. */
  written: number;
}

interface Details {
  branch?: string;
  /** How far back the history we hold goes: ISO date-time, or null for all of it. Unset: never read. */
  horizon?: string | null;
  walk?: Walk;
}

export interface CommitSync {
  read: number;
  mode: "none" | "full" | "incremental";
  resumed: boolean;
}

const RESOURCE = "commits";

export async function syncCommits(ctx: GitSync): Promise<CommitSync> {
  const result: CommitSync = { read: 0, mode: "none", resumed: false };
  for (;;) {
    const st = await readState(ctx.db, SOURCE, ctx.fullName, RESOURCE);
    const details = st.details as Details;
    let walk = details.walk ?? null;
    // A walk pinned to a head that git no longer has (force-pushed away and pruned) cannot resume: start over.
    if (walk && !(await commitOf(ctx.clone, walk.head))) walk = null;
    if (walk) result.resumed = true;
    else {
      const widen =
        ctx.since !== null && typeof details.horizon === "string" && ctx.since < new Date(details.horizon);
      if (st.cursor === ctx.branch.head && !widen) return result;
      const base =
        st.cursor && !widen && (await isAncestor(ctx.clone, st.cursor, ctx.branch.head)) ? st.cursor : null;
      walk = {
        head: ctx.branch.head,
        base,
        since: base ? null : fullReadHorizon(details.horizon, ctx.since),
        written: 0,
      };
    }
    const current = walk;
    if (result.mode !== "full") result.mode = current.base ? "incremental" : "full";
    const read = await writeLog(
      ctx,
      [current.head, ...(current.base ? [`^${current.base}`] : [])],
      { since: current.since ? new Date(current.since) : null, skip: current.written },
      async (tx, batch, committed) => {
        await upsertCommits(tx, ctx.repositoryId, batch);
        // Read after the upsert: the later, the more batches are known to be committed.
        await writeState(tx, SOURCE, ctx.fullName, RESOURCE, {
          details: { ...details, walk: { ...current, written: current.written + committed() } },
          status: "running",
        });
      },
    );
    result.read += read;
    const horizon = current.base ? (details.horizon ?? null) : current.since;
    await writeState(ctx.db, SOURCE, ctx.fullName, RESOURCE, {
      cursor: current.head,
      details: { branch: ctx.branch.ref, horizon },
      status: "ok",
    });
    if (current.head === ctx.branch.head) return result;
  }
}

/**
 * How far back a full read goes: `--since` on the first read; afterwards the earlier of the stored horizon and
 * `--since` (a later `--since` never hides history already held).
 */
function fullReadHorizon(stored: string | null | undefined, since: Date | null): string | null {
  if (stored === undefined) return since?.toISOString() ?? null;
  if (stored === null) return null;
  return since && since < new Date(stored) ? since.toISOString() : stored;
}

/** The horizon the stored history reaches back to (null: all of it), for filtering tags the same way. */
export async function storedHorizon(ctx: GitSync): Promise<Date | null> {
  const st = await readState(ctx.db, SOURCE, ctx.fullName, RESOURCE);
  const horizon = (st.details as Details).horizon;
  return typeof horizon === "string" ? new Date(horizon) : null;
}
