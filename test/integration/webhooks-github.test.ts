import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { deriveRepositories } from "@/lib/metrics/derive";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { describeDb } from "@/test/helpers/db";
import { config } from "@/test/helpers/github";
import { deliver } from "@/test/helpers/webhooks";

const CONFIG = config(`
github: { repositories: [acme/shop] }
deployments:
  rules:
    - { workflow: Deploy, environment: staging }
    - { release: "v*", environment: release }
incidents: { labels: [incident] }
`);

const sha = (c: string) => c.repeat(40).slice(0, 40);
const [B0, C1, C2, M] = [sha("b"), sha("c1"), sha("c2"), sha("d")];
const repository = {
  full_name: "acme/shop",
  html_url: "https://github.com/acme/shop",
  default_branch: "main",
};
const person = (login: string) => ({ login, type: "User" });
const commit = (id: string, message: string, timestamp: string) => ({
  id,
  message,
  timestamp,
  author: { name: "Alice", email: "alice@acme.test", username: "alice" },
  committer: { name: "Alice", email: "alice@acme.test" },
  distinct: true,
});
const pr = (extra: object = {}) => ({
  number: 7,
  title: "Checkout: remember the card",
  body: null,
  html_url: "https://github.com/acme/shop/pull/7",
  state: "open",
  draft: false,
  merged: false,
  created_at: "2026-03-02T09:00:00Z",
  merged_at: null,
  closed_at: null,
  additions: 40,
  deletions: 3,
  changed_files: 2,
  commits: 2,
  merge_commit_sha: null,
  user: person("alice"),
  base: { ref: "main" },
  head: { ref: "feat/card", sha: C2 },
  labels: [],
  ...extra,
});
const deployment = (id: number, at: string, commitSha: string) => ({
  id,
  sha: commitSha,
  ref: "main",
  environment: "production",
  payload: {},
  created_at: at,
  creator: { login: "github-actions[bot]", type: "Bot" },
});
const status = (state: string, at: string) => ({ state, created_at: at, log_url: "", target_url: "" });
const opts = { config: CONFIG };

/**
 * A morning of one repository, as GitHub delivers it (out of order where GitHub may be): hand-computed results.
 * 08:05 production runs b…; c1 (10:00) and c2 (11:00) are merged by PR #7 (merge commit d, 12:00), approved by bob at
 * 11:30; production deploys d at 12:30. Lead times: c1 2.5 h, c2 1.5 h; the merge commit is no change of its own.
 */
