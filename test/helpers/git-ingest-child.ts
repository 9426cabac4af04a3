/**
 * Runs one local git ingest in its own process, for the crash test: the parent kills it (SIGKILL) part-way and
 * runs it again. Configured by env: DATABASE_URL, GIT_INGEST_PATH, GIT_INGEST_BATCH, and GIT_INGEST_PAUSE_MS (a pause
 * after each committed batch, so that the parent's kill lands within a batch or two of where it aims on any machine).
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
      afterBatch: async () => {
        const pause = Number(process.env.GIT_INGEST_PAUSE_MS ?? 0);
        if (pause) await new Promise((r) => setTimeout(r, pause));
      },
    },
  );
} finally {
  await handle.close();
}
