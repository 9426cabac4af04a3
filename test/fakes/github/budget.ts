/**
 * A primary rate-limit budget, as GitHub keeps one per resource (`core` for REST, `graphql`): `limit` points per
 * hour-long window, refilled when the window ends. Every response reports it in the x-ratelimit-* headers.
 */
export class Budget {
  used = 0;
  /** Epoch seconds when the window ends. */
  reset: number;

  constructor(
    readonly resource: "core" | "graphql",
    public limit = 5_000,
    private readonly windowSeconds = 3_600,
  ) {
    this.reset = Math.floor(Date.now() / 1000) + windowSeconds;
  }

  get remaining() {
    this.refillIfDue();
    return Math.max(0, this.limit - this.used);
  }

  charge(points: number) {
    this.refillIfDue();
    this.used += points;
  }

  /** Back to a full budget and a new window. */
  restore() {
    this.used = 0;
    this.reset = Math.floor(Date.now() / 1000) + this.windowSeconds;
  }

  private refillIfDue() {
    if (Date.now() / 1000 >= this.reset) this.restore();
  }

  headers(): Record<string, string> {
    const remaining = this.remaining;
    return {
      "x-ratelimit-limit": String(this.limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(this.reset),
      "x-ratelimit-used": String(this.used),
      "x-ratelimit-resource": this.resource,
    };
  }
}
