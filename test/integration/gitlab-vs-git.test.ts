import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { ingestGitRepository } from "@/lib/ingest/git";
import { upsertDeployments } from "@/lib/ingest/store";
import { getDashboard } from "@/lib/metrics/dashboard";
import { deriveRepositories } from "@/lib/metrics/derive";
import { period } from "@/lib/metrics/period";
import { GitLabModel, startFakeGitLab } from "@/test/fakes/gitlab";
import { commitsFromGit } from "@/test/fakes/gitlab/from-git";
import { buildService, type Service } from "@/test/fixtures/service";
import { describeDb, resetDatabase } from "@/test/helpers/db";
import { syncGitLabFake } from "@/test/helpers/gitlab";

const MARCH = period("2026-03-01", "2026-03-31");

/**
 * One real git history (test/fixtures/service.ts: redeploys, rollbacks, a squashed branch) read two ways: synced from
 * a GitLab project whose commits and deployments are that history's, and read by the local git ingest with the same
 * deployments pushed. Deployment frequency and every commit's lead time must be the same.
 */
describeDb("GitLab sync and the local git ingest agree on one history", ({ db }) => {
  let s: Service;
  beforeAll(() => {
    s = buildService();
  });
  afterAll(() => s?.repo.remove());

  async function figures() {
    const dash = await getDashboard(db(), {
      slice: { repo: "acme/api" },
      period: MARCH,
      granularity: "month",
    });
    const leads = await queryRows<{ sha: string; deployed: string; lead: number }>(
      db(),
      sql`select c.sha, d.finished_at::text as deployed, dc.lead_seconds as lead from deployment_changes dc
          join commits c on c.id = dc.commit_id join deployments d on d.id = dc.deployment_id order by c.sha, d.finished_at`,
    );
    return {
      deployments: dash.metrics.deploymentFrequency.current.deployments,
      leadTime: dash.metrics.changeLeadTime.current,
      leads: leads.map((l) => [l.sha, l.deployed, Number(l.lead)]),
    };
  }

  it("deployment frequency and per-commit lead time", async () => {
    const model = new GitLabModel();
    const project = model.addProject("acme/api", { commits: commitsFromGit(s.repo.dir) });
    project.deployments = s.deployments.map((d, i) => ({
      id: i + 1,
      iid: i + 1,
      ref: "main",
      sha: d.sha,
      created_at: d.at,
      updated_at: d.at,
      status: "success" as const,
      environment: "production",
      deployable: { id: 100 + i, name: "deploy", started_at: d.at, finished_at: d.at },
    }));
    const fake = await startFakeGitLab(model);
    let viaGitLab: Awaited<ReturnType<typeof figures>>;
    try {
      await resetDatabase(db());
      const r = await syncGitLabFake(db(), fake.url, "gitlab: { projects: [acme/api], since: 2026-01-01 }\n");
      expect(r.scopes.map((x) => [x.scope, x.ok])).toEqual([["acme/api", true]]);
      viaGitLab = await figures();
    } finally {
      await fake.close();
    }

    await resetDatabase(db());
    await ingestGitRepository(db(), { path: s.repo.dir, repo: "acme/api" });
    await upsertDeployments(
      db(),
      s.deployments.map((d) => ({
        repository: "acme/api",
        environment: "production",
        sha: d.sha,
        status: "success" as const,
        createdAt: d.at,
        finishedAt: d.at,
        source: "api" as const,
        externalId: d.id,
      })),
    );
    await deriveRepositories(db());
    const viaGit = await figures();

    expect(viaGitLab.deployments).toBe(6);
    expect(viaGitLab.leads.length).toBeGreaterThan(0);
    expect(viaGitLab).toEqual(viaGit);
  });
});
