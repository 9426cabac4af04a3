import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { audit } from "@/lib/audit";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createSession } from "@/lib/auth/sessions";
import { queueLinkMails } from "@/lib/calms/mail";
import { createRound } from "@/lib/calms/rounds";
import { teamSignals } from "@/lib/calms/signals";
import { createCorrection } from "@/lib/corrections";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import {
  deployments,
  erasedIdentities,
  reportDeliveries,
  reportSchedules,
  reportUnsubscribes,
  repositories,
} from "@/lib/db/schema";
import { ingestGitRepository } from "@/lib/ingest/git";
import { upsertCommits, upsertPullRequests } from "@/lib/ingest/store";
import { setDashboardCache } from "@/lib/metrics/cache";
import { getDashboard } from "@/lib/metrics/dashboard";
import { deriveRepositories } from "@/lib/metrics/derive";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { period } from "@/lib/metrics/period";
import { erasePerson, listErasures, PrivacyError } from "@/lib/privacy/erase";
import { PrivacyKeyChangedError } from "@/lib/privacy/pseudonym";
import { createTeam, setTeamRepositories, updateTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";
import { ALICE, BOB, DEPENDABOT, GITHUB, GitRepo, type Person } from "@/test/helpers/git-repo";
import { config } from "@/test/helpers/github";
import { deliver } from "@/test/helpers/webhooks";

const KEY = "privacy-test-key-0123456789-0123456789-abcdef";
const CAROL: Person = { name: "Carol Example", email: "carol@example.com" };
const MARCH = period("2026-03-01", "2026-03-31");
const ACTOR = { name: "Dana Admin <dana@example.com>", subject: "oidc:dana" };
const sha = (c: string) => c.repeat(40).slice(0, 40);

/** A repository worked on by Alice, Bob, Carol and dependabot (real git), with GitHub's pull requests beside it. */
function buildRepo(): GitRepo {
  const repo = new GitRepo("throughline-privacy-");
  repo.git(["remote", "add", "origin", "git@github.com:acme/shop.git"]);
  repo.commit("Initial commit", ALICE, "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z");
  repo.tag("v1.0.0");
  repo.commit("Add the API", ALICE, "2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z");
  repo.commit("Feature", BOB, "2026-03-03T09:00:00Z");
  repo.commit("Bump lodash from 4.17.20 to 4.17.21", DEPENDABOT, "2026-03-04T08:00:00Z");
  repo.commit("Add payments (#12)", CAROL, "2026-03-04T09:00:00Z", "2026-03-04T09:30:00Z", GITHUB);
  repo.annotatedTag("v1.1.0", "2026-03-04T15:00:00Z");
  return repo;
}

/** Every row of every table as text, lower-cased: what a person's values must be absent from. */
async function everyTable(db: Db): Promise<string> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const out: string[] = [];
  for (const t of tables) {
    const rows = await queryRows<{ r: string }>(db, sql.raw(`select t::text as r from ${t.name} t`));
    out.push(...rows.map((r) => `${t.name}: ${r.r.toLowerCase()}`));
  }
  return out.join("\n");
}

