import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { ingestGitRepository } from "@/lib/ingest/git";
import type { GitIngestHooks, GitIngestInput } from "@/lib/ingest/git/options";
import { readState } from "@/lib/ingest/sync-state";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";
import { ALICE, BOB, DEPENDABOT, GITHUB, GitRepo, type Person } from "@/test/helpers/git-repo";
import { snapshot } from "@/test/helpers/github";

const H = 3_600;
const CAROL: Person = { name: "Carol Example", email: "carol@example.com" };
const MARCH = period("2026-03-01", "2026-03-08");

/**
 * The fixture, all times UTC (A = authored, C = committed):
 *
 *   c1  Initial commit         Alice      A 03-02 08:00  C 03-02 09:00   ← v1.0.0 (lightweight: the commit's C)
 *   c2  Add the API            Alice      A 03-02 10:00  C 03-02 10:30
 *   f1  Feature part 1         Bob        A 03-03 09:00                  (branch feature, from c2)
 *   f2  Feature part 2         Bob        A 03-03 11:00
 *   c3  Fix a typo             Alice      A 03-03 10:00                  (main)
 *   m1  Merge branch 'feature' Alice      A 03-03 12:00                  (--no-ff: parents c3, f2)
 *   c4  Bump lodash …          dependabot A 03-04 08:00                  (a bot)
 *   c5  Add payments (#12)     Carol      A 03-04 09:00  C 03-04 09:30 by GitHub (squash-like)
 *                                                                       ← v1.1.0 (annotated, tagged 03-04 15:00)
 *   nightly-1 on c3: does not match v*.
 *
 * v1.0.0 is the chain's first deployment (a baseline: nothing attributed). v1.1.0 ships c5 ^c1: c2, f1, f2, c3,
 * m1, c4, c5. Lead time leaves out the merge (m1) and the bot (c4); from author time to 03-04 15:00:
 *   c2 53 h = 190,800 s; f1 30 h = 108,000; f2 28 h = 100,800; c3 29 h = 104,400; c5 6 h = 21,600
 *   → 5 changes, median 104,400 s (29 h); also m1 27 h = 97,200 and c4 7 h = 25,200 (stored, flagged).
 */
function buildFixture(): { repo: GitRepo; sha: Record<string, string> } {
  const repo = new GitRepo();
  const sha: Record<string, string> = {};
  repo.git(["remote", "add", "origin", "git@github.com:acme/shop.git"]);
  sha.c1 = repo.commit("Initial commit", ALICE, "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z");
  repo.tag("v1.0.0");
  sha.c2 = repo.commit("Add the API", ALICE, "2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z");
  repo.checkout("feature", true);
  sha.f1 = repo.commit("Feature part 1", BOB, "2026-03-03T09:00:00Z");
  sha.f2 = repo.commit("Feature part 2", BOB, "2026-03-03T11:00:00Z");
  repo.checkout("main");
  sha.c3 = repo.commit("Fix a typo", ALICE, "2026-03-03T10:00:00Z");
  repo.tag("nightly-1");
  sha.m1 = repo.merge("feature", "Merge branch 'feature'", ALICE, "2026-03-03T12:00:00Z");
  sha.c4 = repo.commit("Bump lodash from 4.17.20 to 4.17.21", DEPENDABOT, "2026-03-04T08:00:00Z");
  sha.c5 = repo.commit(
    "Add payments (#12)\n\n* wip\n* more",
    CAROL,
    "2026-03-04T09:00:00Z",
    "2026-03-04T09:30:00Z",
    GITHUB,
  );
  repo.annotatedTag("v1.1.0", "2026-03-04T15:00:00Z");
  return { repo, sha };
}

