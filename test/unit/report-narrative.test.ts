import { describe, expect, it } from "vitest";
import { figures } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { type DeploymentStats, EMPTY_DEPLOYMENTS, type LeadTimeStats } from "@/lib/metrics/queries";
import { narrative } from "@/lib/reports/narrative";
import { summarize } from "@/lib/reports/summary";

const Q3 = period("2026-07-01", "2026-09-30"); // 92 days
const Q2 = period("2026-04-01", "2026-06-30"); // 91 days
const H = 3_600;
const D = 24 * H;

type Side = Partial<DeploymentStats & LeadTimeStats>;
const stats = (s: Side): DeploymentStats => ({ ...EMPTY_DEPLOYMENTS, ...s });
/** The five figures from raw aggregates, exactly as getDashboard computes them. */
function metrics(c: Side, p: Side) {
  const deps = stats;
  const lead = (s: Side): LeadTimeStats => ({ changes: 0, p50: null, p75: null, p90: null, ...s });
  return figures(
    { current: deps(c), previous: deps(p) },
    { current: lead(c), previous: lead(p) },
    Q3,
    Q2,
    "2020-01-01",
  );
}
const say = (c: Side, p: Side) => narrative(metrics(c, p), "Q2 2026");
const texts = (c: Side, p: Side) => say(c, p).map((s) => s.text);

