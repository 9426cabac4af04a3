import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { createRound } from "@/lib/calms/rounds";
import { teams } from "@/lib/db/schema";
import { buildReport } from "@/lib/reports/build";
import { parseCsv } from "@/lib/reports/csv";
import { datasetCsv } from "@/lib/reports/datasets";
import { toReportJson } from "@/lib/reports/json";
import { renderReportPdf } from "@/lib/reports/pdf/render";
import { createTeam } from "@/lib/teams";
import { loadMarch } from "@/test/fixtures/march";
import { answerPerPerson } from "@/test/helpers/calms";
import { type Backend, describeDb } from "@/test/helpers/db";

/**
 * The reports' CALMS section (lib/reports/calms.ts) on the March fixture plus two survey rounds, with every figure
 * computed by hand below. The rules are the CALMS pages' (docs/calms.md § Anonymity): Web has 3 answers in the
 * spring round (hidden), so Search (5, the smallest team shown) is hidden too, or the organisation figure minus
 * Payments minus Search would be Web; neither team's answers may reach the JSON, the CSV or the PDF.
 */

const NOW = new Date("2026-04-15T12:00:00Z");
const hasPoppler = ["pdftotext", "pdftoppm"].every(
  (tool) => spawnSync(tool, ["-v"], { encoding: "utf8" }).error === undefined,
);

/** One person's answers to C1 C2 A1 A2 [L1 L3] on the frequency scale (0 Never … 4 Always; "dk" Don't know). */
type Person = [string, string, string, string, string?, string?];
const KEYS = ["C1", "C2", "A1", "A2", "L1", "L3"];
const times = (n: number, p: Person) => Array.from({ length: n }, () => p);

// Winter (C, A): everyone answers alike within a team.
//   Payments: Culture 5, Automation 2.5 · Search: 7.5, 7.5 · Web: 5, 5 (6 answers each, all shown).
//   Organisation: Culture (30 + 45 + 30) / 18 = 5.83; Automation (15 + 45 + 30) / 18 = 5.
const WINTER: Record<string, Person[]> = {
  payments: times(6, ["2", "2", "1", "1"]),
  search: times(6, ["3", "3", "3", "3"]),
  web: times(6, ["2", "2", "2", "2"]),
};
// Spring (C, A, L):
//   Payments (6 answers): Culture 10, 7.5, 7.5, 5, 7.5 and one "Don't know" → 37.5 / 5 = 7.5 (5 people);
//     Automation 10, 10, 8.75, 7.5, 7.5, 10 → 53.75 / 6 = 8.96; Lean 5 for all → 5.
//   Search (5): 7.5 everywhere. Web (3): Culture 1.25, Automation 3.75, Lean 1.25.
//   Organisation: Culture (37.5 + 37.5 + 3.75) / 13 = 6.06; Automation (53.75 + 37.5 + 11.25) / 14 = 7.32;
//     Lean (30 + 37.5 + 3.75) / 14 = 5.09.
const SPRING: Record<string, Person[]> = {
  payments: [
    ["4", "4", "4", "4", "2", "2"],
    ["3", "3", "4", "4", "2", "2"],
    ["3", "3", "4", "3", "2", "2"],
    ["2", "2", "3", "3", "2", "2"],
    ["4", "2", "3", "3", "2", "2"],
    ["dk", "dk", "4", "4", "2", "2"],
  ],
  search: times(5, ["3", "3", "3", "3", "3", "3"]),
  web: times(3, ["1", "0", "2", "1", "0", "1"]),
};
/** Web's spring scores, and how a renderer would print them: none may appear anywhere. */
const WEB_VALUES = ["1.25", "3.75"];
const WEB_PRINTED = ["1.3 / 10", "3.8 / 10", "1.2 / 10"];

async function seed(db: Parameters<typeof loadMarch>[0]) {
  await loadMarch(db);
  await createTeam(db, {
    slug: "search",
    name: "Search",
    members: ["ana", "ben", "cai", "dee", "eli", "fay"],
  });
  const ids = (await db.select({ id: teams.id }).from(teams)).map((t) => t.id);
  const rounds = [
    {
      title: "Winter check",
      opensOn: "2025-12-01",
      closesOn: "2025-12-12",
      day: "2025-12-05",
      people: WINTER,
    },
    {
      title: "Spring check",
      opensOn: "2026-03-02",
      closesOn: "2026-03-13",
      day: "2026-03-05",
      people: SPRING,
    },
  ];
  for (const r of rounds) {
    const keys = r.people === WINTER ? KEYS.slice(0, 4) : KEYS;
    const { roundId } = await createRound(db, { ...r, teamIds: ids, itemKeys: keys });
    for (const result of await answerPerPerson(db, roundId, r.people, keys, r.day)) {
      expect(result).toEqual({ status: "recorded" });
    }
  }
}

