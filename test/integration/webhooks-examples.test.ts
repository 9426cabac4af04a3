import examples from "@octokit/webhooks-examples";
import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { queryRows } from "@/lib/db/rows";
import { HANDLERS } from "@/lib/ingest/webhooks/github/events";
import { settleDerive } from "@/lib/metrics/derive/soon";
import { describeDb } from "@/test/helpers/db";
import { deliver } from "@/test/helpers/webhooks";

/**
 * Every example payload GitHub's own webhook schema project publishes for the events we handle (and ping):
 * real payload shapes, each accepted (2xx) and processed or knowingly ignored, none failed; a second delivery of
 * each changes nothing.
 */
const handled = examples.filter((d) => d.name in HANDLERS || d.name === "ping");

describeDb("GitHub webhooks: the published example payloads", ({ db }) => {
  // Writes schedule a derive a second later: let it finish before the next test empties the tables.
  afterEach(() => settleDerive(db()));

  it("covers every handled event type", () => {
    expect(new Set(handled.map((d) => d.name))).toEqual(new Set([...Object.keys(HANDLERS), "ping"]));
  });

  it("accepts each example once, and its redelivery changes nothing", async () => {
    const outcomes: string[] = [];
    let n = 0;
    for (const definition of handled) {
      for (const payload of definition.examples) {
        const id = `example-${n++}`;
        const first = await deliver(db(), definition.name, payload, { id });
        expect(first.status, `${definition.name} ${JSON.stringify(first.body)}`).toBeLessThan(300);
        outcomes.push(`${definition.name}:${String(first.body.status)}`);
        const before = await counts();
        const again = await deliver(db(), definition.name, payload, { id });
        expect(again.body.status).toBe(definition.name === "ping" ? "pong" : "ignored");
        expect(await counts()).toEqual(before);
      }
    }
    const failed = await queryRows(db(), sql`select * from webhook_deliveries where status = 'failed'`);
    expect(failed).toEqual([]);
    // Most examples are processed; the ignored ones are pushes to other branches, issues that are no incidents…
    expect(outcomes.filter((o) => o.endsWith(":processed")).length).toBeGreaterThan(20);
  });

  async function counts() {
    const [row] = await queryRows<Record<string, string>>(
      db(),
      sql`select (select count(*) from commits) c, (select count(*) from pull_requests) p,
            (select count(*) from deployments) d, (select count(*) from ci_builds) b,
            (select count(*) from incidents) i, (select count(*) from webhook_deliveries) w`,
    );
    return row;
  }
});
