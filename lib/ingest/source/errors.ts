/**
 * What can go wrong talking to a source's API, as error types the sync acts on: an auth error stops the source
 * (every request would fail the same way), a rate limit that needs a long wait stops it resumably, a missing
 * scope fails only that scope (one project gone does not stop the others).
 */

export class SourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SourceError";
  }
}

/** 401/403 that is not a rate limit: the credentials are wrong or lack a permission. */
export class SourceAuthError extends SourceError {
  constructor(message: string, status: number) {
    super(message, status);
    this.name = "SourceAuthError";
  }
}

/** 404: the project, job or service does not exist or is not visible to these credentials. */
export class SourceNotFoundError extends SourceError {
  constructor(message: string) {
    super(message, 404);
    this.name = "SourceNotFoundError";
  }
}

/**
 * The source asks us to wait longer than we accept (or keeps refusing): the sync stops where it is, with its
 * cursors committed, and the next run continues from there.
 */
export class RateLimitExhaustedError extends SourceError {
  constructor(
    readonly sourceName: string,
    readonly resetAt: Date | null,
    detail = "",
  ) {
    super(
      `${sourceName}'s rate limit is exhausted${resetAt ? ` until ${resetAt.toISOString()}` : ""}${detail ? ` (${detail})` : ""}; the sync stopped where it was and continues from there on the next run`,
      429,
    );
    this.name = "RateLimitExhaustedError";
  }
}

/** Errors after which no further scope of the same source can succeed in this run. */
export function stopsTheSource(error: unknown): boolean {
  return error instanceof SourceAuthError || error instanceof RateLimitExhaustedError;
}
