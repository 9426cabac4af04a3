import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { SliceError } from "@/lib/metrics/scope";
import { buildReport, ReportInputError } from "@/lib/reports/build";
import { parseCsv } from "@/lib/reports/csv";
import { datasetCsv } from "@/lib/reports/datasets";
import { exportReport } from "@/lib/reports/export";
import { toReportJson } from "@/lib/reports/json";
import { loadMarch } from "@/test/fixtures/march";
import { sha } from "@/test/fixtures/sha";
import { describeDb } from "@/test/helpers/db";

/** Reads a CSV dataset back into objects keyed by column. */
function records(csv: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(csv);
  return rows.map((r) => Object.fromEntries((head ?? []).map((h, i) => [h, r[i] ?? ""])));
}

const NOW = new Date("2026-04-15T12:00:00Z");

describeDb("reports on the March fixture (docs/metrics.md § Worked example)", ({ db }) => {
  it("team payments, March 2026: the summary, compared with February, and its sentences", async () => {
    await loadMarch(db());
    const r = await buildReport(db(), { team: "payments", period: "2026-03", now: NOW });

    expect(r.kind).toBe("team");
    expect(r.title).toBe("Payments");
    expect(r.periods.period).toMatchObject({ kind: "month", spec: "2026-03", label: "March 2026", days: 31 });
    // The previous calendar month, not the 31 days before 1 March.
    expect(r.periods.previous).toMatchObject({
      from: "2026-02-01",
      to: "2026-02-28",
      label: "February 2026",
    });
    expect(r.dashboard.previousPeriod).toEqual({ from: "2026-02-01", to: "2026-02-28", days: 28 });

    expect(r.summary.map((m) => [m.key, m.value, m.band, m.change, m.previous, m.sample])).toEqual([
      [
        "deploymentFrequency",
        "1.4 / week",
        "high",
        "no clear change",
        "1.1 / month",
        "6 deployments in 31 days",
      ],
      ["changeLeadTime", "13 h", "elite", "no data to compare", "–", "median of 6 changes"],
      ["changeFailureRate", "33.3%", "medium", "no clear change", "0%", "2 of 6 deployments failed"],
      ["recoveryTime", "2.8 h", "high", "no data to compare", "–", "median of 2 recovered failures"],
      ["reworkRate", "16.7%", "medium", "no clear change", "0%", "1 of 6 deployments unplanned"],
    ]);
    expect(r.summary[1]?.detail).toBe("p75 2.5 d · p90 5.8 d");

    expect(r.narrative).toEqual([
      {
        tone: "info",
        text: "Compared with February 2026: 3 metrics showed no clear change (deployment frequency, change failure rate and rework rate); 2 could not be compared (change lead time and recovery time).",
      },
      {
        // 6 deployments against 1: too few to call a rise (docs/metrics.md § Trends).
        tone: "flat",
        text: "Deployment frequency was 1.4 a week (6 deployments), against 1.1 a month in February 2026: no clear change (7 deployments over both periods: the change is within what chance gives); now in the High band, up from Medium.",
      },
      {
        tone: "info",
        text: "Median lead time was 13 hours over 6 changes, in the Elite band; February 2026 had no changes to compare with.",
      },
      {
        tone: "flat",
        text: "Change failure rate was 33.3% (2 of 6 deployments failed), against 0% in February 2026: no clear change (over 6 and 1 deployments the change is within what chance gives); now in the Medium band, down from Elite.",
      },
      {
        tone: "info",
        text: "Median recovery time was 2.8 hours over 2 recovered failures, in the High band; February 2026 had no recovered failures to compare with.",
      },
      {
        tone: "flat",
        text: "Rework rate was 16.7% (1 of 6 deployments was unplanned remediation), against 0% in February 2026: no clear change (over 6 and 1 deployments the change is within what chance gives); now in the Medium band, down from Elite.",
      },
      {
        tone: "info",
        text: "These figures rest on small samples (6 deployments, 6 changes and 2 recovered failures): a single event moves them a lot, so read the trend over several periods.",
      },
    ]);

    // Charts come from the dashboard's mappers: daily buckets for a month, as on the dashboard.
    expect(r.charts.granularity).toBe("day");
    expect(r.charts.deployments).toHaveLength(31);
    expect(r.charts.deployments.reduce((n, b) => n + b.total, 0)).toBe(6);
    expect(r.charts.breakdown.segments.map((s) => s.seconds)).toEqual([7_200, 86_400, 165_600, 7_200]);
    expect(r.teams).toBeNull();
    expect(r.calms).toBeUndefined();
    expect(r.quality.sources).toEqual([
      { label: "Deployments", value: "GitHub" },
      { label: "Incidents", value: "GitHub" },
      { label: "Commit history", value: "yes" },
      { label: "Pull requests", value: "yes" },
    ]);
    expect(r.quality.notes.map((n) => n.code)).toEqual(
      expect.arrayContaining(["redeploys", "failed_attempts", "bots"]),
    );
    expect(r.definitions.map((d) => d.name)).toEqual([
      "Deployment frequency",
      "Change lead time",
      "Change failure rate",
      "Failed deployment recovery time",
      "Rework rate",
    ]);
    expect(r.definitions[1]?.bands).toBe(
      "Elite: under 1 day · High: under 1 week · Medium: under 30 days · Low: 30 days or more",
    );
  });

  it("the org report adds every team, alphabetically, and the CSV has their rows", async () => {
    await loadMarch(db());
    const r = await buildReport(db(), { period: "2026-03-01..2026-03-31", now: NOW });
    expect(r.kind).toBe("org");
    expect(r.title).toBe("Acme");
    // A whole calendar month written as a range is still a month.
    expect(r.periods.period.spec).toBe("2026-03");
    expect(r.teams?.map((t) => [t.name, t.summary[0]?.value, t.summary[0]?.sample])).toEqual([
      ["Payments", "1.4 / week", "6 deployments in 31 days"],
      ["Web", "1 / month", "1 deployment in 31 days"],
    ]);
    expect(r.summary[0]?.sample).toBe("7 deployments in 31 days");
    expect(r.summary[1]?.value).toBe("13 h"); // 7 changes: p1 p2 p3 p5 p6 p7 w1 → 46 800 s

    const metrics = records(await datasetCsv(db(), r, "metrics"));
    const wholes = metrics.filter((m) => m.row === "period");
    expect(wholes.map((m) => [m.scope, m.team, m.deployments, m.change_failure_rate_pct])).toEqual([
      ["org", "", "7", "28.57"],
      ["team", "payments", "6", "33.33"],
      ["team", "web", "1", "0"],
    ]);
    const prev = metrics.find((m) => m.scope === "team" && m.team === "payments" && m.row === "previous");
    expect(prev).toMatchObject({ from: "2026-02-01", to: "2026-02-28", days: "28", deployments: "1" });
    expect(metrics.filter((m) => m.team === "web" && m.row === "day")).toHaveLength(31);

    const json = toReportJson(r);
    expect(json.report.previousPeriod).toMatchObject({ spec: "2026-02", label: "February 2026" });
    expect(json.teams?.map((t) => t.metrics.deploymentFrequency.deployments)).toEqual([6, 1]);
    expect(json.metrics.changeLeadTime.medianSeconds).toBe(46_800);
    // Where to focus (docs/improve.md): only failures qualify for the org (2 of 7 deployments, 28.6 %)
    expect(json.focus.map((f) => [f.rank, f.area, f.figures])).toEqual([
      [1, "failures", { failedDeployments: 2, deployments: 7, changeFailureRate: 0.2857 }],
    ]);
    expect(json.focus[0]?.ifHalved).toMatchObject({
      bandBefore: "medium",
      bandAfter: "medium",
      relative: 0.5,
    });
  });

  it("the raw CSVs: deployments with what they shipped, pull requests, incidents; nothing about people", async () => {
    await loadMarch(db());
    // A commit title that a spreadsheet would run as a formula.
    await db().execute(
      sql`update commits set title = '=HYPERLINK("http://x.test","p7")' where sha = ${sha("p7")}`,
    );
    const r = await buildReport(db(), { team: "payments", period: "2026-03", now: NOW });

    const deps = records(await datasetCsv(db(), r, "deployments"));
    // D1..D8 (D1 is 1 March in Berlin; D9 is 1 April); staging S1 is not production.
    expect(deps).toHaveLength(8);
    expect(deps.filter((d) => d.counted === "true")).toHaveLength(6);
    expect(deps[0]).toMatchObject({
      team: "payments",
      repository: "acme/pay",
      live_at: "2026-03-01 00:30:00",
    });
    expect(deps.find((d) => d.kind === "redeploy")?.counted).toBe("false");
    expect(deps.find((d) => d.status === "failure")?.counted).toBe("false");
    const d5 = deps.find((d) => d.sha === sha("p6"));
    expect(d5).toMatchObject({ failed: "true", failure_reasons: "rollback", recovery_hours: "0.5" });

    const changes = records(await datasetCsv(db(), r, "changes"));
    expect(changes).toHaveLength(8);
    expect(
      changes.filter((c) => c.counted_in_lead_time === "true").map((c) => Number(c.lead_time_hours)),
    ).toEqual([206.5, 74, 13.5, 1, 1, 13]);
    expect(changes.find((c) => c.commit_sha === sha("p3"))?.pull_request).toBe("1");
    // Neutralised, and read back exactly as written.
    expect(changes.find((c) => c.commit_sha === sha("p7"))?.commit_title).toBe(
      '\'=HYPERLINK("http://x.test","p7")',
    );

    const prs = records(await datasetCsv(db(), r, "pull-requests"));
    expect(
      prs.map((p) => [
        p.number,
        p.coding_hours,
        p.pickup_hours,
        p.review_hours,
        p.deploy_hours,
        p.total_hours,
      ]),
    ).toEqual([["1", "2", "24", "46", "2", "74"]]);

    const incidents = records(await datasetCsv(db(), r, "incidents"));
    const [d7] = await queryRows<{ id: number }>(
      db(),
      sql`select id::int as id from deployments where external_id = 'D7'`,
    );
    expect(incidents).toEqual([
      expect.objectContaining({
        title: "Refunds failing",
        opened_at: "2026-03-20 11:00:00",
        hours_to_resolve: "4",
        linked_deployment_id: String(d7?.id),
        link_method: "window",
      }),
    ]);

    const everything = (
      await Promise.all(
        (["deployments", "changes", "pull-requests", "incidents"] as const).map((d) =>
          datasetCsv(db(), r, d),
        ),
      )
    ).join("\n");
    expect(everything).not.toMatch(/dev@acme\.test|dependabot|author/i);
  });

  it("exports: ZIP of every CSV, single dataset, JSON; and says what is wrong with bad input", async () => {
    await loadMarch(db());
    const zipped = await exportReport(db(), { team: "payments", period: "2026-03", format: "csv", now: NOW });
    expect(zipped.files.map((f) => [f.name, f.contentType])).toEqual([
      ["throughline-payments-2026-03-csv.zip", "application/zip"],
    ]);
    const separate = await exportReport(db(), { period: "2026-03", format: "csv", separate: true, now: NOW });
    expect(separate.files.map((f) => f.name)).toEqual([
      "throughline-acme-2026-03-metrics.csv",
      "throughline-acme-2026-03-deployments.csv",
      "throughline-acme-2026-03-changes.csv",
      "throughline-acme-2026-03-pull-requests.csv",
      "throughline-acme-2026-03-incidents.csv",
    ]);
    const json = await exportReport(db(), {
      team: "web",
      period: "2026-03-02..2026-03-31",
      format: "json",
      now: NOW,
    });
    expect(json.files[0]?.name).toBe("throughline-web-2026-03-02_2026-03-31.json");
    const body = JSON.parse(new TextDecoder().decode(json.files[0]?.body));
    expect(body.report.previousPeriod).toMatchObject({ from: "2026-01-31", to: "2026-03-01", kind: "range" });

    await expect(buildReport(db(), { team: "nobody", period: "2026-03" })).rejects.toThrow(SliceError);
    await expect(buildReport(db(), { period: "2026-Q5" })).rejects.toThrow(ReportInputError);
  });
});
