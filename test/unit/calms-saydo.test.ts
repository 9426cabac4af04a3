import { describe, expect, it } from "vitest";
import { frequencyWord, type Signal, sayDoQuestion, sayDoRows } from "@/lib/calms/saydo";
import { buildSignals } from "@/lib/calms/signals";

const signal = (over: Partial<Signal> = {}): Signal => ({
  id: "ci_deployments",
  block: "automation",
  label: "Production deployments started by CI",
  itemKey: "A2",
  value: 0.4,
  unit: "share",
  detail: "40 of 100 production deployments",
  comparable: true,
  missing: null,
  ...over,
});

describe("say vs do", () => {
  it("names the nearest frequency word", () => {
    expect(frequencyWord(8.1)).toBe("usually");
    expect(frequencyWord(9)).toBe("always");
    expect(frequencyWord(0.4)).toBe("never");
  });

  it("asks a question when the answers and the data are more than one scale step apart", () => {
    const q = sayDoQuestion(signal(), 8.5); // "always"-ish vs 40%
    expect(q).toMatch(/^The answers say "usually"; the data shows 40%/);
    expect(q).toMatch(/\?$/);
    expect(sayDoQuestion(signal({ value: 0.95 }), 2)).toMatch(/more than the answers \("rarely"\) suggest/);
  });

  it("stays quiet within one step, without data, for context-only signals, or without answers", () => {
    expect(sayDoQuestion(signal({ value: 0.7 }), 8)).toBeNull();
    expect(sayDoQuestion(signal({ value: null }), 8)).toBeNull();
    expect(sayDoQuestion(signal({ comparable: false }), 10)).toBeNull();
    expect(sayDoQuestion(signal(), null)).toBeNull();
  });

  it("pairs each signal with the team's mean answer to its statement, when the team is shown", () => {
    const rows = sayDoRows([signal()], new Map([["A2", 9]]));
    expect(rows[0]?.say).toBe(9);
    expect(rows[0]?.question).not.toBeNull();
    expect(sayDoRows([signal()], null)[0]).toMatchObject({ say: null, question: null });
  });
});

describe("measured signals", () => {
  const zero = { d: {}, c: {}, p: {}, i: {}, people: [] };

  it("say which source would provide missing data", () => {
    const byId = new Map(buildSignals(zero).map((s) => [s.id, s]));
    expect(byId.get("ci_deployments")?.missing).toMatch(/production deployments/);
    expect(byId.get("built_commits")?.missing).toMatch(/CI runs/);
    expect(byId.get("incidents_resolved")?.missing).toMatch(/incident label/);
    expect(byId.get("cross_team_reviews")?.missing).toMatch(/members/);
    expect(byId.get("incident_reviews")?.missing).toMatch(/no source/);
  });

  it("compute shares from the counts, leaving deployments of unknown trigger out", () => {
    const s = buildSignals({
      d: { total: 10, ci: 6, manual: 2, failed: 1 },
      c: { commits: 20, built: 15, builds_ever: 99 },
      p: {
        merged: 8,
        small: 6,
        median_size: 120,
        reviewed_in_day: 4,
        median_wait: 7200,
        merged_in_day: 2,
        reviewed: 8,
        cross_team: 1,
        members: 5,
      },
      i: { incidents: 4, resolved: 3, linked: 2, org_incidents: 9 },
      people: [
        { repo: "acme/api", people: 3 },
        { repo: "acme/web", people: 1 },
      ],
    });
    const v = new Map(s.map((x) => [x.id, x]));
    expect(v.get("ci_deployments")).toMatchObject({
      value: 0.75,
      missing: null,
      detail: "6 of 8 production deployments whose trigger is known",
    });
    expect(v.get("built_commits")?.value).toBe(0.75);
    expect(v.get("small_prs")?.value).toBe(0.75);
    expect(v.get("first_review_in_a_day")?.detail).toMatch(/median wait 2 h/);
    expect(v.get("incidents_resolved")?.value).toBe(0.75);
    expect(v.get("incidents_linked")?.value).toBe(0.5);
    expect(v.get("cross_team_reviews")?.value).toBe(0.125);
    expect(v.get("people_per_repository")).toMatchObject({ value: 1, comparable: false });
    expect(v.get("people_per_repository")?.detail).toMatch(/1 with a single person/);
  });

  it("flag failures without incidents as a question of reporting", () => {
    const s = buildSignals({
      ...zero,
      d: { total: 5, ci: 5, failed: 2 },
      i: { incidents: 0, org_incidents: 3 },
    });
    expect(s.find((x) => x.id === "incidents_resolved")?.detail).toMatch(/no incident recorded, while 2/);
  });
});
