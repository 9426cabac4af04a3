import type { Tx } from "@/lib/db";
import type { GitSync } from "./context";
import { streamGit } from "./exec";
import { LOG_ARGS, LogParser, type ParsedCommit } from "./log";

/**
 * Streams `git log` and writes its commits in batches, each in its own transaction together with the progress it
 * records (`write`). Two batches are in flight at once, on two connections: one validates and encodes in Node
 * while the other is inserted, and PostgreSQL inserts both on two cores. That halves a 100,000-commit ingest
 * (docs/benchmarks.md § Local git ingest). Batches may therefore commit out of order, so the progress a batch
 * records is the **contiguous prefix** of batches already committed when it writes (`committed()`): never ahead of
 * the data, at most a batch or two behind, which a resumed run simply writes again (upserts are idempotent).
 * Returns how many commits were read.
 */
const IN_FLIGHT = 2;
/** Start small so that the database has work while git is still producing the first full batch. */
const FIRST_BATCH = 1_000;

export async function writeLog(
  ctx: GitSync,
  revisions: readonly string[],
  options: { since?: Date | null; skip?: number; stdin?: string },
  write: (tx: Tx, batch: ParsedCommit[], committed: () => number) => Promise<void>,
): Promise<number> {
  const args = [
    "log",
    ...LOG_ARGS,
    ...(options.skip ? [`--skip=${options.skip}`] : []),
    ...(options.since ? [`--since=@${Math.floor(options.since.getTime() / 1000)}`] : []),
    ...(options.stdin !== undefined ? ["--stdin"] : []),
    "--end-of-options",
    ...revisions,
    "--",
  ];
  const parser = new LogParser();
  const batches = new BatchWriter(ctx, write);
  let batch: ParsedCommit[] = [];
  let size = Math.min(FIRST_BATCH, ctx.batchSize);
  let read = 0;
  try {
    for await (const chunk of streamGit(ctx.clone.dir, args, options.stdin)) {
      for (const commit of parser.push(chunk)) {
        batch.push(commit);
        if (batch.length >= size) {
          read += batch.length;
          await batches.add(batch);
          batch = [];
          size = Math.min(size * 2, ctx.batchSize);
        }
      }
    }
    parser.end();
    if (batch.length) {
      read += batch.length;
      await batches.add(batch);
    }
    await batches.drain();
  } catch (error) {
    // Let the batches in flight settle (committed or rolled back) before the caller closes the database.
    await batches.settle();
    throw error;
  }
  return read;
}

class BatchWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sizes: number[] = [];
  private readonly done: boolean[] = [];
  private prefixBatches = 0;
  private prefixCommits = 0;
  private completed = 0;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly ctx: GitSync,
    private readonly write: (tx: Tx, batch: ParsedCommit[], committed: () => number) => Promise<void>,
  ) {}

  /** Starts writing a batch once a slot is free; throws the first failure of any batch. */
  async add(rows: ParsedCommit[]): Promise<void> {
    await this.waitUntil(IN_FLIGHT - 1);
    const index = this.sizes.push(rows.length) - 1;
    const run: Promise<void> = this.ctx.db
      .transaction((tx) => this.write(tx, rows, () => this.prefixCommits))
      .then(async () => {
        this.done[index] = true;
        while (this.done[this.prefixBatches]) this.prefixCommits += this.sizes[this.prefixBatches++] ?? 0;
        await this.ctx.afterBatch?.(++this.completed);
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Waits for every batch; throws the first failure. */
  async drain(): Promise<void> {
    await this.waitUntil(0);
  }

  /** Waits for every batch, ignoring failures (the caller is already failing). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.race(this.inFlight);
  }

  private async waitUntil(limit: number): Promise<void> {
    while (this.inFlight.size > limit && !this.failure) await Promise.race(this.inFlight);
    if (this.failure) {
      await this.settle();
      throw this.failure.error;
    }
  }
}