describe("report sentences (deterministic, word for word)", () => {
  it("says what improved and what got worse, by how much, in which band", () => {
    expect(
      say(
        {
          deployments: 92,
          failed: 12,
          rework: 5,
          recovered: 12,
          recoveryP50: 3 * H,
          recoveryP90: 9 * H,
          changes: 120,
          p50: 1.8 * D,
          p75: 1.6 * 1.8 * D,
        },
        {
          deployments: 130,
          failed: 6,
          rework: 6,
          recovered: 6,
          recoveryP50: 5 * H,
          recoveryP90: 15 * H,
          changes: 150,
          p50: (1.8 * D) / 0.77,
          p75: (1.6 * 1.8 * D) / 0.77,
        },
      ),
    ).toEqual([
      {
        tone: "info",
        text: "Compared with Q2 2026: 1 metric improved (change lead time); 2 got worse (deployment frequency and change failure rate); 2 showed no clear change (recovery time and rework rate).",
      },
      {
        tone: "worse",
        text: "Deployment frequency fell 30% to 1 a day (92 deployments); still in the Elite band.",
      },
      {
        tone: "better",
        text: "Median lead time fell 23% to 1.8 days over 120 changes; still in the High band.",
      },
      {
        tone: "worse",
        text: "Change failure rate rose 8.4 percentage points to 13% (12 of 92 deployments failed); now in the Medium band, down from Elite.",
      },
      {
        tone: "flat",
        text: "Median recovery time was 3 hours over 12 recovered failures, against 5 hours in Q2 2026: no clear change (over 12 and 6 recovered failures the change is within what chance gives); still in the High band.",
      },
      {
        tone: "flat",
        text: "Rework rate was 5.4% (5 of 92 deployments were unplanned remediation), against 4.6% in Q2 2026: no clear change (over 92 and 130 deployments the change is within what chance gives); still in the Elite band.",
      },
    ]);
  });

  it("names band changes, up and down; small samples show no clear change", () => {
    expect(
      texts(
        {
          deployments: 40,
          failed: 1,
          rework: 1,
          recovered: 1,
          recoveryP50: 40 * 60,
          changes: 300,
          p50: 20 * H,
          p75: 40 * H,
        },
        {
          deployments: 10,
          failed: 3,
          rework: 2,
          recovered: 3,
          recoveryP50: 30 * H,
          changes: 50,
          p50: 9 * D,
          p75: 18 * D,
        },
      ),
    ).toEqual([
      "Compared with Q2 2026: 3 metrics improved (deployment frequency, change lead time and change failure rate); 2 showed no clear change (recovery time and rework rate).",
      "Deployment frequency rose 296% to 3 a week (40 deployments); now in the High band, up from Medium.",
      "Median lead time fell 91% to 20 hours over 300 changes; now in the Elite band, up from Medium.",
      "Change failure rate fell 27.5 percentage points to 2.5% (1 of 40 deployments failed); now in the Elite band, up from Medium.",
      "Median recovery time was 40 minutes over 1 recovered failure, against 1.3 days in Q2 2026: no clear change (too few recovered failures to tell: 1 now and 3 before, where each period needs 5); now in the Elite band, up from Medium.",
      "Rework rate was 2.5% (1 of 40 deployments was unplanned remediation), against 20% in Q2 2026: no clear change (over 40 and 10 deployments the change is within what chance gives); now in the Elite band, up from Medium.",
      "These figures rest on small samples (1 recovered failure): a single event moves them a lot, so read the trend over several periods.",
    ]);
  });

  // Equal rates over 50 deployments a period are not known to have held steady (their intervals span tens of
  // percent: ADR 0020 addendum); medians with no spread to measure against and a change under 2 % are.
  it("holds steady only where the sample shows it", () => {
    const same = {
      deployments: 50,
      failed: 5,
      rework: 4,
      recovered: 5,
      recoveryP50: 2 * H,
      changes: 200,
      p50: 10 * H,
    };
    expect(say(same, { ...same, p50: 10.1 * H })).toEqual([
      {
        tone: "info",
        text: "Compared with Q2 2026: 2 metrics held steady (change lead time and recovery time); 3 showed no clear change (deployment frequency, change failure rate and rework rate).",
      },
      {
        tone: "flat",
        text: "Deployment frequency was 3.8 a week (50 deployments), against 3.8 a week in Q2 2026: no clear change (100 deployments over both periods: the change is within what chance gives); still in the High band.",
      },
      {
        tone: "flat",
        text: "Median lead time held steady at 10 hours over 200 changes; still in the Elite band.",
      },
      {
        tone: "flat",
        text: "Change failure rate was 10% (5 of 50 deployments failed), against 10% in Q2 2026: no clear change (over 50 and 50 deployments the change is within what chance gives); still in the High band.",
      },
      {
        tone: "flat",
        text: "Median recovery time held steady at 2 hours over 5 recovered failures; still in the High band.",
      },
      {
        tone: "flat",
        text: "Rework rate was 8% (4 of 50 deployments were unplanned remediation), against 8% in Q2 2026: no clear change (over 50 and 50 deployments the change is within what chance gives); still in the High band.",
      },
      {
        tone: "info",
        text: "These figures rest on small samples (5 recovered failures): a single event moves them a lot, so read the trend over several periods.",
      },
    ]);
  });

  it("no data in either period, or none now", () => {
    expect(texts({}, {})).toEqual([
      "No metric can be compared with Q2 2026: one of the two periods has no data.",
      "No deployment reached production in this period or in Q2 2026.",
      "Without deployments there is no change failure rate, rework rate or recovery time for this period.",
    ]);
    expect(
      say(
        {},
        { deployments: 4, failed: 1, rework: 1, recovered: 1, recoveryP50: 2 * H, changes: 9, p50: 3 * D },
      ),
    ).toEqual([
      {
        tone: "info",
        text: "Compared with Q2 2026: 1 metric got worse (deployment frequency); 4 could not be compared (change lead time, change failure rate, recovery time and rework rate).",
      },
      {
        tone: "worse",
        text: "No deployment reached production in this period, down from 1.3 a month (4 deployments) in Q2 2026.",
      },
      {
        tone: "info",
        text: "Without deployments there is no change failure rate, rework rate or recovery time for this period.",
      },
    ]);
  });

  it("a first period with data: nothing before to compare with", () => {
    expect(texts({ deployments: 12, changes: 30, p50: 5 * H }, {})).toEqual([
      "Compared with Q2 2026: 1 metric improved (deployment frequency); 4 could not be compared (change lead time, change failure rate, recovery time and rework rate).",
      "Deployment frequency rose to 3.9 a month (12 deployments), from none in Q2 2026; in the Medium band.",
      "Median lead time was 5 hours over 30 changes, in the Elite band; Q2 2026 had no changes to compare with.",
      "Change failure rate was 0% (0 of 12 deployments failed), in the Elite band; Q2 2026 had no deployments to compare with.",
      "No deployment failed, so there was no recovery to time.",
      "Rework rate was 0% (0 of 12 deployments were unplanned remediation), in the Elite band; Q2 2026 had no deployments to compare with.",
    ]);
  });

  it("singular forms, and a failure with no recovery yet", () => {
    expect(
      texts(
        { deployments: 1, failed: 1, rework: 1, unrecovered: 1, changes: 1, p50: 2 * H },
        { deployments: 1, changes: 1, p50: 2 * H },
      ),
    ).toEqual([
      "Compared with Q2 2026: 4 metrics showed no clear change (deployment frequency, change lead time, change failure rate and rework rate); 1 could not be compared (recovery time).",
      "Deployment frequency was 0.3 a month (1 deployment), against 0.3 a month in Q2 2026: no clear change (2 deployments over both periods: the change is within what chance gives); still in the Low band.",
      "Median lead time was 2 hours over 1 change, against 2 hours in Q2 2026: no clear change (too few changes to tell: 1 now and 1 before, where each period needs 5); still in the Elite band.",
      "Change failure rate was 100% (1 of 1 deployment failed), against 0% in Q2 2026: no clear change (over 1 and 1 deployments the change is within what chance gives); now in the Low band, down from Elite.",
      "No failed deployment has recovered yet, so there is no recovery time.",
      "1 failed deployment has no recovery recorded yet.",
      "Rework rate was 100% (1 of 1 deployment was unplanned remediation), against 0% in Q2 2026: no clear change (over 1 and 1 deployments the change is within what chance gives); now in the Low band, down from Elite.",
      "These figures rest on small samples (1 deployment and 1 change): a single event moves them a lot, so read the trend over several periods.",
    ]);
  });

  it("is deterministic: the same figures give the same words", () => {
    const c = {
      deployments: 7,
      failed: 2,
      rework: 1,
      recovered: 2,
      recoveryP50: 4 * H,
      changes: 9,
      p50: 30 * H,
    };
    const p = { deployments: 9, failed: 1, recovered: 1, recoveryP50: H, changes: 11, p50: 20 * H };
    expect(say(c, p)).toEqual(say(c, p));
  });
});

