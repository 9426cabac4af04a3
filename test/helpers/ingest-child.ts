/**
 * Runs one ingest in its own process, for the crash test: the parent kills it (SIGKILL) part-way and runs it
 * again. Configured by env: DATABASE_URL, GITHUB_API_URL, GITHUB_TOKEN, THROUGHLINE_CONFIG.
 */
import { openPostgres } from "@/lib/db";
import { runIngest } from "@/lib/ingest/run";

const url = process.env.DATABASE_URL as string;
const handle = await openPostgres(url, { max: 2 });
await handle.migrate();
try {
  await runIngest(handle.db, {
    source: "github",
    log: (line) => process.stdout.write(`${line}\n`),
    client: { retryBaseMs: 5, throttle: { enabled: false } },
  });
} finally {
  await handle.close();
}
