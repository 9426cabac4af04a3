import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { upsertRepositories } from "@/lib/ingest/store";
import { deriveRepositories } from "@/lib/metrics/derive";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";
import { pushClient } from "@/test/helpers/push";

const sha = (c: string) => c.repeat(40).slice(0, 40);
const at = (hhmm: string) => `2026-03-02T${hhmm}:00Z`;

async function setup(db: Db) {
  await createTeam(db, { slug: "payments", name: "Payments", description: "", members: [] });
  await createTeam(db, { slug: "search", name: "Search", description: "", members: [] });
  await upsertRepositories(db, [{ fullName: "acme/search-api", source: "config", teamSlug: "search" }]);
  const org = await createApiToken(db, { name: "jenkins" }, "test admin");
  const team = await createApiToken(db, { name: "payments pipeline", team: "payments" }, "test admin");
  return { org: pushClient(db, org.token), team: pushClient(db, team.token), orgToken: org.token };
}

const deploymentsOf = (db: Db) =>
  queryRows(
    db,
    sql`select d.external_id, d.status, d.finished_at::text, d.is_failed, d.failure_reasons, d.attribution, d.change_count,
               d.is_corrected, d.is_excluded
        from deployments d order by d.finished_at, d.id`,
  );

describeDb("Push API: tokens, validation, idempotency", ({ db }) => {
  // Writes schedule a derive a second later: let it finish before the next test empties the tables.
  afterEach(() => settleDerive(db()));

  it("tokens are stored as hashes only; wrong, missing and revoked tokens get 401", async () => {
    const { orgToken } = await setup(db());
    const stored = JSON.stringify(await queryRows(db(), sql`select * from api_tokens`));
    expect(stored).not.toContain(orgToken);
    expect(stored).not.toContain(orgToken.slice(10));
    const [listed] = (await listApiTokens(db())).filter((t) => t.name === "jenkins");
    expect(orgToken.startsWith(listed?.prefix ?? "?")).toBe(true);

    const body = { repository: "acme/pay", environment: "production", sha: sha("a") };
    expect((await pushClient(db(), null).postDeployment(body)).status).toBe(401);
    expect(await pushClient(db(), "tl_not-a-real-token").postDeployment(body)).toMatchObject({
      status: 401,
      body: { error: "unauthorized", message: "unknown API token" },
    });
    await revokeApiToken(db(), listed?.id as number);
    expect(await pushClient(db(), orgToken).postDeployment(body)).toMatchObject({
      status: 401,
      body: { message: "this API token was revoked" },
    });
    expect(await queryRows(db(), sql`select * from deployments`)).toEqual([]);
  });

  it("bad bodies: 415, 400 and 422 that name each wrong field; nothing written", async () => {
    const { org } = await setup(db());
    expect((await org.postDeployment("x", { "content-type": "text/plain" })).status).toBe(415);
    expect(await org.postDeployment("{oops")).toMatchObject({ status: 400, body: { error: "invalid_json" } });
    const bad = await org.postDeployment({
      repository: "payments",
      environment: "production",
      sha: "abc",
      status: "done",
      finishedAt: "yesterday",
      commits: [sha("c"), { sha: sha("d") }],
      colour: "blue",
    });
    expect(bad.status).toBe(422);
    expect(bad.body.issues).toEqual([
      { path: "repository", message: "must be owner/name, e.g. acme/payments-api" },
      { path: "sha", message: "must be a full commit SHA (40 hexadecimal characters)" },
      { path: "status", message: "must be one of queued, in_progress, success, failure, error, cancelled" },
      {
        path: "finishedAt",
        message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-03-02T14:05:00Z",
      },
      { path: "commits[1].authoredAt", message: "is required" },
      { path: "", message: "unknown field(s) colour: check the spelling" },
    ]);
    expect(bad.body.message).toContain("repository: must be owner/name");
    expect(
      await queryRows(db(), sql`select * from repositories where full_name <> 'acme/search-api'`),
    ).toEqual([]);
  });

  it("the same id updates (in progress → success); an Idempotency-Key replays and never writes twice", async () => {
    const { org } = await setup(db());
    const base = { id: "build-41", repository: "acme/pay", environment: "production", sha: sha("a") };
    const started = await org.postDeployment({ ...base, status: "in_progress", startedAt: at("10:00") });
    expect(started).toMatchObject({
      status: 201,
      body: { created: true, status: "in_progress", finishedAt: null },
    });
    const done = await org.postDeployment({
      ...base,
      status: "success",
      startedAt: at("10:00"),
      finishedAt: at("10:04"),
    });
    expect(done).toMatchObject({
      status: 200,
      body: { id: started.body.id, created: false, status: "success" },
    });

    const key = { "idempotency-key": "pipeline-77/deploy" };
    const next = { ...base, id: "build-42", sha: sha("b"), finishedAt: at("11:00") };
    const first = await org.postDeployment(next, key);
    const retry = await org.postDeployment(next, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const reused = await org.postDeployment({ ...next, sha: sha("c") }, key);
    expect(reused).toMatchObject({ status: 409, body: { error: "idempotency_key_reused" } });
    expect((await deploymentsOf(db())).map((d) => d.external_id)).toEqual(["build-41", "build-42"]);
  });

  it("team tokens write only their team's repositories; a new repository becomes theirs", async () => {
    const { team } = await setup(db());
    const denied = await team.postDeployment({
      repository: "acme/search-api",
      environment: "production",
      sha: sha("a"),
    });
    expect(denied).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect(denied.body.message).toContain("belongs to team search");
    const ok = await team.postDeployment({
      repository: "acme/pay",
      environment: "production",
      sha: sha("a"),
    });
    expect(ok.status).toBe(201);
    expect(
      await queryRows(
        db(),
        sql`select r.full_name, t.slug from repositories r join teams t on t.id = r.team_id order by 1`,
      ),
    ).toEqual([
      { full_name: "acme/pay", slug: "payments" },
      { full_name: "acme/search-api", slug: "search" },
    ]);
  });
});

describeDb("Push API: what the figures become", ({ db }) => {
  // Writes schedule a derive a second later: let it finish before the next test empties the tables.
  afterEach(() => settleDerive(db()));

  it("declared commits give lead time without reading the repository; 'fixes' fails the deployment it fixes", async () => {
    const { org } = await setup(db());
    const commit = (c: string, hhmm: string) => ({ sha: sha(c), authoredAt: at(hhmm), title: `change ${c}` });
    const deploy = (id: string, c: string, finished: string, extra: object = {}) =>
      org.postDeployment({
        id,
        repository: "acme/pay",
        environment: "production",
        sha: sha(c),
        finishedAt: at(finished),
        ...extra,
      });
    await deploy("d1", "a", "08:00", { commits: [commit("a", "07:00")] });
    await deploy("d2", "c", "12:00", { commits: [commit("b", "09:00"), commit("c", "10:30")] });
    const fix = await deploy("d3", "e", "12:45", { commits: [commit("e", "12:30")], fixes: "d2" });
    expect(fix.body).toMatchObject({ commits: { listed: 1, known: 1 } });
    await deriveRepositories(db());
    expect(await deploymentsOf(db())).toMatchObject([
      { external_id: "d1", attribution: "declared", change_count: 1, is_failed: false },
      {
        external_id: "d2",
        attribution: "declared",
        change_count: 2,
        is_failed: true,
        failure_reasons: ["fix_deployment"],
      },
      { external_id: "d3", attribution: "declared", change_count: 1, is_failed: false },
    ]);
    // Lead times: a 1 h; b 3 h, c 1.5 h; e 15 min.
    expect(
      await queryRows(db(), sql`select lead_seconds from deployment_changes order by lead_seconds`),
    ).toEqual([
      { lead_seconds: 900 },
      { lead_seconds: 3_600 },
      { lead_seconds: 5_400 },
      { lead_seconds: 10_800 },
    ]);
    expect(
      await queryRows(db(), sql`select recovery_seconds from deployments where external_id = 'd2'`),
    ).toEqual([{ recovery_seconds: 2_700 }]);
  });

  it("incidents: open with the causing deployment, resolve with PATCH; recovery follows", async () => {
    const { org, team } = await setup(db());
    const d = await org.postDeployment({
      id: "d1",
      repository: "acme/pay",
      environment: "production",
      sha: sha("a"),
      finishedAt: at("08:00"),
    });
    await org.postDeployment({
      id: "d2",
      repository: "acme/pay",
      environment: "production",
      sha: sha("b"),
      finishedAt: at("09:00"),
    });
    const opened = await org.postIncident({
      id: "PD-1",
      title: "Card payments fail",
      repository: "acme/pay",
      openedAt: at("09:10"),
      causedByDeployment: "d2",
    });
    expect(opened).toMatchObject({ status: 201, body: { externalId: "PD-1", resolvedAt: null } });
    // By our numeric id, without naming the repository: it is the deployment's.
    const other = await org.postIncident({
      id: "PD-2",
      openedAt: at("08:30"),
      causedByDeployment: d.body.id,
    });
    expect(other.body).toMatchObject({ repository: "acme/pay", causedByDeployment: d.body.id });
    const resolved = await org.patchIncident("PD-1", { status: "resolved", resolvedAt: at("10:40") });
    expect(resolved).toMatchObject({ status: 200, body: { resolvedAt: expect.stringContaining("10:40") } });
    expect((await org.patchIncident("PD-404", { status: "resolved" })).status).toBe(404);
    expect((await org.patchIncident("PD-1", {})).status).toBe(422);
    expect((await team.patchIncident("PD-1", { title: "x" })).status).toBe(403);
    await deriveRepositories(db());
    expect(
      await queryRows(
        db(),
        sql`select external_id, is_failed, recovery_seconds from deployments order by external_id`,
      ),
    ).toEqual([
      { external_id: "d1", is_failed: true, recovery_seconds: null },
      { external_id: "d2", is_failed: true, recovery_seconds: 6_000 },
    ]);
  });

  it("corrections through the API: who and why, applied on derive, survive re-ingest, revocable", async () => {
    const { org, team } = await setup(db());
    const post = (id: string, c: string, finished: string) =>
      org.postDeployment({
        id,
        repository: "acme/pay",
        environment: "production",
        sha: sha(c),
        finishedAt: at(finished),
      });
    await post("d1", "a", "08:00");
    const d2 = await post("d2", "b", "09:00");
    await org.postIncident({
      id: "PD-1",
      repository: "acme/pay",
      openedAt: at("09:10"),
      causedByDeployment: "d2",
    });
    await deriveRepositories(db());
    const id = d2.body.id as number;
    const bad = await org.postCorrection({ kind: "deployment_not_failed", reason: "" });
    expect(bad.body.issues).toEqual([
      { path: "reason", message: "say why (at least 3 characters): the reason is shown next to the figure" },
      { path: "deployment", message: "required for deployment_not_failed" },
    ]);
    expect(
      (await org.postCorrection({ kind: "deployment_not_failed", deployment: 999_999, reason: "nope" }))
        .status,
    ).toBe(404);
    const made = await org.postCorrection({
      kind: "deployment_not_failed",
      deployment: id,
      reason: "PD-1 was a false alarm",
    });
    expect(made).toMatchObject({ status: 201, body: { createdBy: "API token “jenkins”", active: true } });
    expect((await team.getCorrections(id)).status).toBe(403);

    await deriveRepositories(db());
    const failed = async () =>
      (
        await queryRows(db(), sql`select is_failed, is_corrected from deployments where external_id = 'd2'`)
      )[0];
    expect(await failed()).toEqual({ is_failed: false, is_corrected: true });
    // The source says the same again: the correction stands.
    await post("d2", "b", "09:00");
    await org.postIncident({
      id: "PD-1",
      repository: "acme/pay",
      openedAt: at("09:10"),
      causedByDeployment: "d2",
    });
    await deriveRepositories(db());
    expect(await failed()).toEqual({ is_failed: false, is_corrected: true });

    const list = await org.getCorrections(id);
    expect(list.body.corrections).toMatchObject([
      { kind: "deployment_not_failed", reason: "PD-1 was a false alarm" },
    ]);
    expect((await org.deleteCorrection(made.body.id as number)).body).toMatchObject({
      active: false,
      revokedBy: "API token “jenkins”",
    });
    expect((await org.deleteCorrection(made.body.id as number)).status).toBe(409);
    await deriveRepositories(db());
    expect(await failed()).toEqual({ is_failed: true, is_corrected: false });
  });

  it("incident link corrections move the blame; excluding a deployment hands its commits to the next", async () => {
    const { org } = await setup(db());
    const commit = (c: string, hhmm: string) => ({ sha: sha(c), authoredAt: at(hhmm) });
    const post = (id: string, c: string, finished: string, commits: object[]) =>
      org.postDeployment({
        id,
        repository: "acme/pay",
        environment: "production",
        sha: sha(c),
        finishedAt: at(finished),
        commits,
      });
    const d1 = await post("d1", "a", "08:00", [commit("a", "07:00")]);
    await post("d2", "b", "09:00", [commit("b", "08:30")]);
    const incident = await org.postIncident({ id: "PD-9", repository: "acme/pay", openedAt: at("09:30") });
    await deriveRepositories(db());
    const state = () =>
      queryRows(
        db(),
        sql`select external_id, is_failed, is_counted, is_excluded from deployments order by external_id`,
      );
    expect((await state()).map((d) => d.is_failed)).toEqual([false, true]); // the window blames d2

    const link = await org.postCorrection({
      kind: "incident_linked",
      incident: incident.body.id,
      deployment: d1.body.id,
      reason: "The config change in d1 caused it",
    });
    expect(link.status).toBe(201);
    await deriveRepositories(db());
    expect((await state()).map((d) => d.is_failed)).toEqual([true, false]);
    expect(await queryRows(db(), sql`select link_method from incidents`)).toEqual([
      { link_method: "corrected" },
    ]);

    await org.postCorrection({
      kind: "deployment_excluded",
      deployment: d1.body.id,
      reason: "A test deployment",
    });
    await deriveRepositories(db());
    expect(await state()).toEqual([
      { external_id: "d1", is_failed: false, is_counted: false, is_excluded: true },
      { external_id: "d2", is_failed: false, is_counted: true, is_excluded: false },
    ]);
    // With d1 gone, d2 is the first of its chain and ships what it lists.
    expect(await queryRows(db(), sql`select count(*)::int as n from deployment_changes`)).toEqual([{ n: 1 }]);
  });
});