describe("report summary tiles", () => {
  it("formats each figure with its change and sample, like the dashboard cards", () => {
    const m = metrics(
      {
        deployments: 92,
        failed: 12,
        rework: 5,
        recovered: 11,
        unrecovered: 1,
        recoveryP50: 3 * H,
        changes: 120,
        p50: 1.8 * D,
        p75: 3 * D,
        p90: 6 * D,
      },
      { deployments: 130, failed: 6, rework: 6, recovered: 6, recoveryP50: 5 * H, changes: 150, p50: 2 * D },
    );
    expect(
      summarize(m, 92).map((s) => [
        s.name,
        s.value,
        s.band,
        s.change,
        s.direction,
        s.previous,
        s.sample,
        s.detail,
      ]),
    ).toEqual([
      [
        "Deployment frequency",
        "1 / day",
        "elite",
        "−30%",
        "worse",
        "1.4 / day",
        "92 deployments in 92 days",
        null,
      ],
      [
        "Change lead time",
        "1.8 d",
        "high",
        "no clear change",
        "flat",
        "2 d",
        "median of 120 changes",
        "p75 3 d · p90 6 d",
      ],
      [
        "Change failure rate",
        "13%",
        "medium",
        "+8.4 pp",
        "worse",
        "4.6%",
        "12 of 92 deployments failed",
        null,
      ],
      [
        "Failed deployment recovery time",
        "3 h",
        "high",
        "no clear change",
        "flat",
        "5 h",
        "median of 11 recovered failures",
        "1 not recovered yet",
      ],
      [
        "Rework rate",
        "5.4%",
        "elite",
        "no clear change",
        "flat",
        "4.6%",
        "5 of 92 deployments unplanned",
        null,
      ],
    ]);
  });
});

describe("no data is not zero", () => {
  const deps = (n: number) => stats({ deployments: n });
  const lead: LeadTimeStats = { changes: 0, p50: null, p75: null, p90: null };
  const none = { current: lead, previous: lead };

  it("a period before the slice's data: no frequency, no band, no trend, a reason", () => {
    const m = figures({ current: deps(0), previous: deps(0) }, none, Q3, Q2, "2026-10-05");
    expect(m.deploymentFrequency.current.perWeek).toBeNull();
    expect(m.deploymentFrequency.band).toBeNull();
    expect(m.deploymentFrequency.trend.direction).toBeNull();
    expect(m.deploymentFrequency.reason).toBe(
      "this slice's deployment data starts on 2026-10-05, after this period",
    );
    expect(m.changeFailureRate.reason).toBe(
      "this slice's deployment data starts on 2026-10-05, after this period",
    );
    expect(m.changeLeadTime.reason).toBe("no changes reached production in this period");
    expect(summarize(m, 92)[0]).toMatchObject({ value: "–", band: null, change: "no data to compare" });
    expect(narrative(m, "Q2 2026").map((s) => s.text)).toEqual([
      "No metric can be compared with Q2 2026: one of the two periods has no data.",
      "Deployment frequency has no figure: this slice's deployment data starts on 2026-10-05, after this period.",
      "Without deployment data there is no change failure rate, rework rate or recovery time for this period: empty, not zero.",
    ]);
  });

  it("a slice with no data at all; and data that starts inside the period is a real zero for the weeks it covers", () => {
    const empty = figures({ current: deps(0), previous: deps(0) }, none, Q3, Q2, undefined);
    expect(empty.deploymentFrequency.reason).toBe("no deployment has been recorded for this slice yet");
    // Data from 15 Aug: Q3 is covered (a real zero, Low band), Q2 is not (no trend from it: not "up from 0").
    const started = figures({ current: deps(0), previous: deps(0) }, none, Q3, Q2, "2026-08-15");
    expect(started.deploymentFrequency.current.perWeek).toBe(0);
    expect(started.deploymentFrequency.band).toBe("low");
    expect(started.deploymentFrequency.previous.perWeek).toBeNull();
    expect(started.deploymentFrequency.trend.direction).toBeNull();
    expect(started.changeFailureRate.reason).toBe("no deployments in this period");
  });
});
