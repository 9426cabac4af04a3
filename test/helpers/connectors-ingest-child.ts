/**
 * Runs `npm run ingest`'s sync of every configured source in its own process, for the connectors' crash test: the
 * parent kills it (SIGKILL) part-way and runs it again. Configured by env: DATABASE_URL, THROUGHLINE_CONFIG,
 * JENKINS_URL/JENKINS_USER/JENKINS_TOKEN, PAGERDUTY_TOKEN, OPSGENIE_API_KEY.
 */
import { openPostgres } from "@/lib/db";
import { runIngest } from "@/lib/ingest/run";

const handle = await openPostgres(process.env.DATABASE_URL as string, { max: 2 });
await handle.migrate();
try {
  await runIngest(handle.db, {
    log: (line) => process.stdout.write(`${line}\n`),
    client: { retryBaseMs: 5, attempts: 3, timeoutMs: 5_000 },
  });
} finally {
  await handle.close();
}