describeDb("GitHub webhooks: what each event writes", ({ db }) => {
  // Writes schedule a derive a second later: let it finish before the next test empties the tables.
  afterEach(() => settleDerive(db()));

  async function morning() {
    const push = async (before: string, after: string, commits: object[]) =>
      deliver(
        db(),
        "push",
        { ref: "refs/heads/main", before, after, repository, commits, head_commit: commits.at(-1) },
        opts,
      );
    expect((await push("0".repeat(40), B0, [commit(B0, "Initial", "2026-03-01T08:00:00Z")])).status).toBe(
      202,
    );
    await deliver(
      db(),
      "deployment",
      { action: "created", repository, deployment: deployment(500, "2026-03-02T08:00:00Z", B0) },
      opts,
    );
    await deliver(
      db(),
      "deployment_status",
      {
        action: "created",
        repository,
        deployment: deployment(500, "2026-03-02T08:00:00Z", B0),
        deployment_status: status("success", "2026-03-02T08:05:00Z"),
      },
      opts,
    );
    // The review arrives before the merge.
    await deliver(
      db(),
      "pull_request_review",
      {
        action: "submitted",
        repository,
        pull_request: pr(),
        review: { state: "approved", submitted_at: "2026-03-02T11:30:00Z", user: person("bob") },
      },
      opts,
    );
    await push(B0, M, [
      commit(C1, "Remember the card", "2026-03-02T10:00:00Z"),
      commit(C2, "Test it", "2026-03-02T11:00:00Z"),
      commit(
        M,
        "Merge pull request #7 from acme/feat/card\n\nCheckout: remember the card",
        "2026-03-02T12:00:00Z",
      ),
    ]);
    await deliver(
      db(),
      "pull_request",
      {
        action: "closed",
        repository,
        pull_request: pr({
          state: "closed",
          merged: true,
          merged_at: "2026-03-02T12:00:00Z",
          closed_at: "2026-03-02T12:00:00Z",
          merge_commit_sha: M,
        }),
      },
      opts,
    );
    // Statuses out of order: success first, then the earlier in_progress.
    const d501 = deployment(501, "2026-03-02T12:10:00Z", M);
    await deliver(
      db(),
      "deployment_status",
      {
        action: "created",
        repository,
        deployment: d501,
        deployment_status: status("success", "2026-03-02T12:30:00Z"),
      },
      opts,
    );
    await deliver(
      db(),
      "deployment_status",
      {
        action: "created",
        repository,
        deployment: d501,
        deployment_status: status("in_progress", "2026-03-02T12:12:00Z"),
      },
      opts,
    );
    await deliver(db(), "deployment", { action: "created", repository, deployment: d501 }, opts);
    await deriveRepositories(db());
  }

  it("push: commits with inferred parents (a merge subject gets two)", async () => {
    await morning();
    const rows = await queryRows(
      db(),
      sql`select sha, parent_shas, authored_at::text from commits order by authored_at`,
    );
    expect(rows).toEqual([
      { sha: B0, parent_shas: [], authored_at: "2026-03-01 08:00:00+00" },
      { sha: C1, parent_shas: [B0], authored_at: "2026-03-02 10:00:00+00" },
      { sha: C2, parent_shas: [C1], authored_at: "2026-03-02 11:00:00+00" },
      { sha: M, parent_shas: [B0, C2], authored_at: "2026-03-02 12:00:00+00" },
    ]);
  });

  it("pull_request and its review merge into one row, whatever the order", async () => {
    await morning();
    const [row] = await queryRows(
      db(),
      sql`select state, merge_sha, merge_method, first_review_at::text, approved_at::text, reviewer_logins, ready_at::text, additions
          from pull_requests`,
    );
    expect(row).toEqual({
      state: "merged",
      merge_sha: M,
      merge_method: "merge",
      first_review_at: "2026-03-02 11:30:00+00",
      approved_at: "2026-03-02 11:30:00+00",
      reviewer_logins: ["bob"],
      ready_at: "2026-03-02 09:00:00+00",
      additions: 40,
    });
  });

  it("deployment statuses in any order: live at the first success; changes and lead times follow", async () => {
    await morning();
    const deps = await queryRows(
      db(),
      sql`select external_id, status, finished_at::text, attribution, change_count, trigger from deployments order by external_id`,
    );
    expect(deps).toEqual([
      {
        external_id: "deployment:500",
        status: "success",
        finished_at: "2026-03-02 08:05:00+00",
        attribution: "baseline",
        change_count: 0,
        trigger: "ci",
      },
      {
        external_id: "deployment:501",
        status: "success",
        finished_at: "2026-03-02 12:30:00+00",
        attribution: "graph",
        change_count: 3,
        trigger: "ci",
      },
    ]);
    const changes = await queryRows(
      db(),
      sql`select c.sha, dc.lead_seconds, dc.is_merge from deployment_changes dc join commits c on c.id = dc.commit_id order by c.sha`,
    );
    expect(changes).toEqual([
      { sha: C1, lead_seconds: 9_000, is_merge: false },
      { sha: C2, lead_seconds: 5_400, is_merge: false },
      { sha: M, lead_seconds: 1_800, is_merge: true },
    ]);
  });

  it("issues: labelled incident → linked to the deployment before it, a failure; unlabelled → gone", async () => {
    await morning();
    const issue = (labels: string[]) => ({
      number: 40,
      title: "Checkout fails for saved cards",
      body: "",
      html_url: "https://github.com/acme/shop/issues/40",
      state: "open",
      created_at: "2026-03-02T13:00:00Z",
      closed_at: null,
      labels: labels.map((name) => ({ name })),
    });
    await deliver(db(), "issues", { action: "labeled", repository, issue: issue(["incident"]) }, opts);
    await deriveRepositories(db());
    const failed = () =>
      queryRows(db(), sql`select external_id, is_failed from deployments order by external_id`);
    expect(await failed()).toEqual([
      { external_id: "deployment:500", is_failed: false },
      { external_id: "deployment:501", is_failed: true },
    ]);
    const off = await deliver(db(), "issues", { action: "unlabeled", repository, issue: issue([]) }, opts);
    expect(off.body.note).toBe("#40 is no longer an incident");
    await deriveRepositories(db());
    expect((await failed()).map((d) => d.is_failed)).toEqual([false, false]);
  });

  it("workflow_run: a run that a rule says deploys is a deployment, and always a CI build", async () => {
    const run = (id: number, name: string) => ({
      id,
      name,
      head_branch: "main",
      head_sha: M,
      event: "push",
      status: "completed",
      conclusion: "success",
      created_at: "2026-03-02T12:01:00Z",
      run_started_at: "2026-03-02T12:01:00Z",
      updated_at: "2026-03-02T12:06:00Z",
      html_url: `https://github.com/acme/shop/actions/runs/${id}`,
    });
    await deliver(
      db(),
      "workflow_run",
      { action: "completed", repository, workflow_run: run(9, "Deploy") },
      opts,
    );
    await deliver(
      db(),
      "workflow_run",
      { action: "completed", repository, workflow_run: run(10, "Lint") },
      opts,
    );
    expect(await queryRows(db(), sql`select external_id from ci_builds order by external_id`)).toEqual([
      { external_id: "run:10" },
      { external_id: "run:9" },
    ]);
    expect(
      await queryRows(db(), sql`select external_id, environment, status, finished_at::text from deployments`),
    ).toEqual([
      {
        external_id: "run:9",
        environment: "staging",
        status: "success",
        finished_at: "2026-03-02 12:06:00+00",
      },
    ]);
  });

  it("release: its commit comes from its tag's push, whichever arrives first", async () => {
    const release = (tag: string) => ({
      action: "published",
      repository,
      release: {
        tag_name: tag,
        target_commitish: "main",
        draft: false,
        published_at: "2026-03-02T15:00:00Z",
        html_url: null,
      },
    });
    const tagPush = (tag: string) => ({
      ref: `refs/tags/${tag}`,
      before: "0".repeat(40),
      after: M,
      repository,
      commits: [],
      head_commit: commit(M, "Merge", "2026-03-02T12:00:00Z"),
    });
    const waiting = await deliver(db(), "release", release("v1.0"), opts);
    expect(waiting.body.status).toBe("processed");
    expect(await queryRows(db(), sql`select * from deployments`)).toEqual([]);
    await deliver(db(), "push", tagPush("v1.0"), opts);
    await deliver(db(), "push", tagPush("v1.1"), opts);
    await deliver(db(), "release", release("v1.1"), opts);
    expect(
      await queryRows(
        db(),
        sql`select external_id, sha, environment, finished_at::text from deployments order by external_id`,
      ),
    ).toEqual([
      { external_id: "release:v1.0", sha: M, environment: "release", finished_at: "2026-03-02 15:00:00+00" },
      { external_id: "release:v1.1", sha: M, environment: "release", finished_at: "2026-03-02 15:00:00+00" },
    ]);
  });

  it("pushes to other branches and repositories outside the config are acknowledged and ignored", async () => {
    const other = await deliver(
      db(),
      "push",
      {
        ref: "refs/heads/feat/x",
        before: B0,
        after: C1,
        repository,
        commits: [commit(C1, "x", "2026-03-02T10:00:00Z")],
      },
      opts,
    );
    expect(other.body).toMatchObject({
      status: "ignored",
      note: "a push to refs/heads/feat/x, not the default branch",
    });
    const foreign = await deliver(
      db(),
      "push",
      {
        ref: "refs/heads/main",
        before: B0,
        after: C1,
        repository: { ...repository, full_name: "elsewhere/repo" },
        commits: [],
      },
      opts,
    );
    expect(foreign.body).toMatchObject({
      status: "ignored",
      note: "elsewhere/repo is not among the configured repositories",
    });
    const unknown = await deliver(db(), "star", { action: "created", repository }, opts);
    expect(unknown).toMatchObject({
      status: 202,
      body: { status: "ignored", note: "star events are not used" },
    });
    expect(await queryRows(db(), sql`select count(*)::int as n from commits`)).toEqual([{ n: 0 }]);
  });
});

