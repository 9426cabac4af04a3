/**
 * Anonymity rules (docs/calms.md § Anonymity), pure and applied on the server before anything leaves it: pages, the
 * JSON API and exports all read results through lib/calms/results.ts, which calls these.
 *
 * 1. A team's results are hidden until it has `minGroupSize` answers (5 by default, never below 3).
 * 2. Comments are shown only from 10 answers up (or the threshold, if an admin raised it above 10).
 * 3. **Complementary suppression for the round's organisation figure.** The organisation figure pools every team,
 *    hidden ones included. Subtracting the visible teams from it leaves the pooled answers of the hidden teams (the
 *    "residual"). When that residual holds between 1 and threshold − 1 answers, the next smallest visible team is
 *    hidden too, until the residual reaches the threshold.
 * 4. **Filters pool visible teams only.** Any other aggregate (a selection of teams) is computed from teams whose
 *    results are shown, so it is a function of figures already published and adds nothing to subtract. The
 *    organisation figure is the only aggregate that contains hidden answers, and rule 3 protects it.
 * 5. **Round-to-round changes** of a team are not shown when its number of answers differs by one or two between
 *    the rounds: the change would mostly describe the people who joined or left.
 * 6. **Dimensions.** A dimension's score rests on the people who answered enough of its statements ("Don't know" is
 *    not an answer), which can be fewer than the team's answers: a score resting on fewer than the threshold is
 *    withheld, its n shown. The organisation's score of a dimension is withheld when it, minus every team score of
 *    that dimension that is shown, leaves between 1 and threshold − 1 people (rule 3, per dimension), and a selection's
 *    score when one of its teams has that dimension withheld (rule 4, per dimension).
 */

export const MIN_GROUP_FLOOR = 3;
export const DEFAULT_MIN_GROUP = 5;
export const COMMENT_MIN = 10;

export type HiddenReason = "below_threshold" | "complementary";
/** Why one dimension's score is withheld while the rest of the group's results are shown (rule 6). */
export type WithheldReason = "too_few" | "complementary";

export interface Group {
  key: string;
  /** For a stable, explainable tie-break (team name). */
  label: string;
  n: number;
}

export interface Disclosure {
  /** Hidden groups and why; a group not in the map is shown. */
  hidden: Map<string, HiddenReason>;
  /** The pooled figure of every group (the organisation row). */
  total: { n: number; visible: boolean };
}

/** The threshold actually applied: an admin may lower it to 3, never below. */
export function effectiveThreshold(minGroupSize: number): number {
  return Math.max(MIN_GROUP_FLOOR, Math.floor(minGroupSize));
}

export function planDisclosure(groups: readonly Group[], minGroupSize: number): Disclosure {
  const k = effectiveThreshold(minGroupSize);
  const hidden = new Map<string, HiddenReason>();
  for (const g of groups) if (g.n < k) hidden.set(g.key, "below_threshold");
  const totalN = groups.reduce((sum, g) => sum + g.n, 0);
  const total = { n: totalN, visible: totalN >= k };
  if (!total.visible) return { hidden, total };

  let residual = groups.filter((g) => hidden.has(g.key)).reduce((sum, g) => sum + g.n, 0);
  // Smallest first: hiding the smallest visible team withholds the fewest answers. Ties by name, then key.
  const candidates = groups
    .filter((g) => !hidden.has(g.key))
    .sort((a, b) => a.n - b.n || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
  for (const g of candidates) {
    if (residual === 0 || residual >= k) break;
    hidden.set(g.key, "complementary");
    residual += g.n;
  }
  return { hidden, total };
}

/**
 * The groups a selection (a filter, a roll-up of chosen teams) may pool: only groups whose results are shown.
 * Hidden groups are listed so the reader knows they were left out, never pooled in silently.
 */
export function selectionMembers(
  disclosure: Disclosure,
  requested: readonly string[],
): { included: string[]; excluded: string[] } {
  const included = requested.filter((key) => !disclosure.hidden.has(key));
  const excluded = requested.filter((key) => disclosure.hidden.has(key));
  return { included, excluded };
}

/** Comments are shown from 10 answers up, and never for a hidden team. */
export function commentsVisible(n: number, teamVisible: boolean, minGroupSize: number): boolean {
  return teamVisible && n >= Math.max(COMMENT_MIN, effectiveThreshold(minGroupSize));
}

/** Rule 6: a dimension score resting on `n` people is shown from the threshold up. */
export function dimensionShown(n: number, minGroupSize: number): boolean {
  return n >= effectiveThreshold(minGroupSize);
}

/**
 * Rule 6 for the organisation's score of one dimension: `orgN` people in it, `shownTeamNs` the people of each team
 * score of that dimension that is shown. Null when it may be shown.
 */
export function orgDimensionWithheld(
  orgN: number,
  shownTeamNs: readonly number[],
  minGroupSize: number,
): WithheldReason | null {
  if (!dimensionShown(orgN, minGroupSize)) return "too_few";
  const residual = orgN - shownTeamNs.reduce((sum, n) => sum + n, 0);
  return residual > 0 && residual < effectiveThreshold(minGroupSize) ? "complementary" : null;
}

export type ChangeBlock = "ok" | "membership";

/**
 * Whether the change between two rounds of a team may be shown (both rounds must already be visible): not when the
 * number of answers differs by one or two.
 */
export function changeDisclosure(previousN: number, currentN: number): ChangeBlock {
  const d = Math.abs(currentN - previousN);
  return d === 1 || d === 2 ? "membership" : "ok";
}

export const WITHHELD_MESSAGES: Record<WithheldReason, (n: number, k: number) => string> = {
  too_few: (n, k) =>
    `Withheld: only ${n} ${n === 1 ? "person" : "people"} answered enough of these statements (${k} needed); the others chose "Don't know".`,
  complementary: () =>
    "Withheld to protect a smaller group: with the teams' scores shown, this figure would reveal a score " +
    "resting on too few people.",
};

export const HIDDEN_MESSAGES: Record<HiddenReason, (n: number, k: number) => string> = {
  below_threshold: (n, k) =>
    `Hidden until ${k} people have answered (${n} so far), so that no answer can be traced to a person.`,
  complementary: () =>
    "Hidden to protect a smaller team: with this team shown, the organisation figure minus the teams shown " +
    "would reveal the answers of a team below the threshold.",
};

/** Shown with the results of a team that answered through one shared link (ADR 0014). */
export const TEAM_LINK_NOTE =
  "Lower assurance: this team answered through one shared team link, so one person could have answered several " +
  "times and the answer count is not a count of people. Only dimension scores are shown; answers per statement are " +
  "not, so that nobody holding several answers can single out another person's.";
