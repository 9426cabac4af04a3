import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { describeDb } from "@/test/helpers/db";
import { pushClient } from "@/test/helpers/push";

/** Issue 14 §4 and §7: malformed input that was a 500 (or wrongly accepted) is now a 4xx, and nothing is written. */

const sha = (c: string) => c.repeat(40).slice(0, 40);
const rows = async (db: Db) =>
  (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from deployments`))[0]?.n;

describeDb("Push API: hostile input", ({ db }) => {
  afterEach(() => settleDerive(db()));

  it("NUL, lone surrogates, years 1 and 9999, huge ids and script URLs: 4xx, nothing written", async () => {
    const org = pushClient(db(), (await createApiToken(db(), { name: "ci" }, "test")).token);
    const base = { repository: "acme/pay", environment: "production", sha: sha("a") };
    const refused = [
      { ...base, environment: "prod\u0000" },
      { ...base, id: "build-\uD800" },
      { ...base, finishedAt: "0001-01-01T00:00:00Z" },
      { ...base, finishedAt: "9999-12-31T00:00:00Z" },
      { ...base, fixes: 99_999_999_999 },
      { ...base, url: "javascript:alert(1)" },
      { ...base, url: "data:text/html,<script>alert(1)</script>" },
    ];
    for (const body of refused) {
      const answer = await org.postDeployment(body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
    }
    // A raw NUL escape in the JSON text, and a key with one.
    expect((await org.postDeployment('{"repository":"acme/pay","environment":"p\\u0000"}')).status).toBe(422);
    expect((await org.postDeployment({ ...base, "x\u0000": 1 })).status).toBe(422);
    const year = await org.postDeployment({ ...base, finishedAt: "0001-01-01T00:00:00Z" });
    expect(year.body.message).toContain("between 1970 and 2100");
    expect(await rows(db())).toBe(0);
    expect(
      (await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from repositories`))[0]?.n,
    ).toBe(0);

    expect((await org.getCorrections("99999999999999999999")).status).toBe(400);
    expect((await org.deleteCorrection("99999999999999999999")).status).toBe(404);
    expect((await org.patchIncident("%E0%A4%A", { title: "x" })).status).toBe(404);
  });

  it("an Idempotency-Key replay with re-formatted but equal JSON replays; a correction refuses another kind's fields", async () => {
    const org = pushClient(db(), (await createApiToken(db(), { name: "ci" }, "test")).token);
    const key = { "idempotency-key": "run-1" };
    const first = await org.postDeployment(
      `{"repository":"acme/pay","environment":"production","sha":"${sha("b")}","id":"b-1"}`,
      key,
    );
    expect(first.status).toBe(201);
    const again = await org.postDeployment(
      `{\n  "id": "b-1",\n  "sha": "${sha("b")}",\n  "environment": "production",\n  "repository": "acme/pay"\n}`,
      key,
    );
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");

    const mixed = await org.postCorrection({
      kind: "deployment_failed",
      deployment: first.body.id,
      incident: 1,
      reason: "broke checkout",
    });
    expect(mixed).toMatchObject({ status: 422 });
    expect(mixed.body.issues).toEqual([{ path: "incident", message: "not allowed for deployment_failed" }]);
    expect(await queryRows(db(), sql`select id from corrections`)).toEqual([]);
  });
});