describeDb("local git ingest", ({ db }) => {
  let repo: GitRepo;
  let sha: Record<string, string>;
  const temp: string[] = [];
  beforeEach(() => {
    ({ repo, sha } = buildFixture());
  });
  afterEach(() => {
    repo?.remove();
    for (const d of temp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const ingest = (extra: Partial<GitIngestInput> = {}, hooks: GitIngestHooks = {}) =>
    ingestGitRepository(db(), { path: repo.dir, deployTags: "v*", ...extra }, hooks);

  it("stores the commit graph and the tag deployments, derived, as hand-computed", async () => {
    const s = await ingest();
    expect(s).toMatchObject({ repository: "acme/shop", branch: "HEAD", head: sha.c5 });
    expect(s.commits).toEqual({ read: 8, mode: "full", resumed: false });
    expect(s.tags).toEqual({ matched: 2, written: 2, commits: 0, lines: [] });

    const snap = await snapshot(db());
    expect(snap.repositories).toEqual([{ full_name: "acme/shop", default_branch: "main", archived: false }]);
    expect(snap.commits).toHaveLength(8);
    const bySha = new Map(snap.commits.map((c) => [c.sha, c]));
    expect(bySha.get(sha.m1)).toMatchObject({
      parent_shas: [sha.c3, sha.f2],
      title: "Merge branch 'feature'",
    });
    expect(bySha.get(sha.c1)).toMatchObject({ parent_shas: [], authored_at: "2026-03-02 08:00:00+00" });
    expect(bySha.get(sha.c4)).toMatchObject({ is_bot: true });
    expect(bySha.get(sha.c5)).toMatchObject({
      is_bot: false,
      title: "Add payments (#12)",
      authored_at: "2026-03-04 09:00:00+00",
      committed_at: "2026-03-04 09:30:00+00",
    });
    const [repoRow] = await queryRows<Record<string, unknown>>(
      db(),
      sql`select provider, url, source, needs_derive from repositories`,
    );
    expect(repoRow).toEqual({
      provider: "git",
      url: "https://github.com/acme/shop",
      source: "git",
      needs_derive: false,
    });

    expect(
      snap.deployments.map((d) => [
        d.external_id,
        d.environment,
        d.sha,
        d.finished_at,
        d.source,
        d.trigger,
        d.attribution,
        d.change_count,
        d.prev,
      ]),
    ).toEqual([
      ["tag:v1.0.0", "production", sha.c1, "2026-03-02 09:00:00+00", "git", "unknown", "baseline", 0, null],
      [
        "tag:v1.1.0",
        "production",
        sha.c5,
        "2026-03-04 15:00:00+00",
        "git",
        "unknown",
        "graph",
        7,
        "tag:v1.0.0",
      ],
    ]);
    const lead = Object.fromEntries(snap.changes.map((c) => [c.sha, [c.lead_seconds, c.is_bot, c.is_merge]]));
    expect(lead).toEqual({
      [sha.c2 as string]: [53 * H, false, false],
      [sha.f1 as string]: [30 * H, false, false],
      [sha.f2 as string]: [28 * H, false, false],
      [sha.c3 as string]: [29 * H, false, false],
      [sha.m1 as string]: [27 * H, false, true],
      [sha.c4 as string]: [7 * H, true, false],
      [sha.c5 as string]: [6 * H, false, false],
    });
    const dash = await getDashboard(db(), { slice: { repo: "acme/shop" }, period: MARCH });
    expect(dash.metrics.changeLeadTime.current).toMatchObject({ changes: 5, median: 29 * H });
    expect(dash.metrics.deploymentFrequency.current.deployments).toBe(2);
  });

  it("a re-run adds nothing; a new commit and tag add exactly those", async () => {
    await ingest();
    const ids = () =>
      queryRows<Record<string, unknown>>(
        db(),
        sql`select 'c' as k, id::int, sha as key from commits union all select 'd', id::int, external_id from deployments
            union all select 'r', id, full_name from repositories order by 1, 3`,
      );
    const before = await ids();
    const snapBefore = await snapshot(db());
    const again = await ingest();
    expect(again.commits).toEqual({ read: 0, mode: "none", resumed: false });
    expect(again.tags).toEqual({ matched: 2, written: 0, commits: 0, lines: [] });
    expect(again.derived).toBeNull(); // nothing written: nothing to derive
    expect(await ids()).toEqual(before);
    expect(await snapshot(db())).toEqual(snapBefore);

    const c6 = repo.commit("Speed up checkout", ALICE, "2026-03-05T09:00:00Z");
    repo.annotatedTag("v1.2.0", "2026-03-05T12:00:00Z");
    const third = await ingest();
    expect(third.commits).toEqual({ read: 1, mode: "incremental", resumed: false });
    expect(third.tags).toEqual({ matched: 3, written: 1, commits: 0, lines: [] });
    const after = await ids();
    expect(after.filter((r) => before.some((b) => b.k === r.k && b.key === r.key))).toEqual(before);
    expect(
      after.filter((r) => !before.some((b) => b.k === r.k && b.key === r.key)).map((r) => r.key),
    ).toEqual([c6, "tag:v1.2.0"]);
    const snap = await snapshot(db());
    expect(snap.changes.filter((c) => c.external_id === "tag:v1.2.0")).toEqual([
      expect.objectContaining({ sha: c6, lead_seconds: 3 * H }),
    ]);
    const st = await readState(db(), "git", "acme/shop", "commits");
    expect(st.cursor).toBe(c6);
  });

  it("resumes after a crash between batches and ends as a clean run would", async () => {
    await ingest({}, { batchSize: 3 });
    const clean = await snapshot(db());
    await db().execute(sql`truncate repositories, sync_state, environments restart identity cascade`);

    // Batches of 3 (8 commits: 3 + 3 + 2), two in flight: crash as soon as the first one has committed.
    const crash = new Error("simulated crash");
    await expect(
      ingest(
        {},
        {
          batchSize: 3,
          afterBatch: (n) => {
            if (n === 1) throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from commits`,
    );
    expect([3, 6]).toContain(n); // the first batch, and the second if it was in flight; never the third
    const st = await readState(db(), "git", "acme/shop", "commits");
    const walk = st.details.walk as { head: string; written: number };
    expect(walk.head).toBe(sha.c5);
    // The position each batch records is what had committed before it: never ahead of the data.
    expect([0, 3]).toContain(walk.written);
    expect(walk.written).toBeLessThanOrEqual(n);
    expect(st.cursor).toBeNull();

    const resumed = await ingest({}, { batchSize: 3 });
    expect(resumed.commits).toEqual({ read: 8 - walk.written, mode: "full", resumed: true });
    expect(await snapshot(db())).toEqual(clean);
  });

  it("re-reads the whole branch after a force-push and keeps what it held", async () => {
    await ingest();
    repo.git(["reset", "-q", "--hard", sha.m1 as string]);
    const rewritten = repo.commit("Add payments, rebased", CAROL, "2026-03-04T10:00:00Z");
    const s = await ingest();
    // The new tip is not a descendant of the old one: the whole branch again (c1 c2 f1 f2 c3 m1 and the new one).
    expect(s.commits).toEqual({ read: 7, mode: "full", resumed: false });
    const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from commits`,
    );
    expect(n).toBe(9);
    expect((await readState(db(), "git", "acme/shop", "commits")).cursor).toBe(rewritten);
  });

  it("--since bounds the first read and the tags; --repo, --branch, --environment and --team apply", async () => {
    await createTeam(db(), { slug: "payments", name: "Payments" });
    const s = await ingest({
      since: "2026-03-04",
      repo: "acme/storefront",
      branch: "main",
      environment: "live",
      team: "payments",
    });
    expect(s.repository).toBe("acme/storefront");
    expect(s.commits.read).toBe(2); // c4 and c5: committed on or after 03-04
    expect(s.tags).toMatchObject({ matched: 1, written: 1 }); // v1.1.0 only: v1.0.0 is older than --since
    const [row] = await queryRows<Record<string, unknown>>(
      db(),
      sql`select r.default_branch, t.slug, d.environment, e.tier from repositories r join teams t on t.id = r.team_id
          join deployments d on d.repository_id = r.id join environments e on e.name = d.environment`,
    );
    expect(row).toEqual({
      default_branch: "main",
      slug: "payments",
      environment: "live",
      tier: "production",
    });
  });

  it("a tag outside the branch brings its commits in, down to the branch", async () => {
    repo.checkout("release-1.1", true);
    const hotfix = repo.commit("Hotfix the payments", ALICE, "2026-03-06T09:00:00Z");
    repo.tag("v1.1.1");
    repo.checkout("main");
    const s = await ingest();
    expect(s.commits.read).toBe(8);
    expect(s.tags).toEqual({ matched: 3, written: 3, commits: 1, lines: [] });
    const snap = await snapshot(db());
    expect(snap.commits.map((c) => c.sha)).toContain(hotfix);
    expect(snap.deployments.find((d) => d.external_id === "tag:v1.1.1")).toMatchObject({
      attribution: "graph",
      change_count: 1,
      prev: "tag:v1.1.0",
    });
  });

  it("bad input gets a clear error", async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "throughline-not-git-")));
    temp.push(plain);
    await expect(ingestGitRepository(db(), { path: plain })).rejects.toThrow(
      `${plain} is not a git repository: pass the directory of a clone`,
    );
    await expect(ingestGitRepository(db(), { path: path.join(plain, "missing") })).rejects.toThrow(
      /missing does not exist/,
    );
    await expect(ingestGitRepository(db(), { path: "relative/dir" })).rejects.toThrow(/must be absolute/);
    await expect(ingest({ team: "nobody" })).rejects.toThrow(
      "unknown team 'nobody': there are no teams yet (create one in Settings → Teams or in throughline.config.yaml).",
    );
    await createTeam(db(), { slug: "payments", name: "Payments" });
    await createTeam(db(), { slug: "search", name: "Search" });
    await expect(ingest({ team: "nobody" })).rejects.toThrow(
      "unknown team 'nobody': the teams are payments, search.",
    );
    await expect(ingest({ branch: "develop" })).rejects.toThrow(
      `branch 'develop' not found in ${repo.dir}: its branches are feature, main.`,
    );
    await expect(ingest({ deployTags: "v[0-9]*" })).rejects.toThrow(
      /only \* \(any run of characters\) and \?/,
    );
    await expect(ingest({ repo: "not a name" })).rejects.toThrow(/--repo must be owner\/name/);
    await expect(ingest({ since: "2026-13-01" })).rejects.toThrow(/--since must be a date/);
    const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from repositories`,
    );
    expect(n).toBe(0); // nothing was written by any of them
  });
});
