import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { buildReport } from "@/lib/reports/build";
import { renderReportPdf } from "@/lib/reports/pdf/render";
import { loadMarch } from "@/test/fixtures/march";
import { describeDb } from "@/test/helpers/db";
import { requireAll } from "@/test/setup/environment";

/**
 * Renders the March report to PDF and reads it back with poppler-utils (pdftotext, pdfinfo, pdftoppm): the text a
 * director reads, the page count, and PNGs of the summary and the trends page in test-results/ to look at.
 */

const hasPoppler = ["pdftotext", "pdfinfo", "pdftoppm"].every(
  (tool) => spawnSync(tool, ["-v"], { encoding: "utf8" }).error === undefined,
);
if (!hasPoppler) {
  if (requireAll())
    throw new Error("THROUGHLINE_REQUIRE_ALL_TESTS=1 but poppler-utils (pdftotext) is missing");
  console.warn(
    `\n${"=".repeat(100)}\n  ⚠ pdftotext/pdfinfo/pdftoppm not found: the PDF report tests are SKIPPED.\n    Install them with: apt-get install -y poppler-utils\n${"=".repeat(100)}\n`,
  );
}

const SHOTS = path.join(process.cwd(), "test-results");
const NOW = new Date("2026-04-15T12:00:00Z");

/** Writes the PDF (to test-results/ on PGlite, to look at; else a temporary directory) and reads it back. */
function pdfFacts(pdf: Buffer, name: string, keep: boolean) {
  const dir = keep ? SHOTS : fs.mkdtempSync(path.join(os.tmpdir(), "tl-report-"));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const size = /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? "";
  const pageText = (n: number) =>
    execFileSync("pdftotext", ["-layout", "-f", String(n), "-l", String(n), file, "-"], { encoding: "utf8" });
  const done = () => {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  };
  return { file, text, pages, size, pageText, done };
}

/** Whitespace-insensitive: pdftotext -layout pads columns with spaces. */
const squash = (s: string) => s.replace(/\s+/g, " ");

