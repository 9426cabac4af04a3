/**
 * Items a sync read but does not store (a build without a revision, an incident of an unmapped service), counted
 * by reason and logged once per scope: "payments/deploy: 3 not stored: no repository …".
 */
export class Skipped {
  private readonly reasons = new Map<string, number>();

  add = (reason: string): void => {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  };

  report(scope: string, log: (line: string) => void): void {
    for (const [reason, n] of this.reasons) log(`${scope}: ${n} not stored: ${reason}`);
    this.reasons.clear();
  }
}
