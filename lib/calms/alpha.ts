import { pearson, variance } from "./stats";

/**
 * Cronbach's alpha and item diagnostics for one block of one round, over the whole organisation (a team of five
 * is far too small to estimate it). Rows are people who answered every item of the block (listwise: "Don't know"
 * is missing), columns are items, values on any common scale.
 *
 *   α = k / (k − 1) × (1 − Σ var(item) / var(total))
 *
 * with sample variances (n − 1). Also per item: the corrected item-total correlation (the item against the sum of
 * the *other* items) and alpha if the item were dropped.
 */

export interface ItemDiagnostics {
  /** Corrected item-total correlation; null when the item or the rest does not vary. */
  itemTotal: number | null;
  /** Alpha of the block without this item (null with fewer than three items). */
  alphaIfDeleted: number | null;
}

export interface AlphaResult {
  alpha: number | null;
  /** People with every item of the block answered. */
  n: number;
  items: number;
  perItem: ItemDiagnostics[];
}

/** Alpha of a complete matrix (rows × items); null when the totals do not vary or there are under 2 items/rows. */
export function alphaOf(rows: readonly (readonly number[])[]): number | null {
  const k = rows[0]?.length ?? 0;
  if (rows.length < 2 || k < 2) return null;
  let itemVariances = 0;
  for (let j = 0; j < k; j++) itemVariances += variance(rows.map((r) => r[j] as number)) as number;
  const totalVariance = variance(rows.map((r) => r.reduce((a, b) => a + b, 0))) as number;
  if (totalVariance === 0) return null;
  return (k / (k - 1)) * (1 - itemVariances / totalVariance);
}

export function cronbach(rows: readonly (readonly number[])[]): AlphaResult {
  const k = rows[0]?.length ?? 0;
  const perItem: ItemDiagnostics[] = [];
  for (let j = 0; j < k; j++) {
    const item = rows.map((r) => r[j] as number);
    const rest = rows.map((r) => r.reduce((a, b, i) => (i === j ? a : a + b), 0));
    const without = rows.map((r) => r.filter((_, i) => i !== j));
    perItem.push({ itemTotal: pearson(item, rest), alphaIfDeleted: k >= 3 ? alphaOf(without) : null });
  }
  return { alpha: alphaOf(rows), n: rows.length, items: k, perItem };
}

/** Rules of thumb (docs/calms.md § Reliability). */
export const ALPHA_FLOOR = 0.7;
export const ALPHA_REDUNDANT = 0.95;
export const ITEM_TOTAL_FLOOR = 0.3;
/** Fewest complete answers before alpha is worth computing. */
export const ALPHA_MIN_N = 10;

export type AlphaVerdict = "too_few" | "undefined" | "low" | "ok" | "redundant";

export function alphaVerdict(result: AlphaResult): AlphaVerdict {
  if (result.n < ALPHA_MIN_N || result.items < 2) return "too_few";
  if (result.alpha === null) return "undefined";
  if (result.alpha < ALPHA_FLOOR) return "low";
  if (result.alpha > ALPHA_REDUNDANT) return "redundant";
  return "ok";
}

/**
 * An item is weak when it hardly moves with the rest of its block (corrected item-total r below 0.30) or when
 * dropping it would raise alpha: a candidate for rewording (as a new item) before the next round.
 */
export function isWeakItem(result: AlphaResult, index: number): boolean {
  const d = result.perItem[index];
  if (!d || result.n < ALPHA_MIN_N) return false;
  if (d.itemTotal !== null && d.itemTotal < ITEM_TOTAL_FLOOR) return true;
  return d.alphaIfDeleted !== null && result.alpha !== null && d.alphaIfDeleted > result.alpha + 0.01;
}
