import { describe, expect, it } from "vitest";
import { allowedValues, BANK, BLOCKS, DIMENSIONS, groupByBlock } from "@/lib/calms/bank";
import { checkBlocks, DEFAULT_ITEM_KEYS, RoundInput } from "@/lib/calms/inputs";

/**
 * The wording of every item id, frozen. Rounds are compared on identical items only, so an item's wording must
 * never change: if this test fails because you edited a statement, restore it and add the new wording as a new
 * item with a new id (C1 → C6) instead.
 */
const FROZEN: Record<string, string> = {
  C1: "Our reviews of incidents and mistakes looked for causes in the system, and blamed no one.",
  C2: "The people who built a service were the ones who responded when it failed in production.",
  C3: "We had planned time for improvement work, such as technical debt or tooling.",
  C4: "When someone raised a risk or a concern, it was discussed and acted on.",
  C5: "People from operations, security or product took part in our planning or reviews.",
  A1: "Every change merged to the main branch was built and tested automatically.",
  A2: "Production deployments were carried out by the pipeline from start to finish.",
  A3: "We could rebuild an environment from code kept in version control.",
  A4: "A failing automated check stopped a change from being released.",
  A5: "Undoing a bad release took a single automated step.",
  A6: "Database and configuration changes shipped through the same pipeline as code.",
  L1: "Our pull requests were small enough to review in one sitting.",
  L2: "We finished work in progress before starting something new.",
  L3: "Branches were merged into main within a day or so of being started.",
  L4: "A pull request got its first review within a day.",
  L5: "Work items were sliced small enough to finish within a week.",
  L6: "When something slowed our flow of work, we changed how we work to remove it.",
  M1: "We could see our delivery figures without anyone compiling them by hand.",
  M2: "Each production incident was recorded with when it started and when it was resolved.",
  M3: "For each production failure, we knew which deployment caused it.",
  M4: "We checked our services against reliability targets we had agreed on.",
  M5: "Our alerts told us about problems before users did.",
  M6: "Data we collected changed a decision the team made.",
  S1: "Write-ups of our incidents were open to other teams.",
  S2: "Runbooks and documentation were updated when the system changed.",
  S3: "We reviewed or contributed code across team boundaries, or accepted other teams' changes.",
  S4: "More than one person on the team could deploy and operate each of our services.",
  S5: "We shared what we learned with people outside the team.",
  W1: "People go looking for the information they need, and others share it readily.",
  W2: "Someone who reports a failure or brings bad news is thanked for it.",
  W3: "Responsibility for outcomes is shared across roles.",
  W4: "Working with people from other functions is encouraged and recognised.",
  W5: "When something fails, we ask what in the way we work allowed it.",
  W6: "New ideas are welcomed, whoever they come from.",
};

describe("the question bank", () => {
  it("never changes the wording of an item id", () => {
    expect(Object.fromEntries(BANK.map((i) => [i.key, i.text]))).toEqual(FROZEN);
  });

  it("has five dimensions of 5–6 items, plus a six-item generative-culture block on the agreement scale", () => {
    for (const d of DIMENSIONS) {
      const items = BANK.filter((i) => i.block === d);
      expect(items.length, d).toBeGreaterThanOrEqual(5);
      expect(items.length, d).toBeLessThanOrEqual(6);
      expect(items.every((i) => i.scale === "frequency" && i.defaultOn)).toBe(true);
    }
    const westrum = BANK.filter((i) => i.block === "westrum");
    expect(westrum).toHaveLength(6);
    expect(westrum.every((i) => i.scale === "agreement" && !i.defaultOn)).toBe(true);
    expect(groupByBlock(BANK).map((g) => g.block)).toEqual(BLOCKS);
  });

  it("has unique ids and no negatively worded (reverse-coded) statements", () => {
    expect(new Set(BANK.map((i) => i.key)).size).toBe(BANK.length);
    for (const i of BANK)
      expect(i.text, i.key).not.toMatch(/\b(not|never|no longer|don't|doesn't|didn't)\b/i);
  });

  it("offers Don't know on every scale", () => {
    expect(allowedValues("frequency")).toEqual(["0", "1", "2", "3", "4", "dk"]);
    expect(allowedValues("agreement")).toEqual(["1", "2", "3", "4", "5", "6", "7", "dk"]);
  });
});

describe("round input", () => {
  const base = { title: "Spring check", opensOn: "2026-03-02", closesOn: "2026-03-16", teamIds: [1] };

  it("accepts the default statements and applies the default threshold", () => {
    const r = RoundInput.parse({ ...base, itemKeys: DEFAULT_ITEM_KEYS });
    expect(r.minGroupSize).toBe(5);
    expect(r.itemKeys).toHaveLength(28);
  });

  it("refuses a threshold below 3, a close before the opening and unknown statements, at their fields", () => {
    const r = RoundInput.safeParse({ ...base, closesOn: "2026-03-01", minGroupSize: 2, itemKeys: ["Z9"] });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["closesOn", "minGroupSize", "itemKeys"]));
  });

  it("needs two statements per dimension asked", () => {
    expect(checkBlocks(["lean", "lean", "culture"])).toMatch(/culture/);
    expect(checkBlocks(["lean", "lean"])).toBeNull();
    expect(checkBlocks([])).toMatch(/at least two/);
  });
});
