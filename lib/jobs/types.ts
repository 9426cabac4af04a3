import type { z } from "zod";
import type { Db, MigrationResult } from "@/lib/db";

/**
 * A job is work a CLI can run itself or hand to the running server (when the server holds the embedded
 * database): the same code either way. `log` lines reach the CLI's terminal in both cases.
 */
export interface JobDefinition<A extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  args: A;
  run(db: Db, args: z.output<A>, log: (line: string) => void, context?: JobContext): Promise<unknown>;
}

/** What the process that runs a job knows beyond its arguments. */
export interface JobContext {
  /** The migrations this process applied when it opened the database (absent: a server that opened it earlier). */
  migration?: MigrationResult;
  /** Where a job that makes files writes them, chunk by chunk (a report): the CLI's files, however far away. */
  write?: FileSink;
}

/** Receives a file's bytes in order; `file` names it. Resolves when the chunk may be followed by the next. */
export type FileSink = (file: string, chunk: Uint8Array) => Promise<void>;

export function defineJob<A extends z.ZodType>(job: JobDefinition<A>): JobDefinition<A> {
  return job;
}

/** One NDJSON line of the jobs endpoint's streamed answer. */
export type JobEvent =
  | { type: "log"; line: string }
  | { type: "chunk"; file: string; base64: string }
  | { type: "done"; result: unknown }
  | { type: "error"; message: string };