describeDb("GitHub webhooks: signatures, bad requests, duplicates and concurrency", ({ db }) => {
  // Writes schedule a derive a second later: let it finish before the next test empties the tables.
  afterEach(() => settleDerive(db()));

  const payload = {
    action: "created",
    repository,
    deployment: deployment(1, "2026-03-02T08:00:00Z", B0),
    deployment_status: status("success", "2026-03-02T08:05:00Z"),
  };

  it("refuses unsigned and wrongly signed deliveries (401), and everything when no secret is set (503)", async () => {
    expect(
      await deliver(db(), "deployment_status", payload, { signWith: "another-secret-0123456789" }),
    ).toMatchObject({
      status: 401,
      body: { error: "bad_signature" },
    });
    const unsigned = await deliver(db(), "deployment_status", payload, {
      headers: { "x-hub-signature-256": "" },
    });
    expect(unsigned).toMatchObject({ status: 401, body: { error: "unsigned" } });
    expect(await deliver(db(), "deployment_status", payload, { secret: null })).toMatchObject({
      status: 503,
    });
    expect(await queryRows(db(), sql`select * from webhook_deliveries`)).toEqual([]);
  });

  it("a tampered body fails the signature; malformed bodies and headers are 400 and write nothing", async () => {
    const body = JSON.stringify(payload);
    const { Webhooks } = await import("@octokit/webhooks");
    const signature = await new Webhooks({ secret: "test-webhook-secret-0123456789" }).sign(body);
    const tampered = await deliver(db(), "deployment_status", null, {
      body: body.replace("success", "failure"),
      headers: { "x-hub-signature-256": signature },
    });
    expect(tampered.status).toBe(401);
    expect(await deliver(db(), "deployment_status", null, { body: "{not json" })).toMatchObject({
      status: 400,
      body: { error: "invalid_json" },
    });
    expect(
      await deliver(db(), "deployment_status", payload, { headers: { "x-github-event": "" } }),
    ).toMatchObject({ status: 400 });
    expect(
      await deliver(db(), "deployment_status", payload, { headers: { "x-github-delivery": "" } }),
    ).toMatchObject({ status: 400 });
    const wrongShape = await deliver(
      db(),
      "deployment_status",
      { ...payload, deployment: { id: "x" } },
      { id: "bad-shape" },
    );
    expect(wrongShape).toMatchObject({ status: 400, body: { error: "invalid_payload" } });
    expect(await queryRows(db(), sql`select count(*)::int as n from deployments`)).toEqual([{ n: 0 }]);
    // The failed delivery is logged, and GitHub's "Redeliver" of a fixed payload is processed.
    expect(await queryRows(db(), sql`select delivery_id, status from webhook_deliveries`)).toEqual([
      { delivery_id: "bad-shape", status: "failed" },
    ]);
    expect((await deliver(db(), "deployment_status", payload, { id: "bad-shape" })).status).toBe(202);
  });

  it("a body over 25 MiB is refused (413) before it is read", async () => {
    const huge = await deliver(db(), "push", null, { body: "x".repeat(25 * 1_048_576 + 1) });
    expect(huge).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
  });

  it("accepts GitHub's form-encoded content type too", async () => {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await deliver(db(), "deployment_status", null, {
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(202);
  });

  it("a redelivery changes nothing", async () => {
    expect((await deliver(db(), "deployment_status", payload, { id: "same" })).status).toBe(202);
    const again = await deliver(db(), "deployment_status", payload, { id: "same" });
    expect(again).toMatchObject({ status: 200, body: { status: "ignored", note: "already received" } });
    expect(await queryRows(db(), sql`select count(*)::int as n from deployments`)).toEqual([{ n: 1 }]);
  });

  it("500 deliveries in parallel (250 deployments, each delivered twice at once): each stored once", async () => {
    const jobs = Array.from({ length: 500 }, (_, i) => {
      const n = i % 250;
      const p = {
        ...payload,
        deployment: deployment(1_000 + n, "2026-03-02T08:00:00Z", B0),
        deployment_status: status("success", `2026-03-02T09:${String(n % 60).padStart(2, "0")}:00Z`),
      };
      return deliver(db(), "deployment_status", p, { id: `delivery-${n}` });
    });
    const results = await Promise.all(jobs);
    expect(results.filter((r) => r.status === 202)).toHaveLength(250);
    expect(results.filter((r) => r.status === 200 && r.body.note === "already received")).toHaveLength(250);
    expect(
      await queryRows(
        db(),
        sql`select count(*)::int as n, count(distinct external_id)::int as d from deployments`,
      ),
    ).toEqual([{ n: 250, d: 250 }]);
    expect(
      await queryRows(db(), sql`select status, count(*)::int as n from webhook_deliveries group by status`),
    ).toEqual([{ status: "processed", n: 250 }]);
  });
});