/** The CALMS page of the PDF (the summary's "In brief" mentions CALMS too). */
const CALMS_PAGE = /CALMS self-assessment\s+Spring check, closed/;

/** The PDF's text, page by page (pdftotext), and the CALMS page as a PNG in test-results/ to look at. */
function pdfPages(pdf: Buffer, name: string, backend: Backend): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-report-calms-"));
  try {
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    const pages = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f");
    const calms = pages.findIndex((p) => CALMS_PAGE.test(p));
    if (backend === "pglite" && calms >= 0) {
      const shots = path.join(process.cwd(), "test-results");
      fs.mkdirSync(shots, { recursive: true });
      const page = String(calms + 1);
      execFileSync("pdftoppm", [
        "-png",
        "-r",
        "60",
        "-f",
        page,
        "-l",
        page,
        "-singlefile",
        file,
        path.join(shots, name),
      ]);
    }
    return pages;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const squash = (s: string) => s.replace(/\s+/g, " ");

function records(csv: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(csv);
  return rows.map((r) => Object.fromEntries((head ?? []).map((h, i) => [h, r[i] ?? ""])));
}

describeDb("the reports' CALMS section", ({ db, backend }) => {
  it("a team report: the latest closed round, n, the previous round where comparable, say vs do", async () => {
    await seed(db());
    const r = await buildReport(db(), { team: "payments", period: "2026-Q1", now: NOW });
    const c = r.calms;
    expect(c?.round).toEqual({
      name: "Spring check",
      closedOn: "2026-03-13",
      responses: 6,
      responseRate: null,
    });
    expect(c?.scale).toEqual({ min: 0, max: 10 });
    expect(c?.dimensions).toEqual([
      // Culture rests on 5 people (one said "Don't know" twice): the score of 5 answers is shown (5 ≥ 5).
      { key: "culture", name: "Culture", score: 7.5, previous: 5, responses: 5 },
      { key: "automation", name: "Automation", score: 8.96, previous: 2.5, responses: 6 },
      // Winter did not ask about Lean.
      { key: "lean", name: "Lean", score: 5, previous: null, responses: 6 },
    ]);
    expect(c?.teams).toBeUndefined();
    // Culture: d = 7.5 − 5 = 2.5; SE = √(0/6 + 3.125/5) = 0.791 (winter's SD is 0), df = 4, margin
    // t(4) × SE = 2.776 × 0.791 = 2.19: a clear rise. Automation: d = 8.96 − 2.5 = 6.46; SE = √(1.5104/6) = 0.502,
    // df = 5, margin 2.571 × 0.502 = 1.29.
    expect(c?.highlights).toEqual([
      "CALMS self-assessment (Spring check, 6 answers): Culture 7.5, Automation 9.0, Lean 5.0 out of 10.",
      "Culture rose 2.5 points since Winter check, beyond the noise for these numbers of answers (± 2.2).",
      "Automation rose 6.5 points since Winter check, beyond the noise for these numbers of answers (± 1.3).",
      "2 say-vs-do questions to discuss, where the answers and the measured data differ.",
    ]);
    expect(r.narrative.slice(-4).map((s) => s.text)).toEqual(c?.highlights);
    // The March fixture: 6 of 6 production deployments by CI, one merged pull request (small, merged after more
    // than a day), no CI builds. Answers: A2 mean 8.75 (agrees with 100%), L1 and L3 all "About half the time".
    expect(c?.sayDo.map((n) => [n.dimension, n.level, n.message.split(": ")[0]])).toEqual([
      ["Culture", "info", "Incidents with a blameless review"],
      ["Culture", "info", "Builders on the service's on-call rotation"],
      ["Automation", "info", "Production deployments started by CI"],
      ["Automation", "info", "Main-branch commits with a CI build"],
      ["Lean", "warning", "Merged pull requests of 400 changed lines or fewer"],
      ["Lean", "warning", "Pull requests merged within 24 hours of their first commit"],
    ]);
    expect(c?.sayDo[0]?.message).toBe(
      "Incidents with a blameless review: not measured; needs incident reviews (post-mortems): no source Throughline reads provides them yet.",
    );
    expect(c?.sayDo[2]?.message).toBe(
      'Production deployments started by CI: 100% (6 of 6 production deployments whose trigger is known); the answers say "usually" (8.8 / 10): they agree.',
    );
    expect(c?.sayDo[5]?.message).toMatch(
      /^Pull requests merged .*: The answers say "about half the time"; the data shows 0% \(0 of 1 merged pull requests\)\. Does the team/,
    );
    expect(c?.notes[2]).toBe(
      "Previous round: Winter check (ended 12 Dec 2025), compared only where a dimension's statements are identical and the number of answers did not change by one or two.",
    );
    expect(c?.notes[3]).toMatch(/14 Dec 2025 – 13 Mar 2026, the 90 days up to the round's close/);

    const csv = records(await datasetCsv(db(), r, "calms"));
    expect(csv.map((x) => [x.scope, x.team, x.dimension, x.score, x.previous_score, x.responses])).toEqual([
      ["team", "payments", "Culture", "7.5", "5", "5"],
      ["team", "payments", "Automation", "8.96", "2.5", "6"],
      ["team", "payments", "Lean", "5", "", "6"],
    ]);
  });

  it("a round still open, or closed after the period, is not the report's round", async () => {
    await seed(db());
    // The fourth quarter of 2025 ended before spring: winter is its latest round.
    const q4 = await buildReport(db(), { team: "payments", period: "2025-Q4", now: NOW });
    expect(q4.calms?.round.name).toBe("Winter check");
    expect(q4.calms?.dimensions.map((d) => [d.name, d.score, d.previous])).toEqual([
      ["Culture", 5, null],
      ["Automation", 2.5, null],
    ]);
    // On 10 March the spring round was still open: the winter round it is.
    const early = await buildReport(db(), {
      team: "payments",
      period: "2026-03-01..2026-03-10",
      now: new Date("2026-03-10T12:00:00Z"),
    });
    expect(early.calms?.round.name).toBe("Winter check");
    const before = await buildReport(db(), { team: "payments", period: "2025-09", now: NOW });
    expect(before.calms).toBeUndefined();
  });

  it("a team below the threshold: no score of it, now or before, in the JSON, the CSV or the PDF", async () => {
    await seed(db());
    const r = await buildReport(db(), { team: "web", period: "2026-Q1", now: NOW });
    const hidden = { previous: null, responses: 3, score: null, hiddenReason: "fewer than 5 answers" };
    expect(r.calms?.dimensions).toEqual([
      { key: "culture", name: "Culture", ...hidden },
      { key: "automation", name: "Automation", ...hidden },
      { key: "lean", name: "Lean", ...hidden },
    ]);
    expect(r.calms?.round.responses).toBe(3);
    expect(r.calms?.sayDo).toEqual([]);
    expect(r.calms?.highlights).toEqual([
      "CALMS self-assessment (Spring check): the team's results are hidden (3 answers; 5 needed).",
    ]);
    expect(r.calms?.notes.at(-1)).toBe(
      "With 3 answers, no score is shown, no change from an earlier round, and no comparison of the answers with the measured data (say vs do).",
    );

    const json = JSON.stringify(toReportJson(r).calms);
    const csv = await datasetCsv(db(), r, "calms");
    for (const v of WEB_VALUES) {
      expect(json, v).not.toContain(v);
      expect(csv, v).not.toContain(v);
    }
    // Nor its winter scores (5 and 5, shown in winter): a "previous" beside a hidden score would be a change.
    expect(records(csv).map((x) => [x.score, x.previous_score, x.note])).toEqual([
      ["", "", "fewer than 5 answers"],
      ["", "", "fewer than 5 answers"],
      ["", "", "fewer than 5 answers"],
    ]);
    if (!hasPoppler) return;
    const pages = pdfPages(await renderReportPdf(r), "report-calms-hidden-team", backend);
    const text = squash(pages.join(" "));
    for (const v of [...WEB_VALUES, ...WEB_PRINTED, "5.0 / 10"]) expect(text, v).not.toContain(v);
    const page = squash(pages.find((p) => CALMS_PAGE.test(p)) ?? "");
    expect(page).toContain("Spring check, closed 13 Mar 2026: 3 responses");
    expect(page).toContain("Culture (fewer than 5 answers) hidden – 3");
  });

  it("an org report: the protected organisation figure, every team alphabetically, hidden ones without figures", async () => {
    await seed(db());
    const r = await buildReport(db(), { period: "2026-Q1", now: NOW });
    const c = r.calms;
    expect(c?.round).toEqual({
      name: "Spring check",
      closedOn: "2026-03-13",
      responses: 14,
      responseRate: null,
    });
    expect(c?.dimensions).toEqual([
      { key: "culture", name: "Culture", score: 6.06, previous: 5.83, responses: 13 },
      { key: "automation", name: "Automation", score: 7.32, previous: 5, responses: 14 },
      { key: "lean", name: "Lean", score: 5.09, previous: null, responses: 14 },
    ]);
    expect(c?.teams).toEqual([
      { slug: "payments", name: "Payments", responses: 6, responseRate: null, scores: [7.5, 8.96, 5] },
      {
        slug: "search",
        name: "Search",
        responses: 5,
        responseRate: 0.83,
        scores: [null, null, null],
        hiddenReason: "hidden to protect a smaller team",
      },
      {
        slug: "web",
        name: "Web",
        responses: 3,
        responseRate: null,
        scores: [null, null, null],
        hiddenReason: "fewer than 5 answers",
      },
    ]);
    // Automation: d = 7.32 − 5 = 2.32; SE = √(4.412/18 + 4.773/14) = 0.766, Welch df = 27.5, t = 2.050:
    // margin 1.57, a clear rise. Culture: d = 0.22 within ± 1.83.
    expect(c?.highlights).toEqual([
      "CALMS self-assessment (Spring check, 14 answers from 3 teams): Culture 6.1, Automation 7.3, Lean 5.1 out of 10.",
      "Automation rose 2.3 points since Winter check, beyond the noise for these numbers of answers (± 1.6).",
      "2 teams' results are hidden by the anonymity rules.",
      "2 say-vs-do questions to discuss, where the answers and the measured data differ.",
    ]);
    // Only teams whose results are shown have say-vs-do questions.
    expect(c?.sayDo.map((n) => n.message.split(": ")[0])).toEqual([
      "Payments, Merged pull requests of 400 changed lines or fewer",
      "Payments, Pull requests merged within 24 hours of their first commit",
    ]);

    const json = JSON.stringify(toReportJson(r).calms);
    const csv = await datasetCsv(db(), r, "calms");
    for (const v of WEB_VALUES) {
      expect(json, v).not.toContain(v);
      expect(csv, v).not.toContain(v);
    }
    const rows = records(csv);
    expect(
      rows.filter((x) => x.scope === "org").map((x) => [x.dimension, x.score, x.previous_score]),
    ).toEqual([
      ["Culture", "6.06", "5.83"],
      ["Automation", "7.32", "5"],
      ["Lean", "5.09", ""],
    ]);
    expect(
      rows.filter((x) => x.team === "search").map((x) => [x.score, x.response_rate_pct, x.note]),
    ).toEqual(Array.from({ length: 3 }, () => ["", "83", "hidden to protect a smaller team"]));
    expect(rows.filter((x) => x.team === "web").every((x) => x.score === "")).toBe(true);
    if (!hasPoppler) return;
    const pages = pdfPages(await renderReportPdf(r), "report-calms-org", backend);
    for (const v of [...WEB_VALUES, ...WEB_PRINTED]) expect(squash(pages.join(" ")), v).not.toContain(v);
    const page = squash(pages.find((p) => CALMS_PAGE.test(p)) ?? "");
    for (const s of [
      "Spring check, closed 13 Mar 2026: 14 responses",
      "Culture 6.1 / 10 5.8 / 10 13",
      "Payments (6 responses) 7.5 / 10 9.0 / 10 5.0 / 10",
      // The reason wraps inside its cell: pdftotext puts the cells of the first line in between.
      "Search (hidden to protect a hidden hidden hidden smaller team)",
      "Web (fewer than 5 answers) hidden hidden hidden",
      "Say vs do",
    ]) {
      expect(page, s).toContain(s);
    }
  });
});
