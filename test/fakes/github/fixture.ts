import { repoBuilder } from "./builder";

/**
 * A small repository with one of everything, at fixed times, whose expected answers can be worked out by hand
 * (the fake's own tests use it; ingest tests may too). The default branch, oldest first:
 *
 *   root 03-02 09:00 ─ scaffold 10:00 ─ typo 15:00 ─ M1 03-03 10:00 ─ S2 03-04 10:00 ─ R3a, R3b 16:00 ─ S4 03-05 09:00 ─ S5 13:00
 *                         └─ b1 11:00 ─ b2 12:00 ──────┘ (#1's branch: a merge commit)
 *
 * #2 is squashed (its three commits stay off the branch), #3 rebased (two replayed commits), #4 is Dependabot's,
 * #5 reverts #2, #6 is an open draft. Issues #7 (incident, closed), #8 (bug), #9 (Incident, open).
 */
export function sampleRepository() {
  const b = repoBuilder("acme/api", { start: "2026-03-02T09:00:00Z" });
  const root = b.head;
  const scaffold = b.commit({
    message: "Scaffold services",
    files: ["services/api/index.ts", "services/web/index.ts"],
    at: "2026-03-02T10:00:00Z",
  });
  const typo = b.commit({
    message: "Fix typo",
    files: ["services/api/index.ts"],
    at: "2026-03-02T15:00:00Z",
  });
  const checkout = b.mergePR({
    title: "Checkout page",
    author: "ana.kowalski",
    authoredAt: ["2026-03-02T11:00:00Z", "2026-03-02T12:00:00Z"],
    files: ["services/web/checkout.tsx", "services/web/cart.tsx"],
    reviewedAt: "2026-03-02T16:00:00Z",
    approvedAt: "2026-03-03T09:00:00Z",
    mergedAt: "2026-03-03T10:00:00Z",
  });
  b.deploy({ env: "staging", at: "2026-03-03T11:00:00Z" });
  b.run({ createdAt: "2026-03-03T10:01:00Z" });
  const refunds = b.squashPR({
    title: "Add refunds",
    author: "ben.okafor",
    commits: 3,
    authoredAt: "2026-03-03T11:00:00Z",
    readyAt: "2026-03-03T14:00:00Z",
    labels: ["feature"],
    files: ["services/api/refunds.ts", "services/api/refunds.test.ts"],
    mergedAt: "2026-03-04T10:00:00Z",
  });
  b.run({ createdAt: "2026-03-04T10:01:00Z" });
  const logging = b.rebasePR({
    title: "Tidy logging",
    commits: 2,
    authoredAt: "2026-03-04T11:00:00Z",
    files: ["services/api/log.ts", "services/web/log.ts"],
    mergedAt: "2026-03-04T16:00:00Z",
  });
  b.run({ createdAt: "2026-03-04T16:01:00Z" });
  b.deploy({ env: "staging", at: "2026-03-04T17:00:00Z" });
  b.deploy({ env: "production", at: "2026-03-04T18:00:00Z" });
  b.release({ tag: "v1.0.0", at: "2026-03-04T18:30:00Z" });
  const bump = b.botPR({ authoredAt: "2026-03-05T06:00:00Z", mergedAt: "2026-03-05T09:00:00Z" });
  b.run({ createdAt: "2026-03-05T09:01:00Z" });
  const revert = b.revertPR(refunds, {
    authoredAt: "2026-03-05T11:00:00Z",
    mergedAt: "2026-03-05T13:00:00Z",
  });
  b.run({ createdAt: "2026-03-05T13:01:00Z", conclusion: "failure" });
  b.tag({ name: "v1.1.0", annotated: true, at: "2026-03-05T13:30:00Z", message: "Release 1.1.0" });
  b.release({ tag: "v1.1.0", at: "2026-03-05T13:30:00Z" });
  b.deploy({ env: "production", at: "2026-03-05T14:00:00Z", state: "FAILURE", creator: "ana.kowalski" });
  const search = b.openPR({ title: "Search (WIP)", authoredAt: "2026-03-05T14:00:00Z", draft: true });
  b.run({
    createdAt: "2026-03-05T14:15:00Z",
    event: "pull_request",
    branch: search.headRefName,
    sha: search.commits[0],
    status: "in_progress",
    pullRequests: [search.number],
  });
  const incident = b.issue({
    title: "Refunds time out",
    labels: ["incident", "sev2"],
    createdAt: "2026-03-04T10:30:00Z",
    closedAt: "2026-03-04T12:00:00Z",
  });
  const bug = b.issue({ title: "Typo on receipt", labels: ["bug"], createdAt: "2026-03-05T08:00:00Z" });
  const open = b.issue({ title: "Checkout 502s", labels: ["Incident"], createdAt: "2026-03-05T15:00:00Z" });
  return {
    b,
    prs: { checkout, refunds, logging, bump, revert, search },
    issues: { incident, bug, open },
    commits: { root, scaffold: scaffold.oid, typo: typo.oid },
  };
}
