import { expect, it } from "vitest";
import { OpsgenieModel, startFakeOpsgenie } from "@/test/fakes/opsgenie";
import { sha } from "@/test/fixtures/sha";
import { incidentRows, syncOpsgenieFake } from "@/test/helpers/connectors";
import { describeDb } from "@/test/helpers/db";

const INCIDENTS = `
opsgenie:
  since: 2026-01-01
  map:
    - { impactedService: svc-payments, repository: acme/payments-api }
    - { team: team-checkout, repository: acme/checkout }
    - { tag: "svc:ledger", repository: acme/ledger }
`;
const NOW = new Date("2026-03-05T12:00:00Z");

function incidents(): OpsgenieModel {
  const m = new OpsgenieModel();
  for (let k = 0; k < 130; k++) {
    const at = Date.parse("2026-01-10T00:00:00Z") + k * 3_600_000;
    m.incidents.push({
      id: `flap-${String(k).padStart(4, "0")}`,
      message: `Flapping health check ${k}`,
      status: "closed",
      priority: "P4",
      impactedServices: ["svc-payments"],
      createdAt: new Date(at).toISOString(),
      impactEndDate: new Date(at + 600_000).toISOString(),
    });
  }
  m.incidents.push(
    {
      id: "i1-payments",
      message: "Card payments failing",
      status: "resolved",
      priority: "P1",
      impactedServices: ["svc-payments"],
      createdAt: "2026-03-04T12:30:00.000Z",
      updatedAt: "2026-03-04T13:45:00.000Z",
      impactEndDate: "2026-03-04T13:30:00.000Z",
      extraProperties: { caused_by: sha("p2") },
    },
    {
      id: "i2-checkout",
      message: "Checkout errors",
      status: "open",
      priority: "P2",
      ownerTeam: "team-checkout",
      createdAt: "2026-03-05T09:00:00.000Z",
    },
    {
      id: "i3-ledger",
      message: "Ledger drift",
      description: `Root cause: commit ${sha("l1").slice(0, 8)} skipped a migration`,
      status: "closed",
      priority: "P2",
      tags: ["svc:ledger", "db"],
      createdAt: "2026-03-03T07:00:00.000Z",
      impactEndDate: "2026-03-03T08:00:00.000Z",
    },
    {
      id: "i4-unmapped",
      message: "Someone else's",
      status: "closed",
      priority: "P1",
      createdAt: "2026-03-02T07:00:00.000Z",
    },
    {
      id: "i5-old",
      message: "Before the horizon",
      status: "closed",
      priority: "P1",
      impactedServices: ["svc-payments"],
      createdAt: "2025-12-01T07:00:00.000Z",
    },
  );
  return m;
}

