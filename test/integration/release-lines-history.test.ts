import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { ingestGitRepository } from "@/lib/ingest/git";
import { type LinesHistory, writeLinesHistory } from "@/scripts/lib/synthetic-git";
import { describeDb } from "@/test/helpers/db";

/**
 * A longer history shaped like a library's (scripts/lib/synthetic-git.ts, writeLinesHistory): 3,000 commits, a
 * release every 100 that opens a maintenance branch, a fix backported every 20 commits, merged forward at once and
 * released on its branch after the next main release. The old rule took each such patch release for a rollback of
 * the main release before it; here none is, nothing fails, and each commit is listed once, plus once more for each
 * backport its patch release ships again.
 */
describeDb("a long history with maintenance lines (synthetic, git fast-import)", ({ db }) => {
  let dir: string;
  let made: LinesHistory;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-lines-"));
    execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q", "--bare", dir]);
    made = await writeLinesHistory(dir, { commits: 3_000 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("counts no false failure and writes close to one change row per commit", async () => {
    const s = await ingestGitRepository(db(), {
      path: dir,
      repo: "acme/lib",
      deployTagsRegex: "^\\d+\\.\\d+\\.\\d+$",
    });
    expect(s.tags?.matched).toBe(made.mainReleases + made.patchReleases);
    const [r] = await queryRows<Record<string, number>>(
      db(),
      sql`select (select count(*)::int from deployments where kind <> 'normal') as not_normal,
                 (select count(*)::int from deployments where is_failed or is_rework) as failed_or_rework,
                 (select count(*)::int from deployment_changes) as rows,
                 (select count(distinct commit_id)::int from deployment_changes) as commits,
                 (select count(*)::int from deployments where ref !~ '\\.0$') as patches,
                 (select count(*)::int from deployments where ref !~ '\\.0$' and finished_at >
                    (select max(finished_at) + interval '1 hour' from deployments where ref ~ '\\.0$')) as trailing,
                 (select count(distinct line_start_id)::int from deployments) as lines,
                 (select count(distinct (regexp_match(ref, '^1\\.(\\d+)\\.[1-9]'))[1])::int from deployments) as patched_lines`,
    );
    expect(r).toMatchObject({ not_normal: 0, failed_or_rework: 0 });
    // Each patch release re-lists its one backport, which the main release before it shipped first (but the last
    // few, whose backports no main release shipped yet).
    expect(Number(r?.rows) - Number(r?.commits)).toBe(Number(r?.patches) - Number(r?.trailing));
    expect(Number(r?.rows) / Number(r?.commits)).toBeLessThan(1.05);
    // The main line, and one line per maintenance branch released after the next main release; the newest branch's
    // patches come after no newer release, so they continue the main line as its release's first successor.
    expect(r?.lines).toBe(Number(r?.patched_lines));
  });
});
