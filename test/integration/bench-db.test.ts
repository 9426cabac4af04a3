import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { prepareBenchDatabase } from "@/scripts/lib/bench-db";
import { postgresUrl } from "@/test/setup/environment";

/** `npm run bench:metrics -- --database X` must never drop a database X it did not create (issue 11). */
describe.skipIf(!postgresUrl())("bench databases [postgres]", () => {
  const name = `tl_bench_guard_${process.pid}`;
  const admin = postgres(postgresUrl() ?? "", { max: 1, onnotice: () => {} });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("refuses to drop a database it did not create, unless --reuse or --force", async () => {
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(postgresUrl() ?? "");
    url.pathname = `/${name}`;
    const own = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await own`create table keep (id int)`;
    await own.end();

    await expect(prepareBenchDatabase(admin, name, { reuse: false, force: false })).rejects.toThrow(
      /was not created by a bench: refusing to drop it/,
    );
    expect(await prepareBenchDatabase(admin, name, { reuse: true, force: false })).toBe(false);
    // Forced: dropped and recreated, and marked as the bench's own from then on.
    expect(await prepareBenchDatabase(admin, name, { reuse: false, force: true })).toBe(true);
    expect(await prepareBenchDatabase(admin, name, { reuse: false, force: false })).toBe(true);
  });
});
