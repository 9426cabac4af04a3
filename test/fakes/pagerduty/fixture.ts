import { sha } from "@/test/fixtures/sha";
import { PagerDutyModel } from "./index";

/**
 * The PagerDuty of the connector tests, beside the Jenkins fixture (test/fakes/jenkins/fixture.ts), whose
 * production deployments of acme/Payments-API went live 2026-03-02 10:05 (#1, SHA p1) and 2026-03-04 12:05 (#4,
 * SHA p2).
 */

export const PAGERDUTY_YAML = `
pagerduty:
  since: 2025-06-01
  urgencies: [high]
  causeField: caused_by
  services:
    - { id: PAPI001, repository: acme/Payments-API }
    - { name: "Checkout*", repository: acme/checkout }
`;

export const SERVICES = {
  api: { id: "PAPI001", name: "Payments API" },
  checkout: { id: "PCHK002", name: "Checkout web" },
  noise: { id: "PNOISE3", name: "Marketing site" },
};

export function pagerDutyFixture(): PagerDutyModel {
  const m = new PagerDutyModel();
  // Named cause in a note (an abbreviated SHA, as people paste it): linked to #4, which first shipped p2.
  m.add({
    id: "Q1PAY",
    title: "Card payments failing",
    service: SERVICES.api,
    urgency: "high",
    priority: "P1",
    createdAt: "2026-03-04T13:00:00Z",
    acknowledgedAt: "2026-03-04T13:10:00Z",
    resolvedAt: "2026-03-04T14:00:00Z",
    notes: [
      { content: "Paged the payments on-call.", at: "2026-03-04T13:05:00Z" },
      { content: `Rolled back. Caused by: ${sha("p2").slice(0, 10)}`, at: "2026-03-04T14:01:00Z" },
    ],
  });
  m.add({
    id: "Q2LOW",
    title: "Slow receipts",
    service: SERVICES.api,
    urgency: "low",
    createdAt: "2026-03-02T11:00:00Z",
    resolvedAt: "2026-03-02T11:30:00Z",
  });
  m.add({
    id: "Q3MKT",
    title: "Landing page down",
    service: SERVICES.noise,
    urgency: "high",
    createdAt: "2026-03-03T08:00:00Z",
    resolvedAt: "2026-03-03T09:00:00Z",
  });
  m.add({
    id: "Q4CHK",
    title: "Checkout errors",
    service: SERVICES.checkout,
    urgency: "high",
    priority: "P2",
    createdAt: "2026-03-05T09:00:00Z",
  });
  // No cause named: the last production deployment within 24 h before it (#1).
  m.add({
    id: "Q5PAY",
    title: "Refunds stuck",
    service: SERVICES.api,
    urgency: "high",
    priority: "P3",
    createdAt: "2026-03-02T10:30:00Z",
    resolvedAt: "2026-03-02T10:50:00Z",
    customFields: { caused_by: null, region: "eu" },
  });
  // Long before any deployment: stored, linked to nothing. Nine months back: read in two 6-month windows.
  m.add({
    id: "Q6OLD",
    title: "Old outage",
    service: SERVICES.api,
    urgency: "high",
    createdAt: "2025-08-01T10:00:00Z",
    resolvedAt: "2025-08-01T12:00:00Z",
  });
  return m;
}
