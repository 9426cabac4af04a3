import { expect, it } from "vitest";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { startFakeJenkins } from "@/test/fakes/jenkins";
import { JENKINS_YAML, jenkinsFixture } from "@/test/fakes/jenkins/fixture";
import { startFakePagerDuty } from "@/test/fakes/pagerduty";
import { PAGERDUTY_YAML, pagerDutyFixture, SERVICES } from "@/test/fakes/pagerduty/fixture";
import { sha } from "@/test/fixtures/sha";
import { incidentRows, syncJenkinsFake, syncPagerDutyFake } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";

const YAML = `${JENKINS_YAML}${PAGERDUTY_YAML}`;
const NOW = new Date("2026-03-05T12:00:00Z");
const MARCH = period("2026-03-01", "2026-03-07");

describeDb("PagerDuty sync against a local PagerDuty", ({ db }) => {
  it("stores the mapped incidents, which link to Jenkins deployments and move change failure rate and recovery", async () => {
    const jenkins = await startFakeJenkins(jenkinsFixture());
    const pd = await startFakePagerDuty(pagerDutyFixture());
    try {
      await syncJenkinsFake(db(), jenkins.url, YAML, { now: NOW });
      const before = await getDashboard(db(), { slice: { repo: "acme/Payments-API" }, period: MARCH });
      expect(before.metrics.changeFailureRate.current).toEqual({ rate: 0, numerator: 0, deployments: 2 });

      const s = await syncPagerDutyFake(db(), pd.url, YAML, { now: NOW });
      expect(s.scopes.map((r) => [r.scope, r.ok, r.counts])).toEqual([
        ["incidents", true, { incidents: 4, "open incidents": 1 }],
      ]);
      // Two 6-month windows, the open list, then each resolved incident's cause field and notes (Q1, Q5, Q6).
      expect(Object.fromEntries(s.client.byResource)).toEqual({ incidents: 3, "custom fields": 3, notes: 3 });
      expect(s.log).toContain(
        "incidents: 1 not stored: service Marketing site (PNOISE3) is not in pagerduty.services",
      );
      expect(pd.requests.filter((r) => r.status !== 200)).toEqual([]); // no window over 6 months, no bad offset

      expect(await incidentRows(db())).toEqual([
        {
          source: "pagerduty",
          id: "Q1PAY",
          title: "Card payments failing",
          repo: "acme/Payments-API",
          service: null,
          severity: "P1",
          opened: "2026-03-04 13:00:00+00",
          resolved: "2026-03-04 14:00:00+00",
          cause: sha("p2").slice(0, 10),
          link_method: "sha",
          linked: "payments/deploy#4",
        },
        expect.objectContaining({ id: "Q4CHK", repo: "acme/checkout", resolved: null, linked: null }),
        expect.objectContaining({
          id: "Q5PAY",
          severity: "P3",
          cause: null,
          link_method: "window",
          linked: "payments/deploy#1",
        }),
        expect.objectContaining({ id: "Q6OLD", opened: "2025-08-01 10:00:00+00", linked: null }),
      ]);

      // #1 failed (recovered 10:50, 45 min after it went live at 10:05), #4 failed (14:00, 1 h 55 min after 12:05).
      const after = await getDashboard(db(), { slice: { repo: "acme/Payments-API" }, period: MARCH });
      expect(after.metrics.changeFailureRate.current).toEqual({ rate: 1, numerator: 2, deployments: 2 });
      expect(after.metrics.recoveryTime.current).toEqual({
        median: (2_700 + 6_900) / 2,
        p90: 2_700 + 0.9 * (6_900 - 2_700),
        recovered: 2,
        unrecovered: 0,
      });
    } finally {
      await jenkins.close();
      await pd.close();
    }
  });

  it("reads only new incidents and the ones that were open; a quiet account costs two requests", async () => {
    const pd = await startFakePagerDuty(pagerDutyFixture());
    try {
      await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, { now: NOW });
      pd.model.get("Q4CHK").resolvedAt = "2026-03-05T12:30:00Z";
      pd.model.get("Q4CHK").customFields = { caused_by: sha("c9") };
      pd.model.add({
        id: "Q7PAY",
        title: "Payouts delayed",
        service: SERVICES.api,
        urgency: "high",
        createdAt: "2026-03-05T13:00:00Z",
      });
      pd.reset();
      const later = new Date("2026-03-05T14:00:00Z");
      const next = await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, { now: later });
      // New since the last sync (Q7), the open list (Q7), Q4 again (no longer open) with its cause field.
      expect(Object.fromEntries(next.client.byResource)).toEqual({
        incidents: 2,
        incident: 1,
        "custom fields": 1,
      });
      expect(pd.requests[0]?.query.get("since")).toBe("2026-03-05T12:00:00.000Z");
      const rows = await incidentRows(db());
      expect(rows.find((r) => r.id === "Q4CHK")).toMatchObject({
        resolved: "2026-03-05 12:30:00+00",
        cause: sha("c9"),
      });
      expect(rows.find((r) => r.id === "Q7PAY")).toMatchObject({ resolved: null });

      pd.reset();
      const quiet = await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, {
        now: new Date("2026-03-05T15:00:00Z"),
      });
      expect(quiet.requests).toBe(2);
      expect(await incidentRows(db())).toEqual(rows);
    } finally {
      await pd.close();
    }
  });

  it("pages past 10,000 incidents by narrowing the window, never asking for offset + limit over 10,000", async () => {
    const pd = await startFakePagerDuty();
    for (let k = 0; k < 10_250; k++) {
      pd.model.add({
        title: `flap ${k}`,
        service: SERVICES.api,
        urgency: "high",
        createdAt: new Date(Date.parse("2026-01-10T00:00:00Z") + k * 5_000).toISOString(),
        resolvedAt: new Date(Date.parse("2026-01-10T00:00:00Z") + k * 5_000 + 60_000).toISOString(),
      });
    }
    try {
      const s = await syncPagerDutyFake(
        db(),
        pd.url,
        PAGERDUTY_YAML.replace("causeField: caused_by", "notes: false"),
        {
          now: new Date("2026-01-20T00:00:00Z"),
          dryRun: true,
        },
      );
      expect(pd.requests.filter((r) => r.status !== 200)).toEqual([]);
      const offsets = pd.requests.map(
        (r) => Number(r.query.get("offset") ?? 0) + Number(r.query.get("limit") ?? 0),
      );
      expect(Math.max(...offsets)).toBeLessThanOrEqual(10_000);
      // 100 pages, then the rest from the last creation time read (that one incident is read twice).
      expect(s.scopes[0]?.counts.incidents).toBe(10_251);
    } finally {
      await pd.close();
    }
  });

  it("waits out 429s (with or without headers), stops on a long rate limit and resumes, refuses bad keys clearly", async () => {
    const pd = await startFakePagerDuty(pagerDutyFixture());
    try {
      pd.inject({
        match: { path: /^\/incidents$/ },
        fault: {
          status: 429,
          retryAfter: null,
          body: { error: { message: "Rate Limit Exceeded", code: 2020 } },
        },
      });
      pd.inject({
        match: { path: /notes$/ },
        fault: {
          status: 429,
          retryAfter: null,
          headers: { "ratelimit-remaining": "0", "ratelimit-reset": "1" },
        },
      });
      const ok = await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, { now: NOW });
      expect(ok.scopes[0]?.ok).toBe(true);
      expect(ok.log.some((l) => /rate limited \(429\)/.test(l))).toBe(true);
      const expected = await incidentRows(db());

      // A limit that resets in an hour: stop where we are, keep what is stored, continue next time.
      pd.model.add({
        id: "Q8PAY",
        title: "Late",
        service: SERVICES.api,
        urgency: "high",
        createdAt: "2026-03-05T13:00:00Z",
      });
      pd.inject({
        match: { path: /^\/incidents$/ },
        fault: {
          status: 429,
          retryAfter: null,
          headers: { "ratelimit-remaining": "0", "ratelimit-reset": "3600" },
        },
      });
      const later = new Date("2026-03-05T14:00:00Z");
      const stopped = await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, { now: later });
      expect(stopped.stopped).toMatch(
        /^PagerDuty's rate limit is exhausted until .*continues from there on the next run$/,
      );
      expect(await incidentRows(db())).toEqual(expected);
      const resumed = await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, { now: later });
      expect(resumed.scopes[0]?.ok).toBe(true);
      expect((await incidentRows(db())).map((r) => r.id)).toContain("Q8PAY");

      const bad = await syncPagerDutyFake(db(), pd.url, PAGERDUTY_YAML, {
        now: later,
        token: "wrong-key-0000000",
      });
      expect(bad.scopes[0]?.error).toBe(
        "PagerDuty refused the credentials (401): check PAGERDUTY_TOKEN (a read-only REST API key: account key, or a user key that sees these services)",
      );
      const { client: _client, ...summary } = bad; // the client holds the key; the summary and the log must not
      expect(JSON.stringify(summary)).not.toContain("wrong-key-0000000");
    } finally {
      await pd.close();
    }
  });
});
