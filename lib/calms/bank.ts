/**
 * Throughline's CALMS question bank, in our own words (docs/calms.md explains the design).
 *
 * - Every statement describes an observable behaviour of "my team" in the last 4 weeks, is positively worded (no
 *   reverse-coded items) and is answered on a frequency scale with "Don't know".
 * - Five dimensions, one construct each; a dimension's score is the mean of its answered items.
 * - An optional generative-culture block, written after Westrum's typology (our wording, not DORA's), is answered on
 *   a 7-point agreement scale and reported as a score of its own, never mixed into Culture.
 *
 * **Item ids are stable.** Never edit the wording of an existing item: a changed statement is a new item with a new
 * id (C1 → C7), because rounds are compared only on identical items. test/unit/calms-bank.test.ts freezes the
 * wording of every id to catch an accidental edit.
 */

export const DIMENSIONS = ["culture", "automation", "lean", "measurement", "sharing"] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** The five CALMS dimensions plus the generative-culture block. */
export type Block = Dimension | "westrum";
export const BLOCKS: readonly Block[] = [...DIMENSIONS, "westrum"];

export const BLOCK_LABELS: Record<Block, string> = {
  culture: "Culture",
  automation: "Automation",
  lean: "Lean",
  measurement: "Measurement",
  sharing: "Sharing",
  westrum: "Generative culture",
};

export const SCALES = ["frequency", "agreement"] as const;
export type Scale = (typeof SCALES)[number];

export interface ScalePoint {
  value: number;
  label: string;
}

/** Stored answers are these values; "Don't know" is stored as null. */
export const SCALE_POINTS: Record<Scale, readonly ScalePoint[]> = {
  frequency: [
    { value: 0, label: "Never" },
    { value: 1, label: "Rarely" },
    { value: 2, label: "About half the time" },
    { value: 3, label: "Usually" },
    { value: 4, label: "Always" },
  ],
  agreement: [
    { value: 1, label: "Strongly disagree" },
    { value: 2, label: "Disagree" },
    { value: 3, label: "Somewhat disagree" },
    { value: 4, label: "Neither agree nor disagree" },
    { value: 5, label: "Somewhat agree" },
    { value: 6, label: "Agree" },
    { value: 7, label: "Strongly agree" },
  ],
};
export const DONT_KNOW = "Don't know";

/** The stem every statement of a block completes. */
export const STEMS: Record<Scale, string> = {
  frequency: "On my team, in the last 4 weeks…",
  agreement: "On my team…",
};

export const BANK_VERSION = "2026.1";

export interface BankItem {
  /** Stable id: C1…, A1…; custom items are U<number>. */
  key: string;
  block: Block;
  scale: Scale;
  text: string;
  /** Part of the round by default (the generative-culture block is opt-in). */
  defaultOn: boolean;
}

const f = (key: string, block: Dimension, text: string): BankItem => ({
  key,
  block,
  scale: "frequency",
  text,
  defaultOn: true,
});
const w = (key: string, text: string): BankItem => ({
  key,
  block: "westrum",
  scale: "agreement",
  text,
  defaultOn: false,
});

export const BANK: readonly BankItem[] = [
  f(
    "C1",
    "culture",
    "Our reviews of incidents and mistakes looked for causes in the system, and blamed no one.",
  ),
  f(
    "C2",
    "culture",
    "The people who built a service were the ones who responded when it failed in production.",
  ),
  f("C3", "culture", "We had planned time for improvement work, such as technical debt or tooling."),
  f("C4", "culture", "When someone raised a risk or a concern, it was discussed and acted on."),
  f("C5", "culture", "People from operations, security or product took part in our planning or reviews."),

  f("A1", "automation", "Every change merged to the main branch was built and tested automatically."),
  f("A2", "automation", "Production deployments were carried out by the pipeline from start to finish."),
  f("A3", "automation", "We could rebuild an environment from code kept in version control."),
  f("A4", "automation", "A failing automated check stopped a change from being released."),
  f("A5", "automation", "Undoing a bad release took a single automated step."),
  f("A6", "automation", "Database and configuration changes shipped through the same pipeline as code."),

  f("L1", "lean", "Our pull requests were small enough to review in one sitting."),
  f("L2", "lean", "We finished work in progress before starting something new."),
  f("L3", "lean", "Branches were merged into main within a day or so of being started."),
  f("L4", "lean", "A pull request got its first review within a day."),
  f("L5", "lean", "Work items were sliced small enough to finish within a week."),
  f("L6", "lean", "When something slowed our flow of work, we changed how we work to remove it."),

  f("M1", "measurement", "We could see our delivery figures without anyone compiling them by hand."),
  f(
    "M2",
    "measurement",
    "Each production incident was recorded with when it started and when it was resolved.",
  ),
  f("M3", "measurement", "For each production failure, we knew which deployment caused it."),
  f("M4", "measurement", "We checked our services against reliability targets we had agreed on."),
  f("M5", "measurement", "Our alerts told us about problems before users did."),
  f("M6", "measurement", "Data we collected changed a decision the team made."),

  f("S1", "sharing", "Write-ups of our incidents were open to other teams."),
  f("S2", "sharing", "Runbooks and documentation were updated when the system changed."),
  f(
    "S3",
    "sharing",
    "We reviewed or contributed code across team boundaries, or accepted other teams' changes.",
  ),
  f("S4", "sharing", "More than one person on the team could deploy and operate each of our services."),
  f("S5", "sharing", "We shared what we learned with people outside the team."),

  w("W1", "People go looking for the information they need, and others share it readily."),
  w("W2", "Someone who reports a failure or brings bad news is thanked for it."),
  w("W3", "Responsibility for outcomes is shared across roles."),
  w("W4", "Working with people from other functions is encouraged and recognised."),
  w("W5", "When something fails, we ask what in the way we work allowed it."),
  w("W6", "New ideas are welcomed, whoever they come from."),
];

const BY_KEY = new Map(BANK.map((i) => [i.key, i]));
export const bankItem = (key: string): BankItem | undefined => BY_KEY.get(key);

/** Custom items are U1, U2…: the number is the row id of calms_custom_items. */
export const customKey = (id: number) => `U${id}`;
export const isCustomKey = (key: string) => /^U\d+$/.test(key);

/** Values a respondent may send for an item of this scale ("dk" = Don't know). */
export function allowedValues(scale: Scale): string[] {
  return [...SCALE_POINTS[scale].map((p) => String(p.value)), "dk"];
}

/** A stored answer on the common 0–10 reporting scale (frequency 0–4 × 2.5; agreement 1–7 → 0–10). */
export function toTen(scale: Scale, value: number): number {
  return scale === "frequency" ? value * 2.5 : ((value - 1) * 10) / 6;
}

/** Blocks in display order with their items, for the form and the results. */
export function groupByBlock<T extends { block: Block }>(
  items: readonly T[],
): { block: Block; items: T[] }[] {
  return BLOCKS.map((block) => ({ block, items: items.filter((i) => i.block === block) })).filter(
    (g) => g.items.length > 0,
  );
}
