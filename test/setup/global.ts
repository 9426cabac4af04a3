import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { hasChromium, postgresUrl, requireAll } from "./environment";

/**
 * Says loudly which suites will skip on this machine (and fails instead when THROUGHLINE_REQUIRE_ALL_TESTS=1,
 * as CI sets), and drops the PostgreSQL databases the run created.
 */
export default async function setup() {
  // Runs once per vitest project in the same main process: keep one run id and one notice.
  const runId = process.env.THROUGHLINE_TEST_RUN ?? randomBytes(4).toString("hex");
  const first = !process.env.THROUGHLINE_TEST_RUN;
  process.env.THROUGHLINE_TEST_RUN = runId;
  const missing: string[] = [];
  if (!postgresUrl()) {
    missing.push(
      "TEST_DATABASE_URL is not set: the PostgreSQL runs of the database tests are SKIPPED (PGlite runs still run).\n" +
        "    Set it to a server URL, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres",
    );
  }
  if (!hasChromium()) {
    missing.push(
      "Chromium not found at /usr/bin/chromium (or CHROMIUM_PATH): the browser tests are SKIPPED.\n" +
        "    Install it with: apt-get install -y chromium",
    );
  }
  if (missing.length > 0) {
    const banner = missing.map((m) => `  ⚠ ${m}`).join("\n");
    if (requireAll()) throw new Error(`THROUGHLINE_REQUIRE_ALL_TESTS=1 but:\n${banner}`);
    if (first) console.warn(`\n${"=".repeat(100)}\n${banner}\n${"=".repeat(100)}\n`);
  }

  return async () => {
    const url = postgresUrl();
    if (!url) return;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const dbs = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`tl_test_${runId}_%`}`;
      for (const { datname } of dbs) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
}
