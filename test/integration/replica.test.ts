import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeProcessDb, getDb } from "@/lib/db";
import { closeReadDb, getReadDb } from "@/lib/db/replica";
import { queryRows } from "@/lib/db/rows";
import { testDatabase } from "@/test/helpers/db";
import { postgresUrl } from "@/test/setup/environment";

/** DATABASE_REPLICA_URL: read-only queries go to their own pool; without it they use the primary. */
describe.skipIf(!postgresUrl())("read replica [postgres]", () => {
  const saved = { primary: process.env.DATABASE_URL, replica: process.env.DATABASE_REPLICA_URL };
  afterAll(async () => {
    await closeReadDb();
    await closeProcessDb();
    for (const [k, v] of [
      ["DATABASE_URL", saved.primary],
      ["DATABASE_REPLICA_URL", saved.replica],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("reads through the replica's own connection when it is set", async () => {
    const url = (await testDatabase("postgres")).location;
    process.env.DATABASE_URL = url;
    delete process.env.DATABASE_REPLICA_URL;
    expect(await getReadDb()).toBe(await getDb());
    // A second URL to the same server stands in for a streaming replica.
    process.env.DATABASE_REPLICA_URL = url;
    const read = await getReadDb();
    expect(read).not.toBe(await getDb());
    const [row] = await queryRows<{ n: number }>(read, sql`select count(*)::int as n from repositories`);
    expect(typeof row?.n).toBe("number");
  });
});
