import type { NextConfig } from "next";

const config: NextConfig = {
  // PGlite loads its WASM and data files relative to its own module URL; bundling it breaks that
  // (every request then fails with ERR_INVALID_ARG_TYPE ... URL). See docs/adr/0002-embedded-database.md.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
