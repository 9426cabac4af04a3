import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestGitRepository } from "@/lib/ingest/git";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { fakeData, fakeRepositoryFromGit, startFakeGitHub } from "@/test/fakes/github";
import { describeDb } from "@/test/helpers/db";
import { ALICE, BOB, GitRepo } from "@/test/helpers/git-repo";
import { config, sync } from "@/test/helpers/github";
import { byTag } from "@/test/helpers/lines";

/**
 * A branch whose commits are older than the first sync's horizon (1 March), merged after it:
 *
 *   c1 03-02 ─ c2 03-03 (v1) ─ m 03-06 (v2)
 *     └─ o1 02-10 ────────────┘
 *
 * Neither source reads o1 (`history(since:)`, `git log --since`): v2's changes stop at it, and the data-quality
 * notes say so instead of staying silent.
 */
describeDb("history cut at the sync horizon", ({ db }) => {
  let repo: GitRepo;
  beforeAll(() => {
    repo = new GitRepo("throughline-horizon-");
    const c1 = repo.commit("Initial", ALICE, "2026-03-02T09:00:00Z");
    repo.git(["checkout", "-q", "-b", "old", c1]);
    repo.commit("Old work", BOB, "2026-02-10T09:00:00Z");
    repo.checkout("main");
    repo.commit("More", ALICE, "2026-03-03T09:00:00Z");
    repo.annotatedTag("v1", "2026-03-03T10:00:00Z");
    repo.merge("old", "Merge branch 'old'", ALICE, "2026-03-06T09:00:00Z");
    repo.annotatedTag("v2", "2026-03-06T10:00:00Z");
  });
  afterAll(() => repo?.remove());

  for (const source of ["git", "github"] as const) {
    it(`${source}: flags the deployment and names it in the notes`, async () => {
      if (source === "git") {
        await ingestGitRepository(db(), {
          path: repo.dir,
          repo: "acme/old",
          deployTags: "v*",
          since: "2026-03-01",
        });
      } else {
        const fake = await startFakeGitHub({ data: fakeData(fakeRepositoryFromGit(repo.dir, "acme/old")) });
        try {
          await sync(
            db(),
            fake,
            config(`
github: { repositories: [acme/old], since: 2026-03-01 }
deployments: { rules: [{ tag: "v*", environment: production }] }
`),
          );
        } finally {
          await fake.close();
        }
      }
      const d = await byTag(db(), "acme/old");
      expect(d.v2).toMatchObject({ change_count: 1, kind: "normal" }); // the merge commit alone
      const dash = await getDashboard(db(), {
        slice: { repo: "acme/old" },
        period: period("2026-03-01", "2026-03-31"),
        granularity: "month",
      });
      expect(dash.quality.find((n) => n.code === "history_cut")?.message).toMatch(
        /^1 deployment in this period shipped commits older than the history Throughline holds/,
      );
    });
  }
});
