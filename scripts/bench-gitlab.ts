import os from "node:os";
import { sql } from "drizzle-orm";
import { openPglite } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { GitLabModel, startFakeGitLab } from "@/test/fakes/gitlab";
import { sha } from "@/test/fixtures/sha";
import { syncGitLabFake } from "@/test/helpers/gitlab";
import { main } from "./lib/cli";

/**
 * npm run bench:gitlab — API requests of a GitLab sync against the local fake (it answers what GitLab would: 100 a
 * REST page, 50 merge requests a GraphQL page with their commits and notes, 50 pipelines with their jobs), so the
 * counts are what GitLab would see. Targets (issue 12): a first sync ≤ 0.1 requests per merge request with its commits and approvals; a quiet
 * re-sync ≤ 3 requests per project. Beside each sync's time, a reference timed in the same run: a full scan of the
 * deployments and pull_requests tables. Results go to docs/benchmarks.md.
 */

const PROJECTS = 10;
const MRS = 300;
const START = Date.parse("2026-01-05T00:00:00Z");
const HOUR = 3_600_000;
const at = (h: number) => new Date(START + h * HOUR).toISOString();

function fixture(): GitLabModel {
  const m = new GitLabModel();
  for (let p = 0; p < PROJECTS; p++) {
    const project = m.addProject(`acme/team-${p % 3}/service-${p}`);
    const main: string[] = [];
    for (let k = 0; k < MRS; k++) {
      const h = k * 6;
      const landed = sha(`${p}-sq-${k}`);
      project.commits.unshift({
        id: landed,
        parent_ids: main.length ? [main.at(-1) as string] : [],
        title: `Change ${k}`,
        author_name: "Alice",
        author_email: "alice@example.com",
        authored_date: at(h + 3),
        committed_date: at(h + 3),
      });
      main.push(landed);
      project.mergeRequests.push({
        iid: k + 1,
        title: `Change ${k}`,
        state: "merged",
        createdAt: at(h),
        updatedAt: at(h + 3),
        mergedAt: at(h + 3),
        sourceBranch: `change-${k}`,
        diffHeadSha: sha(`${p}-c-${k}-2`),
        squashCommitSha: landed,
        squash: true,
        author: { username: k % 2 ? "alice" : "bob" },
        commits: [0, 1, 2].map((c) => ({ sha: sha(`${p}-c-${k}-${c}`), authoredDate: at(h - 3 + c) })),
        notes: [
          {
            createdAt: at(h + 1),
            system: false,
            body: "question",
            author: { username: k % 2 ? "bob" : "alice" },
          },
          {
            createdAt: at(h + 2),
            system: true,
            body: "approved this merge request",
            author: { username: k % 2 ? "bob" : "alice" },
          },
        ],
      });
      project.pipelines.push({
        id: p * 10_000 + k,
        iid: k + 1,
        sha: landed,
        ref: "main",
        source: "push",
        status: k % 10 === 0 ? "failed" : "success",
        createdAt: at(h + 3),
        startedAt: at(h + 3.1),
        finishedAt: at(h + 3.5),
        updatedAt: at(h + 3.5),
      });
      // Three jobs a pipeline (build, test, deploy): read with their pipelines, no request of their own.
      for (const [i, name] of ["build", "rspec", "deploy"].entries())
        project.jobs.push({
          id: (p * 10_000 + k) * 10 + i,
          name,
          stage: name === "rspec" ? "test" : name,
          status: "success",
          ref: "main",
          sha: landed,
          pipelineId: p * 10_000 + k,
          created_at: at(h + 3),
          started_at: at(h + 3.1 + i * 0.1),
          finished_at: at(h + 3.2 + i * 0.1),
          queued_duration: 30,
        });
      if (k % 2 === 0) {
        project.deployments.push({
          id: p * 10_000 + k,
          iid: k + 1,
          ref: "main",
          sha: landed,
          created_at: at(h + 4),
          updated_at: at(h + 4.2),
          status: "success",
          environment: "production",
          deployable: { id: p * 10_000 + k, name: "deploy", started_at: at(h + 4), finished_at: at(h + 4.2) },
        });
      }
    }
  }
  return m;
}

main(async () => {
  const handle = await openPglite(null);
  await handle.migrate();
  const db = handle.db;
  await db.execute(sql`insert into org_settings (id) values (1) on conflict do nothing`);
  const fake = await startFakeGitLab(fixture(), { rateLimit: 100_000 });
  const yaml = "gitlab:\n  groups: [acme]\n  since: 2026-01-01\n";
  try {
    let t0 = performance.now();
    const first = await syncGitLabFake(db, fake.url, yaml, { now: new Date("2026-06-01T00:00:00Z") });
    const firstMs = performance.now() - t0;
    const mrs = PROJECTS * MRS;
    const byResource = Object.fromEntries(first.client.byResource);
    fake.reset();
    t0 = performance.now();
    const quiet = await syncGitLabFake(db, fake.url, yaml, { now: new Date("2026-06-01T01:00:00Z") });
    const quietMs = performance.now() - t0;
    for (const line of quiet.log.filter((l) => /retrying|FAILED/.test(l))) console.log(`  quiet: ${line}`);
    t0 = performance.now();
    const rows = await queryRows<{ n: number }>(
      db,
      sql`select (select count(*) from deployments d where d.sha is not null)::int + (select count(*) from pull_requests p where p.title is not null)::int as n`,
    );
    const [jobs] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ci_builds where parent_external_id is not null`,
    );
    const refMs = performance.now() - t0;
    const failed = [...first.scopes, ...quiet.scopes].filter((s) => !s.ok);
    if (failed.length) throw new Error(`sync failed: ${failed.map((f) => f.error).join("; ")}`);
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    console.log(
      `fixture: ${PROJECTS} projects × ${MRS} merged MRs (3 commits, 2 notes each), ${mrs} pipelines of 3 jobs, ${mrs / 2} deployments; ${jobs?.n} job builds stored`,
    );
    console.log(
      `first sync: ${first.requests} requests (${JSON.stringify(byResource)}), ${(first.requests / mrs).toFixed(4)} per MR, ${(firstMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `quiet re-sync: ${quiet.requests} requests ${JSON.stringify(Object.fromEntries(quiet.client.byResource))} (${((quiet.requests - 1) / PROJECTS).toFixed(1)} per project + 1 listing), ${(quietMs / 1000).toFixed(2)} s`,
    );
    console.log(
      `reference: full scan of deployments + pull_requests (${rows[0]?.n} rows): ${refMs.toFixed(1)} ms`,
    );
  } finally {
    await fake.close();
    await handle.close();
  }
});
