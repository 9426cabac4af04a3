/**
 * An expected failure of a local git ingest (bad path, no git, unknown branch or team, bad glob): its message is
 * meant for the person at the terminal and says what to do, so the CLI prints it without a stack trace.
 */
export class GitIngestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GitIngestError";
  }
}
