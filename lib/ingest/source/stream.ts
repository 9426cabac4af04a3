import type { Db, Tx } from "@/lib/db";
import { type ResourceState, readState, writeState } from "@/lib/ingest/sync-state";
import { stopsTheSource } from "./errors";
import { EMPTY_RATE_LIMIT, type RateLimitState } from "./rate-limit";

/**
 * The source contract (ADR 0011). A source is a folder that declares **streams**: each reads pages from where its
 * stored state says, maps each page to records, and says what state resumes after it. This runner owns the rest,
 * once for every source: each page is written through the store **with its state in one transaction** (a killed
 * run has both or neither and resumes from the state), progress lines every few seconds, per-scope bookkeeping,
 * and "one scope failing does not stop the others" (except the failures no other scope can survive: bad
 * credentials, a rate limit that needs a long wait).
 */

export type StatePatch = Partial<Pick<ResourceState, "cursor" | "etag" | "details">>;

export interface StreamPage {
  /** Items the page held (counted, and shown in progress lines). */
  items: number;
  /** Writes the page's records through the store, inside the page's transaction. */
  write?: (tx: Tx) => Promise<void>;
  /** The state that resumes after this page, committed with it. */
  state: StatePatch;
}

export interface Stream<C> {
  /** The sync_state resource, and its name in counts and progress lines. */
  resource: string;
  /** Reads pages from where the stored state says until there are no more. */
  pages(ctx: C, state: ResourceState): AsyncIterable<StreamPage>;
}

/** What the runner needs to know about a client: its request counters and rate limit. */
export interface Counted {
  requests: number;
  notModified: number;
  rateLimit: RateLimitState;
}

export interface SyncRun {
  db: Db;
  /** sync_state.source, e.g. "gitlab". */
  source: string;
  /** For messages, e.g. "GitLab". */
  label: string;
  client: Counted;
  dryRun: boolean;
  log: (line: string) => void;
  /** How often a progress line is printed while the sync works (default 5 s). */
  progressEveryMs?: number;
}

/** One scope (a project, a job, a service) of a run: its counts per resource. */
export interface ScopeRun extends SyncRun {
  scope: string;
  counts: Record<string, number>;
}

export interface ScopeResult {
  scope: string;
  ok: boolean;
  error?: string;
  counts: Record<string, number>;
  requests: number;
  ms: number;
}

export interface SourceSyncSummary {
  source: string;
  label: string;
  scopes: ScopeResult[];
  requests: number;
  notModified: number;
  rateLimit: RateLimitState;
  ms: number;
  /** Why the run stopped before its last scope (credentials, rate limit), or null. */
  stopped: string | null;
}

/** Reads a stream to its end, committing each page with its state. Returns the number of items read. */
export async function runStream<C>(run: ScopeRun, stream: Stream<C>, ctx: C): Promise<number> {
  const state = await readState(run.db, run.source, run.scope, stream.resource);
  let total = 0;
  for await (const page of stream.pages(ctx, state)) {
    if (!run.dryRun) {
      await run.db.transaction(async (tx) => {
        await page.write?.(tx);
        await writeState(tx, run.source, run.scope, stream.resource, page.state);
      });
    }
    total += page.items;
    run.counts[stream.resource] = (run.counts[stream.resource] ?? 0) + page.items;
  }
  return total;
}

/**
 * Runs `each` for every scope, recording each one's outcome in sync_state (resource "scope") for Settings →
 * Sources. Failures are recorded and the next scope goes on, unless no other scope can succeed either.
 */
export async function runScopes(
  run: SyncRun,
  scopes: readonly string[],
  each: (scope: ScopeRun) => Promise<void>,
): Promise<SourceSyncSummary> {
  const started = performance.now();
  const results: ScopeResult[] = [];
  let stopped: string | null = null;
  let current: ScopeRun | null = null;
  const progress = setInterval(() => {
    if (current) run.log(progressLine(run, current, results.length + 1, scopes.length));
  }, run.progressEveryMs ?? 5_000);
  progress.unref();
  try {
    for (const [i, scope] of scopes.entries()) {
      if (stopped) {
        results.push({ scope, ok: false, error: `not synced: ${stopped}`, counts: {}, requests: 0, ms: 0 });
        continue;
      }
      const scopeStarted = performance.now();
      const requestsBefore = run.client.requests;
      const s: ScopeRun = { ...run, scope, counts: {} };
      current = s;
      if (!run.dryRun) await writeState(run.db, run.source, scope, "scope", { status: "running" });
      let result: ScopeResult;
      try {
        await each(s);
        result = done(s, true, requestsBefore, scopeStarted);
        if (!run.dryRun) {
          await writeState(run.db, run.source, scope, "scope", {
            status: "ok",
            details: { counts: s.counts, requests: result.requests },
          });
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { ...done(s, false, requestsBefore, scopeStarted), error: message };
        if (!run.dryRun) {
          await writeState(run.db, run.source, scope, "scope", { status: "error", error: message }).catch(
            () => {},
          );
        }
        if (stopsTheSource(error)) stopped = message;
      }
      current = null;
      results.push(result);
      run.log(scopeLine(run, result, i + 1, scopes.length));
    }
  } finally {
    clearInterval(progress);
  }
  return {
    source: run.source,
    label: run.label,
    scopes: results,
    requests: run.client.requests,
    notModified: run.client.notModified,
    rateLimit: { ...EMPTY_RATE_LIMIT, ...run.client.rateLimit },
    ms: Math.round(performance.now() - started),
    stopped,
  };
}

function done(s: ScopeRun, ok: boolean, requestsBefore: number, started: number): ScopeResult {
  return {
    scope: s.scope,
    ok,
    counts: s.counts,
    requests: s.client.requests - requestsBefore,
    ms: Math.round(performance.now() - started),
  };
}

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

const rateText = (r: RateLimitState) => (r.remaining !== null ? ` · rate limit ${r.remaining} left` : "");

function progressLine(run: SyncRun, s: ScopeRun, n: number, total: number): string {
  return `[${n}/${total}] ${s.scope}: working… ${countsText(s.counts) || "reading"} · ${run.client.requests} requests so far${rateText(run.client.rateLimit)}`;
}

function scopeLine(run: SyncRun, r: ScopeResult, n: number, total: number): string {
  const what = r.ok ? countsText(r.counts) || "no changes" : `FAILED: ${r.error}`;
  return `[${n}/${total}] ${r.scope}: ${what} · ${r.requests} requests${rateText(run.client.rateLimit)}`;
}

/** One line for the end of a run: what synced, what failed, and the budget left. */
export function summaryLine(s: SourceSyncSummary): string {
  const failed = s.scopes.filter((r) => !r.ok);
  return (
    `${s.label} sync done in ${(s.ms / 1000).toFixed(1)} s: ${s.scopes.length - failed.length} of ${s.scopes.length} synced, ` +
    `${s.requests} requests${s.notModified ? ` (${s.notModified} not modified)` : ""}${rateText(s.rateLimit)}` +
    (failed.length ? `; failed: ${failed.map((f) => `${f.scope} (${f.error})`).join("; ")}` : "")
  );
}
