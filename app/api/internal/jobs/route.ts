import { z } from "zod";
import { getDb } from "@/lib/db";
import { findJob } from "@/lib/jobs/registry";
import type { JobEvent } from "@/lib/jobs/types";
import { isJobsToken } from "@/lib/server/boot";

export const dynamic = "force-dynamic";

const Body = z.object({
  job: z.string().min(1),
  args: z.unknown().default({}),
  /** The CLI takes files as chunk events (a report streams to it instead of coming back whole). */
  files: z.boolean().default(false),
});

/**
 * CLI jobs for a server that holds the embedded database (lib/jobs/run.ts). Authenticated with the secret in the
 * 0600 lock file; answers NDJSON: log lines, then done or error.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isJobsToken(request.headers.get("authorization"))) {
    return Response.json({ error: "not authorised" }, { status: 401 });
  }
  const body = Body.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: "expected {job, args}" }, { status: 400 });
  const job = findJob(body.data.job);
  if (!job) return Response.json({ error: `unknown job '${body.data.job}'` }, { status: 400 });
  const args = job.args.safeParse(body.data.args);
  if (!args.success) {
    return Response.json(
      { error: args.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") },
      { status: 400 },
    );
  }
  const db = await getDb();
  const encoder = new TextEncoder();
  // A file streams at the CLI's pace: a chunk waits while the queue is full (pull wakes it), so memory holds a few
  // chunks, not the file.
  let wake: (() => void) | null = null;
  let gone = false; // the CLI went away: stop the job at its next write, send nothing more
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (event: JobEvent) => {
          if (!gone) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        };
        const write = async (file: string, chunk: Uint8Array) => {
          if (gone) throw new Error("the CLI went away");
          send({ type: "chunk", file, base64: Buffer.from(chunk).toString("base64") });
          while (!gone && (controller.desiredSize ?? 1) <= 0) {
            await new Promise<void>((resolve) => (wake = resolve));
          }
        };
        // Not awaited: the stream calls pull (which wakes a waiting write) only once start has returned.
        void (async () => {
          try {
            const context = body.data.files ? { write } : {};
            const result = await job.run(db, args.data, (line) => send({ type: "log", line }), context);
            send({ type: "done", result });
          } catch (error) {
            send({ type: "error", message: error instanceof Error ? error.message : String(error) });
          } finally {
            if (!gone) controller.close();
          }
        })();
      },
      pull() {
        wake?.();
        wake = null;
      },
      cancel() {
        gone = true;
        wake?.();
        wake = null;
      },
    },
    { highWaterMark: 16 },
  );
  return new Response(stream, {
    headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
  });
}
