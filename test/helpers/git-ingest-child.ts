/**
 * Runs one local git ingest in its own process, for the crash test: the parent kills it (SIGKILL) part-way and
 * runs it again. Configured by env: DATABASE_URL, GIT_INGEST_PATH, GIT_INGEST_BATCH.
 */
import { openPostgres } from "@/lib/db";
import { ingestGitRepository } from "@/lib/ingest/git";

const handle = await openPostgres(process.env.DATABASE_URL as string, { max: 4 });
try {
  await ingestGitRepository(
    handle.db,
    { path: process.env.GIT_INGEST_PATH as string, deployTags: "v*" },
    {
      batchSize: Number(process.env.GIT_INGEST_BATCH ?? 100),
      log: (line) => process.stdout.write(`${line}\n`),
    },
  );
} finally {
  await handle.close();
}
