import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestGitRepository } from "@/lib/ingest/git";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { fakeData, fakeRepositoryFromGit, startFakeGitHub } from "@/test/fakes/github";
import { describeDb } from "@/test/helpers/db";
import { ALICE, BOB, GitRepo } from "@/test/helpers/git-repo";
import { config, sync } from "@/test/helpers/github";
import { byTag, changeRows } from "@/test/helpers/lines";

const H = 3_600;
const MARCH = period("2026-03-01", "2026-03-31");

/**
 * A monorepo that releases each package by its own tag (`vite@5.1.0`, `plugin-legacy@1.1.0`), all on one branch,
 * built with real git (UTC, March 2026):
 *
 *   p1 03-02 09:00  ← vite@5.0.0 03-02 10:00, plugin-legacy@1.0.0 03-02 10:05 (two packages, one commit)
 *   p2 03-03 09:00
 *   p3 03-04 09:00  ← plugin-legacy@1.1.0 03-05 11:00 (tagged on an older commit after vite@5.1.0)
 *   p4 03-05 09:00  ← vite@5.1.0 03-05 10:00
 *   p5 03-06 09:00  ← vite@5.1.1 03-06 10:00
 *   p6 03-07 09:00  ← plugin-legacy@1.1.1 03-07 10:00
 *
 * Under the old rule plugin-legacy@1.1.0 "went back" to an ancestor of vite@5.1.0: a rollback that failed vite@5.1.0.
 * Lead time is the same whichever way lines are drawn: p2 49 h, p3 25 h, p4 1 h (at vite@5.1.0), p5 1 h, p6 1 h.
 */
describeDb("a monorepo with per-package tags (real git)", ({ db }) => {
  let repo: GitRepo;
  beforeAll(() => {
    repo = new GitRepo("throughline-monorepo-");
    const commit = (n: number, day: string, who = ALICE) =>
      repo.commit(`change ${n}`, who, `2026-03-${day}T09:00:00Z`);
    commit(1, "02");
    repo.annotatedTag("vite@5.0.0", "2026-03-02T10:00:00Z");
    repo.annotatedTag("plugin-legacy@1.0.0", "2026-03-02T10:05:00Z");
    commit(2, "03", BOB);
    const p3 = commit(3, "04");
    commit(4, "05", BOB);
    repo.annotatedTag("vite@5.1.0", "2026-03-05T10:00:00Z");
    repo.annotatedTag("plugin-legacy@1.1.0", "2026-03-05T11:00:00Z", ALICE, p3);
    commit(5, "06");
    repo.annotatedTag("vite@5.1.1", "2026-03-06T10:00:00Z");
    commit(6, "07", BOB);
    repo.annotatedTag("plugin-legacy@1.1.1", "2026-03-07T10:00:00Z");
  });
  afterAll(() => repo?.remove());

  const load = async (source: "git" | "github", named: boolean) => {
    if (source === "git") {
      await ingestGitRepository(db(), {
        path: repo.dir,
        repo: "acme/vite",
        deployTags: "*@*",
        ...(named ? { lines: "package" } : {}),
      });
      return;
    }
    const fake = await startFakeGitHub({ data: fakeData(fakeRepositoryFromGit(repo.dir, "acme/vite")) });
    try {
      const r = await sync(
        db(),
        fake,
        config(`
github: { repositories: [acme/vite], since: 2026-01-01 }
deployments:
  rules: [{ tag: "*@*", environment: production }]
  lines: [${named ? '{ tag: "*@*", line: package }' : ""}]
`),
      );
      expect(r.repositories[0]).toMatchObject({ ok: true });
    } finally {
      await fake.close();
    }
  };

  const figures = async () => {
    const m = (
      await getDashboard(db(), { slice: { repo: "acme/vite" }, period: MARCH, granularity: "month" })
    ).metrics;
    return {
      deployments: m.deploymentFrequency.current.deployments,
      failed: m.changeFailureRate.current.numerator,
      rework: m.reworkRate.current.numerator,
      lead: [m.changeLeadTime.current.changes, m.changeLeadTime.current.median],
    };
  };

  for (const source of ["git", "github"] as const) {
    it(`${source}: inferred lines, no false rollback, one change row per commit`, async () => {
      await load(source, false);
      const d = await byTag(db(), "acme/vite");
      expect(d["plugin-legacy@1.1.0"]).toMatchObject({
        kind: "normal",
        follows: "plugin-legacy@1.0.0",
        change_count: 2,
      });
      expect(d["vite@5.1.0"]).toMatchObject({ kind: "normal", is_failed: false, change_count: 3 });
      // The second package released from the same commit is, to the graph, the same SHA again: a redeploy.
      expect(d["plugin-legacy@1.0.0"]).toMatchObject({ kind: "redeploy", is_counted: false });
      expect(await changeRows(db(), "acme/vite")).toBe(7); // p2 p3 p4 | p2 p3 again | p5 | p6
      expect(await figures()).toEqual({ deployments: 5, failed: 0, rework: 0, lead: [5, H] });
    });

    it(`${source}: lines named by package count every package's release`, async () => {
      await load(source, true);
      const d = await byTag(db(), "acme/vite");
      expect(d["plugin-legacy@1.0.0"]).toMatchObject({
        kind: "normal",
        is_counted: true,
        line: "plugin-legacy",
        follows: "vite@5.0.0", // a line's first release forks from the nearest release of any line
        change_count: 0,
      });
      expect(d["plugin-legacy@1.1.1"]).toMatchObject({ follows: "plugin-legacy@1.1.0", change_count: 3 });
      expect(d["vite@5.1.1"]).toMatchObject({ follows: "vite@5.1.0", line: "vite", change_count: 1 });
      expect(await figures()).toEqual({ deployments: 6, failed: 0, rework: 0, lead: [5, H] });
    });
  }
});
