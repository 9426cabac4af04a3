import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    globalSetup: ["test/setup/global.ts"],
    // Many tests write derived rows by hand, which a cached dashboard would not see: the cache (lib/metrics/cache.ts)
    // is off unless a test (test/integration/dashboard-cache.test.ts) turns it on; so are rollup reads
    // (lib/metrics/rollups), for the same reason, unless test/integration/rollups.test.ts turns them on.
    env: { THROUGHLINE_DASHBOARD_CACHE: "0", THROUGHLINE_ROLLUPS: "0" },
    reporters: ["default"],
    projects: [
      {
        extends: true,
        // Generous: 2 cores shared by many (the default suite took 52 min at load 25-42, where 60 s limits failed 5
        // tests); a test's speed is measured in scripts/bench*, never asserted here. The limits only catch hangs.
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          testTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // One migrated database per worker, shared by its test files (tables are truncated between tests):
          // booting PGlite costs ~2 s, so a database per file would dominate the run.
          pool: "forks",
          isolate: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/setup/global.ts", "test/setup/e2e-build.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
