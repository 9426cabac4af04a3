/**
 * Performance bands. DORA publishes clusters (typical answers of groups of respondents), not thresholds, and
 * dropped them in 2025; these cut-offs are ours, derived from the 2023 and 2024 clusters as docs/metrics.md
 * § Bands explains. They are a guide for a team's own trend, not a grade to compare teams by.
 */

export type Band = "elite" | "high" | "medium" | "low";
export const BANDS: readonly Band[] = ["elite", "high", "medium", "low"];

const HOUR = 3_600;
const DAY = 24 * HOUR;

export const BAND_CUTOFFS = {
  /** Deployments per week (mean over the period), at least: elite, high, medium. */
  deploymentFrequency: { elite: 7, high: 1, medium: 7 / 30 },
  /** Median change lead time (seconds), below: elite, high, medium. */
  changeLeadTime: { elite: DAY, high: 7 * DAY, medium: 30 * DAY },
  /** Change failure rate (0–1), below: nearest of the 2023 cluster values 5 %, 10 %, 15 %, 64 %. */
  changeFailureRate: { elite: 0.075, high: 0.125, medium: 0.4 },
  /** Median failed-deployment recovery time (seconds), below. */
  recoveryTime: { elite: HOUR, high: DAY, medium: 7 * DAY },
  /** Rework rate (0–1): DORA publishes no clusters; we use the change-failure cut-offs (docs/metrics.md). */
  reworkRate: { elite: 0.075, high: 0.125, medium: 0.4 },
} as const;

export type MetricKey = keyof typeof BAND_CUTOFFS;

/** Higher is better only for deployment frequency. */
export const HIGHER_IS_BETTER: Record<MetricKey, boolean> = {
  deploymentFrequency: true,
  changeLeadTime: false,
  changeFailureRate: false,
  recoveryTime: false,
  reworkRate: false,
};

export function band(metric: MetricKey, value: number | null): Band | null {
  if (value === null || Number.isNaN(value)) return null;
  const c = BAND_CUTOFFS[metric];
  if (HIGHER_IS_BETTER[metric]) {
    if (value >= c.elite) return "elite";
    if (value >= c.high) return "high";
    if (value >= c.medium) return "medium";
    return "low";
  }
  if (value < c.elite) return "elite";
  if (value < c.high) return "high";
  if (value < c.medium) return "medium";
  return "low";
}

export const BAND_LABELS: Record<Band, string> = {
  elite: "Elite",
  high: "High",
  medium: "Medium",
  low: "Low",
};
