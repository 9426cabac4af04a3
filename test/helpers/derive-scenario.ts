import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { createCorrection } from "@/lib/corrections";
import type { Db } from "@/lib/db";
import { deployments, incidents, pullRequests } from "@/lib/db/schema";
import type { CommitRecord, DeploymentRecord, IncidentRecord, PullRequestRecord } from "@/lib/ingest/records";
import { upsertCommits, upsertDeployments, upsertIncidents, upsertPullRequests } from "@/lib/ingest/store";

/**
 * Random histories of one repository for the incremental-derive property (test/integration/derive-incremental):
 * a main line with merges, a maintenance branch, deployments to three environments (two of them production)
 * with redeploys, rollbacks, named lines, failures and deployments that finish later, pull requests with reverts
 * and hotfixes, incidents linked by window, SHA and source, corrections by hand. Every write is an event; some
 * events write the same row twice (a changed deployment, a re-parented commit, a PR learning its first commit).
 */

export const REPO = "acme/prop";
const BASE = Date.parse("2026-03-01T00:00:00Z");
const hour = (h: number) => new Date(BASE + h * 3_600_000);
export const sha = (name: string) => createHash("sha1").update(name).digest("hex");

export type Event =
  | { kind: "commits"; records: CommitRecord[] }
  | { kind: "prs"; records: PullRequestRecord[] }
  | { kind: "deployment"; record: DeploymentRecord }
  | { kind: "incident"; record: IncidentRecord; needs: string[] }
  | {
      kind: "correction";
      what: "deployment_failed" | "deployment_not_failed" | "deployment_excluded" | "pull_request_excluded";
      deployment?: string;
      pr?: number;
    }
  | { kind: "correction"; what: "incident_linked"; incident: string; deployment: string };

export interface Scenario {
  events: Event[];
  /** After which events a derive runs (the rest accumulate marks). */
  deriveAfter: boolean[];
}

interface Commit {
  name: string;
  parents: string[];
  at: number;
}

function graph(mainLength: number, merges: boolean[], maintFrom: number): Commit[] {
  const out: Commit[] = [];
  let previous: string | null = null;
  for (let i = 0; i < mainLength; i++) {
    const parents = previous ? [previous] : [];
    if (merges[i] && previous && i > 1) {
      // A feature commit branched from two commits back, merged here.
      const side = `f${i}`;
      out.push({ name: side, parents: [`c${i - 2}`], at: i * 2 - 1 });
      parents.push(side);
    }
    out.push({ name: `c${i}`, parents, at: i * 2 });
    previous = `c${i}`;
  }
  out.push({ name: "m1", parents: [`c${maintFrom}`], at: maintFrom * 2 + 5 });
  out.push({ name: "m2", parents: ["m1"], at: maintFrom * 2 + 9 });
  return out;
}

