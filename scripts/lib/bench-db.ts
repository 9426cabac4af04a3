import type postgres from "postgres";

/** The comment a bench puts on the databases it creates: only those may it drop again. */
export const BENCH_MARK = "throughline bench database: npm run bench:* may drop and recreate it";

/**
 * Makes `name` an empty database the bench may fill, or keeps it (`reuse`, when it exists). An existing database
 * the bench did not create is never dropped without `force`: `--database` could name someone's real one.
 * Returns whether the database is new (so it needs seeding).
 */
export async function prepareBenchDatabase(
  admin: postgres.Sql,
  name: string,
  o: { reuse: boolean; force: boolean },
): Promise<boolean> {
  const [row] = await admin<{ comment: string | null }[]>`
    select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${name}`;
  if (row && o.reuse) return false;
  if (row && row.comment !== BENCH_MARK && !o.force) {
    throw new Error(
      `database ${name} exists and was not created by a bench: refusing to drop it. Use --reuse to benchmark it as it is, another --database, or --force to drop it.`,
    );
  }
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.unsafe(`comment on database "${name}" is '${BENCH_MARK}'`);
  return true;
}
