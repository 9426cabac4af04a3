import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { GitIngestError, ingestGitRepository } from "@/lib/ingest/git";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { buildLibrary, type Library, RELEASE_TAGS } from "@/test/fixtures/library";
import { describeDb } from "@/test/helpers/db";
import { ALICE, GitRepo } from "@/test/helpers/git-repo";
import { byTag } from "@/test/helpers/lines";

/** Tag selection by glob and by regular expression, release lines named by the git ingest, local names. */
describeDb("local git ingest: tags, lines and names", ({ db }) => {
  let lib: Library;
  beforeAll(() => {
    lib = buildLibrary();
  });
  afterAll(() => lib?.repo.remove());
  const count = async (table: string) =>
    Number((await queryRows<{ n: number }>(db(), sql.raw(`select count(*)::int as n from ${table}`)))[0]?.n);

  it("a glob takes the archive tag 1.0.x for a release; the regular expression takes exact versions only", async () => {
    const glob = await ingestGitRepository(db(), {
      path: lib.repo.dir,
      repo: "acme/lib",
      deployTags: "?.?.?",
    });
    expect(glob.tags?.matched).toBe(8);
    const regex = await ingestGitRepository(db(), {
      path: lib.repo.dir,
      repo: "acme/lib2",
      deployTagsRegex: RELEASE_TAGS,
    });
    expect(regex.tags?.matched).toBe(7);
    expect(Object.keys(await byTag(db(), "acme/lib2"))).not.toContain("1.0.x");
  });

  it("globs are case-insensitive, regular expressions are not", async () => {
    const repo = new GitRepo();
    try {
      repo.commit("one", ALICE, "2026-03-01T00:00:00Z");
      repo.tag("Release-1");
      expect(
        (await ingestGitRepository(db(), { path: repo.dir, repo: "acme/a", deployTags: "release-*" })).tags
          ?.matched,
      ).toBe(1);
      await expect(
        ingestGitRepository(db(), { path: repo.dir, repo: "acme/a", deployTagsRegex: "^release-" }),
      ).rejects.toThrow(/no tag matches \/\^release-\/: .* has 1 tag, the newest Release-1/);
    } finally {
      repo.remove();
    }
  });

  it("a pattern that selects no tag is an error naming the newest tags, and writes nothing", async () => {
    const run = ingestGitRepository(db(), { path: lib.repo.dir, repo: "acme/lib", deployTags: "v*" });
    await expect(run).rejects.toThrow(GitIngestError);
    await expect(run).rejects.toThrow(
      /^no tag matches 'v\*': .* has 8 tags, the newest 2\.2\.0, 1\.1\.2, 1\.1\.1, 2\.1\.0, 2\.0\.0, 1\.1\.0, 1\.0\.0, 1\.0\.x\. Globs match the whole name, case-insensitively/,
    );
    expect(await count("commits")).toBe(0);
    expect(await count("repositories")).toBe(0);
  });

  it("--lines minor names each tag's line; the maintenance line is still no rollback", async () => {
    const s = await ingestGitRepository(db(), {
      path: lib.repo.dir,
      repo: "acme/lib",
      deployTagsRegex: RELEASE_TAGS,
      lines: "minor",
    });
    expect(s.tags?.lines).toEqual(["1.0.x", "1.1.x", "2.0.x", "2.1.x", "2.2.x"]);
    const d = await byTag(db(), "acme/lib");
    expect(d["1.1.1"]).toMatchObject({ line: "1.1.x", follows: "1.1.0", kind: "normal" });
    expect(d["1.1.2"]).toMatchObject({ line: "1.1.x", follows: "1.1.1" });
    // 2.1.0's line starts there: it forks from 2.0.0, the nearest release of any line
    expect(d["2.1.0"]).toMatchObject({
      line: "2.1.x",
      follows: "2.0.0",
      line_start: "2.1.0",
      is_failed: false,
    });
  });

  it("--line-branches names a tag's line after the matching branch that holds it", async () => {
    const s = await ingestGitRepository(db(), {
      path: lib.repo.dir,
      repo: "acme/lib",
      deployTagsRegex: RELEASE_TAGS,
      lineBranches: "1.*",
    });
    // git name-rev: 1.1.1 and 1.1.2 are on 1.1.x; so are 1.0.0 and 1.1.0, which the branch holds too
    expect(s.tags?.lines).toEqual(["1.1.x"]);
    const d = await byTag(db(), "acme/lib");
    expect([d["1.1.0"]?.line, d["1.1.1"]?.line, d["2.0.0"]?.line]).toEqual(["1.1.x", "1.1.x", null]);
    expect(d["2.0.0"]).toMatchObject({ follows: "1.1.0", kind: "normal" });
  });

  it("changing the line option renames the stored tag deployments on the next run", async () => {
    await ingestGitRepository(db(), { path: lib.repo.dir, repo: "acme/lib", deployTagsRegex: RELEASE_TAGS });
    const again = await ingestGitRepository(db(), {
      path: lib.repo.dir,
      repo: "acme/lib",
      deployTagsRegex: RELEASE_TAGS,
      lines: "major",
    });
    expect(again.tags?.written).toBe(7);
    expect((await byTag(db(), "acme/lib"))["1.1.2"]?.line).toBe("1.x");
  });

  it("refuses a second clone without origin in a directory of the same name, and the notes name look-alikes", async () => {
    const parents = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "throughline-same-")));
    try {
      const dirs = parents.map((p) => {
        const dir = path.join(p, "repo");
        fs.cpSync(lib.repo.dir, dir, { recursive: true });
        return dir;
      });
      const first = await ingestGitRepository(db(), { path: dirs[0] as string });
      expect(first.repository).toBe("local/repo");
      await expect(ingestGitRepository(db(), { path: dirs[1] as string })).rejects.toThrow(
        /^local\/repo is already the name of the clone at .*\/repo, and .*\/repo has no origin remote to tell them apart\. Name this one with --repo owner\/name/,
      );
      // Named, it is a repository of its own; named like another source's repository, it is flagged.
      await ingestGitRepository(db(), {
        path: dirs[1] as string,
        repo: "acme/repo",
        deployTagsRegex: RELEASE_TAGS,
      });
      const dash = await getDashboard(db(), {
        slice: { repo: "acme/repo" },
        period: period("2026-03-01", "2026-03-31"),
        granularity: "month",
      });
      expect(dash.quality.find((n) => n.code === "ambiguous_repositories")?.message).toMatch(
        /^Repository names that may mean the same repository: acme\/repo\. A clone read without an origin remote/,
      );
    } finally {
      for (const p of parents) fs.rmSync(p, { recursive: true, force: true });
    }
  });
});