const commitRecord = (c: Commit, parents = c.parents, bot = false): CommitRecord => ({
  sha: sha(c.name),
  parentShas: parents.map(sha),
  authoredAt: hour(c.at),
  committedAt: hour(c.at),
  authorName: bot ? "dependabot[bot]" : "dev",
  authorEmail: "dev@example.com",
  isBot: bot,
  title: c.name,
});

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    mainLength: fc.integer({ min: 4, max: 10 }),
    merges: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    maintFrom: fc.integer({ min: 0, max: 3 }),
    reparent: fc.option(fc.integer({ min: 1, max: 9 }), { freq: 3 }),
    bot: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 3 }),
    deployments: fc.array(
      fc.record({
        target: fc.nat(40),
        at: fc.nat(80),
        env: fc.constantFrom("production", "production", "prod-eu", "staging"),
        status: fc.constantFrom("success", "success", "success", "success", "failure", "in_progress"),
        finishLater: fc.boolean(),
        kind: fc.constantFrom(null, null, null, null, "rollback", "hotfix"),
        line: fc.constantFrom(null, null, null, "maint"),
        fixes: fc.option(fc.nat(30), { freq: 6 }),
      }),
      { minLength: 3, maxLength: 14 },
    ),
    prs: fc.array(
      fc.record({
        target: fc.nat(20),
        revert: fc.option(fc.nat(5), { freq: 3 }),
        hotfix: fc.boolean(),
        late: fc.boolean(),
      }),
      { maxLength: 5 },
    ),
    incidents: fc.array(
      fc.record({
        at: fc.nat(80),
        how: fc.constantFrom("window", "window", "sha", "short-sha", "explicit"),
        target: fc.nat(40),
        restoredBy: fc.option(fc.nat(40), { freq: 3 }),
        resolveAfter: fc.option(fc.integer({ min: 1, max: 30 }), { freq: 2 }),
      }),
      { maxLength: 4 },
    ),
    corrections: fc.array(
      fc.record({
        what: fc.constantFrom(
          "deployment_failed",
          "deployment_not_failed",
          "deployment_excluded",
          "pull_request_excluded",
          "incident_linked",
        ),
        target: fc.nat(40),
      }),
      { maxLength: 2 },
    ),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 80, maxLength: 80 }),
    derives: fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
  })
  .map((g) => {
    const commits = graph(g.mainLength, g.merges, g.maintFrom);
    const names = commits.map((c) => c.name);
    const events: Event[] = [];
    // Commits arrive in a few batches, in any order (a parent may arrive after its child).
    const split = Math.max(1, Math.floor(commits.length / 3));
    for (let i = 0; i < commits.length; i += split) {
      const batch = commits.slice(i, i + split);
      events.push({
        kind: "commits",
        records: batch.map((c, j) => commitRecord(c, c.parents, g.bot === i + j)),
      });
    }
    // A commit first seen without its parents (a push webhook's guess), then with them (a sync).
    const re = g.reparent !== null ? commits[g.reparent % commits.length] : undefined;
    if (re) events.push({ kind: "commits", records: [commitRecord(re, [])] });

    const mainNames = names.filter((n) => n.startsWith("c"));
    g.prs.forEach((p, i) => {
      const merge = mainNames[p.target % mainNames.length] as string;
      const record: PullRequestRecord = {
        number: i + 1,
        title: p.revert !== null ? `Revert "PR ${p.revert}"` : `PR ${i + 1}`,
        state: "merged",
        baseBranch: "main",
        headBranch: p.hotfix ? `hotfix/${i}` : `feature/${i}`,
        mergeSha: sha(merge),
        mergeMethod: "squash",
        createdAt: hour(0),
        mergedAt: hour(1),
        firstCommitAt: p.late ? null : hour(-5 - i),
        isRevert: p.revert !== null && p.revert + 1 < i + 1,
        revertsNumber: p.revert !== null && p.revert + 1 < i + 1 ? p.revert + 1 : null,
        isHotfix: p.hotfix,
        labels: [],
        reviewerLogins: [],
      };
      events.push({ kind: "prs", records: [record] });
      if (p.late) events.push({ kind: "prs", records: [{ ...record, firstCommitAt: hour(-9) }] });
    });

    const ids: string[] = [];
    g.deployments.forEach((d, i) => {
      const externalId = `d${i}`;
      ids.push(externalId);
      // Mostly a commit; now and then a SHA nobody holds.
      const target =
        d.target < names.length * 2 ? sha(names[d.target % names.length] as string) : sha("unknown");
      const finishedAt = d.status === "in_progress" ? null : hour(d.at);
      const record: DeploymentRecord = {
        repository: REPO,
        environment: d.env,
        sha: target,
        status: d.status as DeploymentRecord["status"],
        createdAt: hour(d.at),
        finishedAt,
        source: "api",
        externalId,
        declaredKind: d.kind as DeploymentRecord["declaredKind"],
        line: d.line,
        fixes:
          d.fixes !== null && d.fixes < i
            ? { repository: REPO, source: "api", externalId: `d${d.fixes}` }
            : null,
      };
      events.push({ kind: "deployment", record });
      // The same deployment reported again: in progress, then live (or moved by a corrected clock).
      if (d.finishLater)
        events.push({
          kind: "deployment",
          record: { ...record, status: "success", finishedAt: hour(d.at + 3), fixes: null },
        });
    });

    const pick = (n: number) => ids[n % ids.length] as string;
    const incidentIds: string[] = [];
    g.incidents.forEach((inc, i) => {
      const externalId = `i${i}`;
      incidentIds.push(externalId);
      const cause = sha(names[inc.target % names.length] as string);
      const needs: string[] = [];
      const record: IncidentRecord = {
        source: "pagerduty",
        externalId,
        title: `incident ${i}`,
        repository: REPO,
        openedAt: hour(inc.at),
        resolvedAt: inc.resolveAfter !== null ? hour(inc.at + inc.resolveAfter) : null,
      };
      if (inc.how === "sha") record.causedBySha = cause;
      if (inc.how === "short-sha") record.causedBySha = cause.slice(0, 8);
      if (inc.how === "explicit") {
        record.causedBy = { repository: REPO, source: "api", externalId: pick(inc.target) };
        needs.push(pick(inc.target));
      }
      if (inc.restoredBy !== null) {
        record.restoredBy = { repository: REPO, source: "api", externalId: pick(inc.restoredBy) };
        needs.push(pick(inc.restoredBy));
      }
      events.push({ kind: "incident", record, needs });
    });

    for (const c of g.corrections) {
      if (c.what === "incident_linked") {
        if (incidentIds.length)
          events.push({
            kind: "correction",
            what: "incident_linked",
            incident: incidentIds[c.target % incidentIds.length] as string,
            deployment: pick(c.target),
          });
      } else if (c.what === "pull_request_excluded") {
        if (g.prs.length)
          events.push({ kind: "correction", what: c.what, pr: (c.target % g.prs.length) + 1 });
      } else events.push({ kind: "correction", what: c.what, deployment: pick(c.target) });
    }

    // Any order: a random key per event.
    const keyed = events.map((e, i) => ({ e, k: g.order[i % g.order.length] as number, i }));
    keyed.sort((a, b) => a.k - b.k || a.i - b.i);
    return { events: keyed.map((x) => x.e), deriveAfter: g.derives.slice(0, events.length) };
  });

