import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { describeDb } from "@/test/helpers/db";
import { MB, paddedPayload, SIZES_MB } from "@/test/helpers/webhook-sizes";
import { deliver } from "@/test/helpers/webhooks";

/**
 * Issue 14 §2 and §6 at the receiver: deliveries up to GitHub's 25 MB are read whole and verified (413 above it,
 * naming the limit); an event name with digits is acknowledged and ignored; a signed empty body is a 400.
 * test/e2e/webhook-size.test.ts sends the same sizes through a running server (where the proxy used to cut them).
 */

describeDb("GitHub webhook limits", ({ db }) => {
  it("1, 10.5 and 24 MB are received; 26 MB is a 413 naming the limit", async () => {
    for (const size of SIZES_MB) {
      const answer = await deliver(db(), "star", null, { body: paddedPayload(Math.round(size * MB)) });
      if (size <= 25)
        expect(answer, `${size} MB`).toMatchObject({ status: 202, body: { status: "ignored" } });
      else {
        expect(answer).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
        expect(answer.body.message).toContain("25 MB");
      }
    }
    const stored = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from webhook_deliveries where source = 'github'`,
    );
    expect(stored[0]?.n).toBe(3);
  }, 180_000);

  it("projects_v2_item is acknowledged and ignored; a signed empty body is a 400", async () => {
    expect(await deliver(db(), "projects_v2_item", { action: "edited" })).toMatchObject({
      status: 202,
      body: { event: "projects_v2_item", status: "ignored" },
    });
    expect(await deliver(db(), "push", null, { body: "" })).toMatchObject({
      status: 400,
      body: { error: "empty_body" },
    });
  });
});
