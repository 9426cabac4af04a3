import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` is used: it diffs lib/db/schema against drizzle/meta and writes SQL.
// Migrations are applied by lib/db/migrate.ts (on start and by `npm run db:migrate`), never by `push`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
  strict: true,
  verbose: true,
});
