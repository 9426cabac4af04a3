import type { MetricKey } from "./bands";

/**
 * One-paragraph definitions shown beside every figure (tooltips, API, report appendix). The full definitions,
 * with the traps and the reasons, are in docs/metrics.md; keep the two in step.
 */
export const DEFINITIONS: Record<MetricKey, { name: string; short: string; definition: string }> = {
  deploymentFrequency: {
    name: "Deployment frequency",
    short: "Deploys",
    definition:
      "Successful production deployments per week (or day) over the period. A redeploy of the SHA already live ships nothing and is not counted; rollbacks and hotfixes are.",
  },
  changeLeadTime: {
    name: "Change lead time",
    short: "Lead time",
    definition:
      "Median time from a change's first commit to running in production, over every change (commit) first delivered in the period. A squash-merged PR starts at its first commit; bots and merge commits are left out; a first deployment ships no counted changes.",
  },
  changeFailureRate: {
    name: "Change failure rate",
    short: "Failure rate",
    definition:
      "Share of production deployments that needed remediation: rolled back, reverted, fixed by a later deployment or linked to an incident. Each deployment counts once, however many signals it has.",
  },
  recoveryTime: {
    name: "Failed deployment recovery time",
    short: "Recovery",
    definition:
      "Median time from a failed deployment going live to its remediation: the rollback, revert or fix deployment, or the linked incident's resolution. Failures not caused by a deployment are not counted.",
  },
  reworkRate: {
    name: "Rework rate",
    short: "Rework",
    definition:
      "Share of production deployments that were unplanned remediation: rollbacks, reverts, hotfixes, fix deployments and deployments that restored an incident.",
  },
};

export const METRIC_ORDER: MetricKey[] = [
  "deploymentFrequency",
  "changeLeadTime",
  "changeFailureRate",
  "recoveryTime",
  "reworkRate",
];
