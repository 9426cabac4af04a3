import type { Db } from "@/lib/db";
import type { Branch, Clone } from "./clone";

/** sync_state source for local clones; the scope is the repository's full name. */
export const SOURCE = "git";

export const DEFAULT_BATCH = 10_000;

/** Everything one run needs about the clone and the repository row it feeds. */
export interface GitSync {
  db: Db;
  clone: Clone;
  branch: Branch;
  repositoryId: number;
  fullName: string;
  /** `--since`, if given this run. */
  since: Date | null;
  batchSize: number;
  log: (line: string) => void;
  afterBatch?: (batches: number) => void | Promise<void>;
}

export const unixSeconds = (d: Date) => Math.floor(d.getTime() / 1000);
