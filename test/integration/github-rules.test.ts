import { generateKeyPairSync } from "node:crypto";
import { expect, it } from "vitest";
import { fakeData, repoBuilder, startFakeGitHub } from "@/test/fakes/github";
import { describeDb } from "@/test/helpers/db";
import { config, snapshot, sync } from "@/test/helpers/github";

const H = 3_600;

/** Deployments for teams that do not use GitHub's Deployments API: workflow runs, jobs, releases and tags. */
describeDb("GitHub deployment rules", ({ db }) => {
  it("turns matching workflow runs, jobs, releases and tags into deployments, mapped to environments", async () => {
    const b = repoBuilder("acme/web", { start: "2026-04-01T09:00:00Z" });
    const c1 = b.commit({ message: "one", at: "2026-04-01T10:00:00Z" });
    b.run({
      workflow: "Deploy web",
      sha: c1.oid,
      createdAt: "2026-04-01T11:00:00Z",
      updatedAt: "2026-04-01T11:10:00Z",
    });
    const c2 = b.commit({ message: "two", at: "2026-04-02T10:00:00Z" });
    b.run({
      workflow: "Deploy web",
      sha: c2.oid,
      createdAt: "2026-04-02T12:00:00Z",
      updatedAt: "2026-04-02T12:20:00Z",
    });
    b.run({ workflow: "Deploy web", sha: c2.oid, branch: "feature/x", createdAt: "2026-04-02T13:00:00Z" }); // wrong branch
    b.run({ workflow: "CI", sha: c2.oid, createdAt: "2026-04-02T12:01:00Z" }); // not a deploy workflow
    b.run({
      workflow: "Pipeline",
      sha: c2.oid,
      createdAt: "2026-04-02T14:00:00Z",
      updatedAt: "2026-04-02T14:30:00Z",
      jobs: ["test", "deploy-eu", { name: "deploy-us", conclusion: "failure" }],
    });
    b.tag({ name: "v1.0", sha: c1.oid, annotated: true, at: "2026-04-01T15:00:00Z" });
    const c3 = b.commit({ message: "three", at: "2026-04-03T08:00:00Z" });
    b.tag({ name: "v1.1", sha: c3.oid, at: "2026-04-03T09:00:00Z" });
    b.release({ tag: "v1.1", at: "2026-04-03T09:30:00Z" });
    b.deploy({ env: "github-pages", at: "2026-04-03T10:00:00Z" }); // ignored by config

    const fake = await startFakeGitHub({ data: fakeData(b) });
    try {
      await sync(
        db(),
        fake,
        config(`
github: { repositories: [acme/web], since: 2026-03-01 }
deployments:
  environments:
    - { match: prd, name: production, tier: production }
    - { match: "prod-*", tier: production }
    - { match: github-pages, ignore: true }
  rules:
    - { workflow: "Deploy*", environment: prd }
    - { workflow: Pipeline, job: "deploy-*", environment: prod-eu }
    - { tag: "v*", environment: tagged }
    - { release: "v*", environment: released }
`),
      );
      const deps = (await snapshot(db())).deployments.map((d) => [
        d.environment,
        d.external_id,
        d.status,
        d.finished_at,
        d.trigger,
      ]);
      // (ordered by external id: job:…, release:…, run:…, tag:…)
      expect(deps).toEqual([
        ["prod-eu", expect.stringMatching(/^job:/), "success", "2026-04-02 14:30:00+00", "ci"],
        ["prod-eu", expect.stringMatching(/^job:/), "failure", "2026-04-02 14:30:00+00", "ci"],
        ["released", "release:v1.1", "success", "2026-04-03 09:30:00+00", "unknown"],
        ["production", expect.stringMatching(/^run:/), "success", "2026-04-01 11:10:00+00", "ci"],
        ["production", expect.stringMatching(/^run:/), "success", "2026-04-02 12:20:00+00", "ci"],
        ["tagged", "tag:v1.0", "success", "2026-04-01 15:00:00+00", "unknown"],
        ["tagged", "tag:v1.1", "success", "2026-04-03 08:00:00+00", "unknown"], // lightweight: its commit's time
      ]);
      // The second production deployment shipped commit "two": 10:00 → 12:20.
      const changes = (await snapshot(db())).changes.filter((c) => c.lead_seconds !== undefined);
      expect(changes.map((c) => c.lead_seconds)).toContain(2 * H + 20 * 60);
    } finally {
      await fake.close();
    }
  });

  it("authenticates as a GitHub App installation", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = (k: typeof publicKey) =>
      k.export({ type: k === publicKey ? "spki" : "pkcs8", format: "pem" }).toString();
    const b = repoBuilder("acme/app", { start: "2026-04-01T09:00:00Z" });
    b.commit({ message: "one", at: "2026-04-01T10:00:00Z" });
    const fake = await startFakeGitHub({
      data: fakeData(b),
      token: "ghs_installation_token",
      app: { appId: "4242", publicKey: pem(publicKey), installationId: 77 },
    });
    try {
      const s = await sync(db(), fake, config("github: { repositories: [acme/app], since: 2026-03-01 }"), {
        client: { auth: { kind: "app", appId: "4242", privateKey: pem(privateKey), installationId: 77 } },
      });
      expect(s.repositories[0]).toMatchObject({ ok: true, counts: { commits: 2 } }); // the root and "one"
      expect(fake.requests[0]?.path).toBe("/app/installations/77/access_tokens");
      expect(fake.requests[1]?.headers.authorization).toBe("token ghs_installation_token");
    } finally {
      await fake.close();
    }
  });
});