describe.skipIf(!hasPoppler)("the PDF report", () => {
  describeDb("PDF of the March fixture", ({ db, backend }) => {
    it("team report: summary with every figure and band, trends, breakdown, where to focus, data, definitions; 6 A4 pages", async () => {
      await loadMarch(db());
      const report = await buildReport(db(), { team: "payments", period: "2026-03", now: NOW });
      // Its speed is measured in npm run bench:export, not asserted here: a wall-clock bound fails on a busy machine.
      const pdf = await renderReportPdf(report);
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const f = pdfFacts(pdf, "report-payments", backend === "pglite");
      onTestFinished(f.done);
      expect(f.pages).toBe(6); // summary, trends, breakdown, focus, data, appendix: no teams page for a team
      // Where to focus (docs/improve.md): 2 of 6 deployments failed; one change, two recoveries: too few for the rest
      const focus = squash(f.pageText(4));
      for (const s of [
        "Where to focus",
        "1. Deployments that fail",
        "2 of 6 deployments failed (33.3%).",
        "DORA capability: Test automation (https://dora.dev/capabilities/test-automation/)",
      ]) {
        expect(focus).toContain(s);
      }
      expect(f.size).toMatch(/595\.\d+ x 841\.\d+ pts \(A4\)/);

      const summary = squash(f.pageText(1));
      for (const s of [
        "Payments",
        "March 2026 (1 Mar – 31 Mar 2026), compared with February 2026 (1 Feb – 28 Feb 2026)",
        "Deployment frequency",
        "1.4 / week",
        "6 deployments in 31 days",
        "13 h",
        "median of 6 changes",
        "33.3%",
        "2 of 6 deployments failed",
        "2.8 h",
        "16.7%",
        "1 of 6 deployments unplanned",
        "no clear change",
        "95% interval of the change: -14% to +3327%",
        "February 2026: 1.1 / month",
        "95% interval of the change: -49 to +70 pp",
        "No data to compare in February 2026",
        "Elite",
        "High",
        "Medium",
        "Median lead time was 13 hours over 6 changes, in the Elite band",
        "Change failure rate was 33.3% (2 of 6 deployments failed), against 0% in February 2026: no clear change",
        "Acme · Payments · March 2026 · generated 2026-04-15 12:00 UTC",
        "Page 1 of 6",
      ]) {
        expect(summary, s).toContain(s);
      }
      // Bands on the scorecard, in metric order: High, Elite, Medium, High, Medium.
      expect(summary.match(/\b(Elite|High|Medium|Low)\b(?! band)/g)?.slice(0, 5)).toEqual([
        "High",
        "Elite",
        "Medium",
        "High",
        "Medium",
      ]);

      const text = squash(f.text);
      for (const s of [
        "Trends",
        "Change lead time",
        "Median per day, with the p75–p90 band",
        "Median and p90 per day of the failure",
        "Where lead time goes",
        "Coding: First commit",
        "About this data",
        "Appendix: definitions",
        "Failed deployment recovery time",
        "Elite: under 1 day · High: under 1 week",
        "Page 6 of 6",
      ]) {
        expect(text, s).toContain(s);
      }
      expect(text).not.toContain("?"); // every character had a glyph (pdfText)
      expect(text).not.toContain("log scale"); // duration axes are linear, in one unit (docs/metrics.md)

      if (backend === "pglite") {
        for (const [page, name] of [
          [1, "report-summary"],
          [2, "report-trends"],
          [3, "report-breakdown"],
        ] as const) {
          execFileSync("pdftoppm", [
            "-png",
            "-r",
            "80",
            "-f",
            String(page),
            "-l",
            String(page),
            "-singlefile",
            f.file,
            path.join(SHOTS, name),
          ]);
          expect(fs.statSync(path.join(SHOTS, `${name}.png`)).size).toBeGreaterThan(10_000);
        }
      }
    });

    it("org report on Letter paper: a teams page, 7 pages", async () => {
      await loadMarch(db());
      const report = await buildReport(db(), { period: "2026-03", now: NOW });
      const f = pdfFacts(await renderReportPdf(report, "letter"), "report-org", backend === "pglite");
      onTestFinished(f.done);
      expect(f.pages).toBe(7);
      expect(f.size).toMatch(/612 x 792 pts \(letter\)/);
      const teams = squash(f.pageText(5));
      expect(teams).toContain("Teams");
      expect(teams).toMatch(/Payments .*Web/);
      expect(squash(f.pageText(1))).toContain("Acme: whole organisation");
    });

    it("renders a CALMS section when one is filled in (the extension point), hidden scores as hidden", async () => {
      await loadMarch(db());
      const report = await buildReport(db(), { period: "2026-03", now: NOW });
      report.calms = {
        round: { name: "Q1 2026 survey", closedOn: "2026-03-31", responses: 14 },
        scale: { min: 1, max: 5 },
        dimensions: [
          { key: "culture", name: "Culture", score: 3.8, previous: 3.5, responses: 14 },
          { key: "automation", name: "Automation", score: 2.9, previous: null, responses: 14 },
          {
            key: "lean",
            name: "Lean",
            score: null,
            previous: null,
            responses: 3,
            hiddenReason: "fewer than 5 answers",
          },
          { key: "measurement", name: "Measurement", score: 3.1, previous: 3.3, responses: 14 },
          { key: "sharing", name: "Sharing", score: 4.2, previous: 4, responses: 14 },
        ],
        teams: [
          { slug: "payments", name: "Payments", responses: 9, scores: [3.9, 2.8, null, 3.2, 4.1] },
          {
            slug: "web",
            name: "Web",
            responses: 3,
            scores: [null, null, null, null, null],
            hiddenReason: "fewer than 5 responses",
          },
        ],
        sayDo: [
          {
            dimension: "Automation",
            level: "warning",
            message: "Automation scored 2.9 of 5 while 33% of deployments failed.",
          },
        ],
        highlights: [],
        notes: ["Teams with fewer than 5 responses are not shown."],
      };
      const f = pdfFacts(await renderReportPdf(report), "report-calms", backend === "pglite");
      onTestFinished(f.done);
      expect(f.pages).toBe(8);
      const calms = squash(f.pageText(6));
      for (const s of [
        "CALMS self-assessment",
        "Q1 2026 survey",
        "Culture",
        "3.8 / 5",
        "Lean (fewer than 5 answers)",
        "hidden",
        "Web (fewer than 5 responses)",
        "Say vs do",
        "Automation scored 2.9 of 5",
      ]) {
        expect(calms, s).toContain(s);
      }
    });

    it("names in other scripts print as written (DejaVu Sans fallback), symbols it lacks as ?", async () => {
      await loadMarch(db());
      const report = await buildReport(db(), { team: "payments", period: "2026-03", now: NOW });
      if (!report.team) throw new Error("the fixture has a payments team");
      report.team.name = "Zespół Płatności · Команда Ω · 決済";
      const f = pdfFacts(await renderReportPdf(report), "report-unicode", backend === "pglite");
      onTestFinished(f.done);
      expect(f.pages).toBe(6); // Helvetica still lays out everything it can show: same pages as before
      expect(squash(f.pageText(1))).toContain("Zespół Płatności · Команда Ω · ??");
    });
  });
});