describeDb("privacy: forgetting a person", ({ db }) => {
  let repo: GitRepo;
  beforeEach(() => {
    vi.stubEnv("THROUGHLINE_SECRET_KEY", KEY);
    setDashboardCache(false);
    repo = buildRepo();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    repo.remove();
  });

  const ingest = () => ingestGitRepository(db(), { path: repo.dir, deployTags: "v*" });

  async function world() {
    await ingest();
    const [shop] = await db().select().from(repositories);
    const repoId = (shop as { id: number }).id;
    // GitHub links Alice's address (in another casing) to her login, and knows her PRs and reviews.
    await upsertCommits(db(), repoId, [
      {
        sha: sha("a1"),
        parentShas: [],
        authoredAt: new Date("2026-03-05T10:00:00Z"),
        committedAt: new Date("2026-03-05T10:00:00Z"),
        authorName: "Alice E.",
        authorEmail: "Alice@Example.com",
        authorLogin: "alice",
        title: "Side branch",
      },
    ]);
    const pull = (n: number, author: string, reviewers: string[]) => ({
      number: n,
      title: `PR ${n}`,
      authorLogin: author,
      state: "merged" as const,
      createdAt: new Date("2026-03-03T08:00:00Z"),
      firstReviewAt: new Date("2026-03-03T12:00:00Z"),
      mergedAt: new Date("2026-03-04T09:30:00Z"),
      reviewerLogins: reviewers,
    });
    await upsertPullRequests(db(), repoId, [
      pull(12, "alice", ["Bob", "copilot[bot]"]),
      pull(13, "bob", ["Alice", "carol"]),
      pull(14, "dependabot[bot]", []),
    ]);
    const team = await createTeam(db(), {
      slug: "shop",
      name: "Shop",
      members: ["alice", "bob@example.com"],
    });
    await setTeamRepositories(db(), team, [repoId]);
    const [release] = await db()
      .select({ id: deployments.id })
      .from(deployments)
      .where(eq(deployments.externalId, "tag:v1.1.0"));
    await createCorrection(
      db(),
      { kind: "deployment_failed", deploymentId: (release as { id: number }).id, reason: "broke checkout" },
      "Alice Example <alice@example.com>",
    );
    await deriveRepositories(db());
    await createSession(
      db(),
      {
        subject: "oidc:alice-1",
        name: "Alice Example",
        email: "alice@example.com",
        role: "admin",
        provider: "oidc",
      },
      8,
    );
    await audit(db(), { name: "Alice Example", subject: "oidc:alice-1" }, "sign_in", null, {
      provider: "oidc",
    });
    await audit(
      db(),
      { name: "Alice Example <alice@example.com>", subject: "oidc:alice-1" },
      "team.update",
      "shop",
      {
        members: ["alice", "bob@example.com"],
      },
    );
    await createApiToken(db(), { name: "ci" }, "Alice Example <alice@example.com>");
    const [schedule] = await db()
      .insert(reportSchedules)
      .values({
        name: "Weekly",
        period: "last-week",
        channel: "email",
        recipients: ["alice@example.com"],
        cron: "0 8 * * 1",
        createdBy: "Alice Example <alice@example.com>",
        nextDueAt: new Date("2026-03-09T08:00:00Z"),
      })
      .returning({ id: reportSchedules.id });
    await db()
      .insert(reportDeliveries)
      .values({
        scheduleId: (schedule as { id: number }).id,
        dueAt: new Date("2026-03-02T08:00:00Z"),
        status: "failed",
        lastError: "550 5.1.1 <alice@example.com>: no such user (ba@example.com accepted)",
      });
    // She unsubscribed from report mail, and a survey link waits to be mailed to her (her address sealed).
    await db().insert(reportUnsubscribes).values({ email: "alice@example.com" });
    const { roundId } = await createRound(db(), {
      title: "Spring check",
      opensOn: "2026-03-02",
      closesOn: "2026-03-16",
      teamIds: [team],
      itemKeys: ["A1", "A2"],
    });
    await queueLinkMails(
      db(),
      roundId,
      team,
      ["alice@example.com", "bob@example.com"],
      "https://tl.acme.test/",
      new Date("2026-03-03T09:00:00Z"),
    );
    return repoId;
  }

  /** Every figure a viewer can see about the repository and the team. */
  const figures = async () => ({
    repo: await getDashboard(db(), { slice: { repo: "acme/shop" }, period: MARCH }),
    team: await getDashboard(db(), { slice: { team: "shop" }, period: MARCH }),
    signals: await teamSignals(db(), "shop", MARCH, "UTC"),
    bots: await queryRows(
      db(),
      sql`(select sha as k, is_bot from commits) union all (select number::text, is_bot from pull_requests) order by 1`,
    ),
  });

  it("replaces her name, e-mail and login in every table, keeps every figure, and audits only the pseudonym", async () => {
    await world();
    expect(await everyTable(db())).toContain("alice");
    const before = await figures();

    const done = await erasePerson(db(), { email: "ALICE@example.com " }, ACTOR);
    expect(done.erasure).toMatch(/^erased-[0-9a-f]{12}$/);
    expect(done.values).toEqual({ emails: 1, logins: 1, names: 2 });
    expect(done.rows).toMatchObject({
      commits: 3,
      pull_requests: 2,
      team_members: 1,
      sessions: 1,
      api_tokens: 1,
      report_unsubscribes: 1,
      calms_link_mails: 1,
    });
    // Bob's survey mail still waits; hers is gone (its link stays, naming no one).
    const mails = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from calms_link_mails`);
    expect(mails[0]?.n).toBe(1);

    const dump = await everyTable(db());
    expect(dump).not.toContain("alice");
    expect(dump).toContain("bob@example.com");
    expect(dump).toContain("ba@example.com");
    expect(await figures()).toEqual(before);

    // The audit entry names the pseudonym and who asked; the earlier entries by her now name the pseudonym.
    const entries = await queryRows<{ actor: string; action: string; target: string; details: unknown }>(
      db(),
      sql`select actor, action, target, details from audit_log order by id`,
    );
    expect(entries.at(-1)).toMatchObject({
      actor: ACTOR.name,
      action: "privacy.erase",
      target: done.erasure,
    });
    expect(entries.slice(0, -1).every((e) => e.actor === done.erasure)).toBe(true);

    // Her address left the schedule, which had no one else: it pauses rather than fail every week.
    const [schedule] = await db().select().from(reportSchedules);
    expect(schedule).toMatchObject({
      recipients: [],
      paused: true,
      nextDueAt: null,
      createdBy: done.erasure,
    });

    // The table holds HMACs, and the same person, asked for by her login, is already erased.
    const stored = await db().select().from(erasedIdentities);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    const again = await erasePerson(db(), { login: "Alice" }, ACTOR);
    expect(again).toMatchObject({ alreadyErased: true, erasure: done.erasure });
    expect(await listErasures(db())).toEqual([
      { erasure: done.erasure, erasedAt: expect.any(Date), values: 4 },
    ]);
    const audits = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from audit_log`);
    expect(audits[0]?.n).toBe(entries.length);
  });

  it("survives re-syncs: a full git re-read, new commits, the config's team members and GitHub's pull requests", async () => {
    const repoId = await world();
    const early = period("2026-03-01", "2026-03-05");
    const before = await getDashboard(db(), { slice: { repo: "acme/shop" }, period: early });
    await erasePerson(db(), { login: "alice" }, ACTOR);

    // A full re-read of the clone (as after a force-push), then a new release with a new commit by her.
    await db().execute(sql`delete from sync_state`);
    await ingest();
    // Nothing about the history changed, so no figure did.
    expect(await getDashboard(db(), { slice: { repo: "acme/shop" }, period: early })).toEqual(before);
    expect(await everyTable(db())).not.toContain("alice");
    repo.commit("Refund", ALICE, "2026-03-06T10:00:00Z");
    repo.annotatedTag("v1.2.0", "2026-03-06T15:00:00Z");
    await ingest();
    await upsertPullRequests(db(), repoId, [
      {
        number: 15,
        title: "Refunds",
        authorLogin: "ALICE",
        state: "open",
        createdAt: new Date("2026-03-06T08:00:00Z"),
        reviewerLogins: ["alice", "bob"],
      },
    ]);
    const [team] = await queryRows<{ id: number }>(db(), sql`select id from teams`);
    await updateTeam(db(), (team as { id: number }).id, {
      slug: "shop",
      name: "Shop",
      members: ["Alice", "bob@example.com"],
    });

    const dump = await everyTable(db());
    expect(dump).not.toContain("alice");
    const refund = await queryRows<{ author_name: string; author_email: string }>(
      db(),
      sql`select author_name, author_email from commits where title = 'Refund'`,
    );
    expect(refund[0]?.author_email).toMatch(/^erased-[0-9a-f]{12}$/);
    const [pr] = await queryRows<{ author_login: string; reviewer_logins: string[] }>(
      db(),
      sql`select author_login, reviewer_logins from pull_requests where number = 15`,
    );
    // Her login is one pseudonym whatever its casing, and the same one her older rows carry.
    const [old] = await queryRows<{ author_login: string }>(
      db(),
      sql`select author_login from pull_requests where number = 12`,
    );
    expect(pr).toEqual({ author_login: old?.author_login, reviewer_logins: [old?.author_login, "bob"] });
  });

  it("keeps an erased bot a bot, now and after a re-sync", async () => {
    await world();
    const before = await figures();
    const done = await erasePerson(db(), { email: DEPENDABOT.email }, ACTOR);
    expect(done.values.emails).toBe(1);
    const rows = await queryRows<{ author_name: string; is_bot: boolean }>(
      db(),
      sql`select author_name, is_bot from commits where title like 'Bump%'`,
    );
    expect(rows).toEqual([
      { author_name: expect.stringMatching(/^erased-[0-9a-f]{12}\[bot\]$/), is_bot: true },
    ]);
    expect(await figures()).toEqual(before);
    await db().execute(sql`delete from sync_state`);
    await ingest();
    expect(await everyTable(db())).not.toContain("dependabot[bot]@");
    expect(await figures()).toEqual(before);
  });

  it("refuses bad input and unknown people, writing nothing", async () => {
    await world();
    const count = async () =>
      queryRows<{ a: number; e: number }>(
        db(),
        sql`select (select count(*)::int from audit_log) as a, (select count(*)::int from erased_identities) as e`,
      );
    const start = await count();
    const refused = async (input: unknown) => {
      try {
        await erasePerson(db(), input, ACTOR);
      } catch (error) {
        return error instanceof PrivacyError ? { status: error.status, message: error.message } : error;
      }
      return "accepted";
    };
    expect(await refused({ email: "nobody@example.com" })).toEqual({
      status: 404,
      message: "no one with the e-mail address nobody@example.com is known here: nothing was changed",
    });
    expect(await refused({ email: "not-an-address" })).toMatchObject({ status: 400 });
    expect(await refused({ login: "two words" })).toMatchObject({ status: 400 });
    expect(await refused({ login: "a\u0000b" })).toMatchObject({ status: 400 });
    expect(await refused({})).toMatchObject({ status: 400, message: expect.stringContaining("exactly one") });
    expect(await refused({ email: "alice@example.com", login: "alice" })).toMatchObject({ status: 400 });
    expect(await count()).toEqual(start);
  });
});

