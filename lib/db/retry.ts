/**
 * PostgreSQL may abort a transaction that did nothing wrong: a deadlock victim (40P01) or a serialization
 * failure (40001). Running the same transaction again is the documented remedy; a bounded number of attempts
 * keeps a real bug from looping for ever. The function must be safe to re-run (it only talks to the database).
 */

const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 5;

/** True when the error (or one it wraps: drizzle wraps driver errors in `cause`) is worth one more try. */
export function isRetryable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function retryTransaction<T>(run: () => Promise<T>, attempts = ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      // A little jitter so the two victims of one deadlock do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