describeDb("Opsgenie sync against a local Opsgenie", ({ db }) => {
  it("stores mapped incidents by service, team and tag, with their causes; pages by X-Paging-Next", async () => {
    const fake = await startFakeOpsgenie(incidents());
    try {
      const s = await syncOpsgenieFake(db(), fake.url, INCIDENTS, { now: NOW });
      expect(s.scopes.map((r) => [r.scope, r.ok, r.counts])).toEqual([
        ["incidents", true, { new: 133, open: 1 }],
      ]);
      expect(s.requests).toBe(3); // two pages of new incidents (the second reaches the horizon), the open list
      expect(fake.requests[1]?.query.get("offset")).toBe("100"); // the page X-Paging-Next named
      expect(fake.requests.every((r) => r.headers.authorization?.startsWith("GenieKey "))).toBe(true);
      expect(s.log).toContain(
        "incidents: 1 not stored: no opsgenie.map rule matches its services, teams or tags",
      );
      const rows = await incidentRows(db());
      expect(rows).toHaveLength(133);
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get("i1-payments")).toEqual({
        source: "opsgenie",
        id: "i1-payments",
        title: "Card payments failing",
        repo: "acme/payments-api",
        service: null,
        severity: "P1",
        opened: "2026-03-04 12:30:00+00",
        resolved: "2026-03-04 13:30:00+00", // the impact's end, not the last update
        cause: sha("p2"),
        link_method: null,
        linked: null,
      });
      expect(byId.get("i2-checkout")).toMatchObject({ repo: "acme/checkout", resolved: null });
      expect(byId.get("i3-ledger")).toMatchObject({ repo: "acme/ledger", cause: sha("l1").slice(0, 8) });
      expect(byId.has("i5-old")).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it("reads only new and formerly open incidents; a quiet account costs two requests", async () => {
    const fake = await startFakeOpsgenie(incidents());
    try {
      await syncOpsgenieFake(db(), fake.url, INCIDENTS, { now: NOW });
      const i2 = fake.model.incidents.find((i) => i.id === "i2-checkout");
      Object.assign(i2 ?? {}, { status: "resolved", impactEndDate: "2026-03-05T10:15:00.000Z" });
      fake.model.incidents.push({
        id: "i6-payments",
        message: "Payouts delayed",
        status: "open",
        priority: "P2",
        impactedServices: ["svc-payments"],
        createdAt: "2026-03-05T13:00:00.000Z",
      });
      fake.reset();
      const next = await syncOpsgenieFake(db(), fake.url, INCIDENTS, { now: NOW });
      expect(Object.fromEntries(next.client.byResource)).toEqual({ incidents: 2, incident: 1 });
      const rows = await incidentRows(db());
      expect(rows.find((r) => r.id === "i2-checkout")).toMatchObject({ resolved: "2026-03-05 10:15:00+00" });
      expect(rows.find((r) => r.id === "i6-payments")).toMatchObject({ resolved: null });

      fake.reset();
      const quiet = await syncOpsgenieFake(db(), fake.url, INCIDENTS, { now: NOW });
      expect(quiet.requests).toBe(2);
      expect(await incidentRows(db())).toEqual(rows);
    } finally {
      await fake.close();
    }
  });

  it("alerts mode: alerts of the configured priorities are incidents, closed at creation + closeTime", async () => {
    const m = new OpsgenieModel();
    m.alerts.push(
      {
        id: "a1",
        message: "5xx on checkout",
        status: "closed",
        priority: "P1",
        tags: ["service:checkout"],
        createdAt: "2026-03-04T10:00:00.000Z",
        closeTime: 45 * 60_000,
      },
      {
        id: "a2",
        message: "Disk 80%",
        status: "open",
        priority: "P3",
        tags: ["service:checkout"],
        createdAt: "2026-03-04T11:00:00.000Z",
      },
      {
        id: "a3",
        message: "Latency",
        status: "open",
        priority: "P2",
        tags: ["service:checkout"],
        createdAt: "2026-03-04T12:00:00.000Z",
      },
    );
    const fake = await startFakeOpsgenie(m);
    try {
      const yaml = `
opsgenie:
  read: alerts
  priorities: [P1, P2]
  since: 2026-03-01
  map: [ { tag: "service:checkout", repository: acme/checkout } ]
`;
      const s = await syncOpsgenieFake(db(), fake.url, yaml, { now: NOW });
      expect(s.scopes[0]).toMatchObject({ scope: "alerts", ok: true });
      expect(fake.requests[0]?.query.get("query")).toBe("priority:P1 OR priority:P2");
      expect((await incidentRows(db())).map((r) => [r.id, r.opened, r.resolved])).toEqual([
        ["a1", "2026-03-04 10:00:00+00", "2026-03-04 10:45:00+00"],
        ["a3", "2026-03-04 12:00:00+00", null],
      ]);
    } finally {
      await fake.close();
    }
  });

  it("waits when Opsgenie throttles; a wrong key fails clearly without echoing it", async () => {
    const fake = await startFakeOpsgenie(incidents());
    try {
      fake.inject({
        fault: {
          status: 429,
          retryAfter: null,
          headers: { "x-ratelimit-state": "THROTTLED", "x-ratelimit-period-in-sec": "1" },
        },
      });
      const s = await syncOpsgenieFake(db(), fake.url, INCIDENTS, { now: NOW });
      expect(s.scopes[0]?.ok).toBe(true);
      expect(s.log.some((l) => /rate limited \(429\)/.test(l))).toBe(true);

      const bad = await syncOpsgenieFake(db(), fake.url, INCIDENTS, {
        now: NOW,
        key: "00000000-bad-key-0000",
      });
      expect(bad.scopes[0]?.error).toBe(
        "Opsgenie refused the credentials (401): check OPSGENIE_API_KEY (an API integration's key with Read access) and the region (us)",
      );
      expect(bad.log.join("\n")).not.toContain("00000000-bad-key-0000");
    } finally {
      await fake.close();
    }
  });
});