describeDb("privacy: GitHub webhooks after an erasure", ({ db }) => {
  beforeEach(() => {
    vi.stubEnv("THROUGHLINE_SECRET_KEY", KEY);
  });
  // Webhook writes schedule a derive a second later: let it finish before the next test empties the tables.
  afterEach(async () => {
    await settleDerive(db());
    vi.unstubAllEnvs();
  });
  const CONFIG = config("github: { repositories: [acme/shop] }");
  const repository = {
    full_name: "acme/shop",
    html_url: "https://github.com/acme/shop",
    default_branch: "main",
  };
  const commit = (id: string, message: string, timestamp: string) => ({
    id,
    message,
    timestamp,
    author: { name: "Alice Example", email: "alice@acme.test", username: "alice" },
    committer: { name: "Alice Example", email: "alice@acme.test" },
    distinct: true,
  });
  const push = (before: string, after: string, commits: object[]) =>
    deliver(
      db(),
      "push",
      { ref: "refs/heads/main", before, after, repository, commits, head_commit: commits.at(-1) },
      { config: CONFIG },
    );

  it("writes her pushes, pull requests and reviews as the pseudonym", async () => {
    expect(
      (await push("0".repeat(40), sha("b"), [commit(sha("b"), "Initial", "2026-03-01T08:00:00Z")])).status,
    ).toBe(202);
    const done = await erasePerson(db(), { email: "alice@acme.test" }, ACTOR);
    expect(done.values).toEqual({ emails: 1, logins: 1, names: 1 });
    await push(sha("b"), sha("c"), [commit(sha("c"), "Remember the card", "2026-03-02T10:00:00Z")]);
    const pr = {
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
      additions: 1,
      deletions: 0,
      changed_files: 1,
      commits: 1,
      merge_commit_sha: null,
      user: { login: "Alice", type: "User" },
      base: { ref: "main" },
      head: { ref: "feat/card", sha: sha("c") },
      labels: [],
    };
    await deliver(
      db(),
      "pull_request",
      { action: "opened", repository, pull_request: pr },
      { config: CONFIG },
    );
    await deliver(
      db(),
      "pull_request_review",
      {
        action: "submitted",
        repository,
        pull_request: pr,
        review: {
          state: "approved",
          submitted_at: "2026-03-02T11:30:00Z",
          user: { login: "alice", type: "User" },
        },
      },
      { config: CONFIG },
    );
    const rows = await queryRows<{ author_login: string; reviewer_logins: string[] }>(
      db(),
      sql`select author_login, reviewer_logins from pull_requests`,
    );
    // The login she pushed with, the PR's author and its reviewer: one pseudonym, whatever the casing.
    const [login] = await queryRows<{ author_login: string }>(
      db(),
      sql`select distinct author_login from commits`,
    );
    expect(login?.author_login).toMatch(/^erased-[0-9a-f]{12}$/);
    expect(rows).toEqual([{ author_login: login?.author_login, reviewer_logins: [login?.author_login] }]);
    const commits = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from commits`);
    expect(commits[0]?.n).toBe(2);
    expect(await everyTable(db())).not.toContain("alice");

    // Another key could not recognise her: writes and further erasures refuse rather than write her in clear.
    vi.stubEnv("THROUGHLINE_SECRET_KEY", "a-different-key-0123456789-0123456789");
    const [repo] = await db().select({ id: repositories.id }).from(repositories);
    await expect(
      upsertPullRequests(db(), (repo as { id: number }).id, [
        {
          number: 8,
          title: "x",
          authorLogin: "alice",
          state: "open",
          createdAt: new Date("2026-03-03T00:00:00Z"),
        },
      ]),
    ).rejects.toThrow(PrivacyKeyChangedError);
    await expect(erasePerson(db(), { login: "bob" }, ACTOR)).rejects.toThrow(PrivacyKeyChangedError);
  });
});
