/**
 * The closed vocabularies of the domain model. Columns store these as text (see docs/adr/0003-domain-model.md:
 * text + CHECK constraints rather than Postgres enums, so adding a value is a plain migration).
 */

export const DEPLOYMENT_STATUSES = [
  "queued",
  "in_progress",
  "success",
  "failure",
  "error",
  "cancelled",
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** normal ships new changes; redeploy ships the SHA already live; rollback goes back to an ancestor; hotfix is unplanned. */
export const DEPLOYMENT_KINDS = ["normal", "redeploy", "rollback", "hotfix"] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

/** How the changes a deployment shipped were worked out (lib/metrics/derive). */
export const ATTRIBUTIONS = [
  "pending", // not derived yet
  "graph", // walked the commit graph back to the deployed commits of its line it descends from
  "declared", // the source listed the commits it shipped (push API), for a repository whose history we do not hold
  "baseline", // first deployment of its chain: nothing to walk from, so no changes are attributed
  "unknown_sha", // the deployed SHA (or the previous one) is not in the commit history we hold
  "too_many", // more commits than a deployment can plausibly ship (a history import): not attributed
  "none", // not a successful deployment, or a redeploy/rollback that ships nothing new
] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export const FAILURE_REASONS = ["rollback", "incident", "revert", "fix_deployment", "corrected"] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * Remedies that came later than their window (org settings): a rollback or a revert that does not count as a
 * failure or as rework, because it was no immediate intervention. Kept on the remedy for the data-quality notes.
 */
export const DISCOUNT_REASONS = ["rollback", "revert"] as const;
export type DiscountReason = (typeof DISCOUNT_REASONS)[number];

export const REWORK_REASONS = ["rollback", "hotfix", "revert", "fix_deployment", "incident_fix"] as const;
export type ReworkReason = (typeof REWORK_REASONS)[number];

export const ENVIRONMENT_TIERS = ["production", "staging", "testing", "development", "other"] as const;
export type EnvironmentTier = (typeof ENVIRONMENT_TIERS)[number];

export const DEPLOYMENT_TRIGGERS = ["ci", "manual", "unknown"] as const;
export type DeploymentTrigger = (typeof DEPLOYMENT_TRIGGERS)[number];

export const INCIDENT_LINK_METHODS = ["explicit", "sha", "window", "corrected"] as const;
export type IncidentLinkMethod = (typeof INCIDENT_LINK_METHODS)[number];

export const PR_STATES = ["open", "closed", "merged"] as const;
export type PullRequestState = (typeof PR_STATES)[number];

export const MERGE_METHODS = ["merge", "squash", "rebase"] as const;
export type MergeMethod = (typeof MERGE_METHODS)[number];

/** Where a row came from. `demo` rows are removed in one step by lib/demo. */
export const SOURCES = [
  "demo",
  "github",
  "webhook",
  "api",
  "git",
  "config",
  "ui",
  "gitlab",
  "jenkins",
  "pagerduty",
  "opsgenie",
] as const;
export type Source = (typeof SOURCES)[number];

/** Where a repository is hosted (links and which sync reads it). */
export const PROVIDERS = ["github", "gitlab", "git", "other"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
export type WeekStart = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** SQL list literal for a CHECK constraint, e.g. `'a', 'b'`. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ");
}
