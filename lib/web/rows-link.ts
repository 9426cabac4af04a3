import type { OutcomeFilter } from "@/lib/deployments";
import type { Period } from "@/lib/metrics/period";
import { type Filters, withFilters } from "./filters";

/**
 * Every number is a link to the rows behind it: the deployments list filtered to the same slice, period and outcome
 * that the figure counts (deployments counted, failed, reworked, recovered), or to one chart bucket's days.
 */
export interface RowsLink {
  filters: Filters;
  team: string | null;
  outcome: OutcomeFilter;
  /** One bucket of a chart: its days inside the period. */
  range?: Pick<Period, "from" | "to">;
}

export function rowsHref({ filters, team, outcome, range }: RowsLink): string {
  const f: Partial<Filters> = range ? { preset: "custom", from: range.from, to: range.to } : {};
  const q = new URLSearchParams(withFilters(filters, f).slice(1));
  if (team) q.set("team", team);
  if (outcome !== "all") q.set("outcome", outcome);
  const s = q.toString();
  return `/deployments${s ? `?${s}` : ""}`;
}

/** Which list each card's number opens. Lead time opens the counted deployments, each with its changes' median. */
export const CARD_OUTCOMES = {
  deploymentFrequency: "counted",
  changeLeadTime: "counted",
  changeFailureRate: "failed",
  recoveryTime: "recovered",
  reworkRate: "rework",
} as const satisfies Record<string, OutcomeFilter>;

export type CardLinks = Record<keyof typeof CARD_OUTCOMES, string>;

export function cardLinks(filters: Filters, team: string | null): CardLinks {
  const out = {} as CardLinks;
  for (const [k, outcome] of Object.entries(CARD_OUTCOMES)) {
    out[k as keyof CardLinks] = rowsHref({ filters, team, outcome });
  }
  return out;
}
