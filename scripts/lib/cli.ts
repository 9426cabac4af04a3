import { EmbeddedDatabaseBusyError } from "@/lib/db/embedded-lock";
import { IngestIncompleteError } from "@/lib/ingest/run";
import { RecordError } from "@/lib/ingest/store";

/** Runs a CLI's main function: prints a clear error (never a stack trace for expected failures) and sets the exit code. */
export function main(fn: () => Promise<void>): void {
  fn().then(
    () => process.exit(0),
    (error: unknown) => {
      const expected =
        error instanceof EmbeddedDatabaseBusyError ||
        error instanceof RecordError ||
        error instanceof IngestIncompleteError ||
        (error instanceof Error && error.name === "ZodError");
      console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
      if (!expected && error instanceof Error && error.cause) console.error("  cause:", error.cause);
      if (!expected && process.env.DEBUG && error instanceof Error) console.error(error.stack);
      process.exit(1);
    },
  );
}