async function idOf(db: Db, externalId: string): Promise<number | null> {
  const [row] = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(eq(deployments.externalId, externalId));
  return row?.id ?? null;
}

/** Writes one event of a scenario; false when it must wait for what it names. */
export async function applyEvent(db: Db, repositoryId: number, e: Event): Promise<boolean> {
  switch (e.kind) {
    case "commits":
      await upsertCommits(db, repositoryId, e.records);
      return true;
    case "prs":
      await upsertPullRequests(db, repositoryId, e.records);
      return true;
    case "deployment": {
      const fixes = e.record.fixes?.externalId;
      if (fixes && (await idOf(db, fixes)) === null) return false;
      await upsertDeployments(db, [e.record]);
      return true;
    }
    case "incident":
      for (const n of e.needs) if ((await idOf(db, n)) === null) return false;
      await upsertIncidents(db, [e.record]);
      return true;
    case "correction": {
      const deploymentId = "deployment" in e && e.deployment ? await idOf(db, e.deployment) : null;
      if ("deployment" in e && e.deployment && deploymentId === null) return false;
      let pullRequestId: number | null = null;
      let incidentId: number | null = null;
      if (e.what === "pull_request_excluded") {
        const [pr] = await db
          .select({ id: pullRequests.id })
          .from(pullRequests)
          .where(eq(pullRequests.number, e.pr as number));
        if (!pr) return false;
        pullRequestId = pr.id;
      }
      if (e.what === "incident_linked") {
        const [i] = await db
          .select({ id: incidents.id })
          .from(incidents)
          .where(eq(incidents.externalId, e.incident));
        if (!i) return false;
        incidentId = i.id;
      }
      try {
        await createCorrection(
          db,
          { kind: e.what, deploymentId, pullRequestId, incidentId, reason: "test" },
          "prop",
        );
      } catch {
        // A correction the app refuses (a deployment that did not go live, a redeploy): nothing written.
      }
      return true;
    }
  }
}
