import type { NextConfig } from "next";

const config: NextConfig = {
  // PGlite loads its WASM and data files relative to its own module URL; bundling it breaks that
  // (every request then fails with ERR_INVALID_ARG_TYPE ... URL). See docs/adr/0002-embedded-database.md.
  // pg-boss (CommonJS, node-postgres) is loaded as is, like the database drivers.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "pg-boss", "pg"],
  poweredByHeader: false,
  // Another build directory lets two checkouts of work (or two test runs) build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  typedRoutes: false,
  // forbidden() / unauthorized(): a real 403 / 401 from pages and actions (lib/auth/current.ts, ADR 0010).
  experimental: {
    authInterrupts: true,
    // npm start's first build (a fresh clone) does not write Turbopack's filesystem cache: 50 s of a first start
    // on a busy 2-core machine, for a cache only a later rebuild reads (scripts/lib/build.ts).
    ...(process.env.THROUGHLINE_NO_BUILD_CACHE === "1" ? { turbopackFileSystemCacheForBuild: false } : {}),
  },
  // `npm start` and the browser tests build without the type check (scripts/lib/build.ts): `npm run typecheck`
  // and CI check the types; `npm run build` keeps the check.
  typescript: { ignoreBuildErrors: process.env.THROUGHLINE_SKIP_TYPECHECK === "1" },
};

export default config;
