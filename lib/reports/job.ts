import { z } from "zod";
import { defineJob } from "@/lib/jobs/types";
import { DATASETS } from "./datasets";
import { FORMATS, streamReport } from "./export";

/**
 * The "report" job (npm run report): builds the report where the database is (in this process, or in the running
 * server that holds the embedded database). Files stream to the CLI's sink when it gives one (context.write: the
 * CLI writes them as they come, constant memory); without one they come back whole, base64-encoded.
 */
export const reportJob = defineJob({
  name: "report",
  description: "Build a report (PDF, CSV or JSON) for the org or a team",
  args: z.object({
    team: z.string().min(1).optional(),
    period: z.string().min(1),
    format: z.enum(FORMATS),
    dataset: z.enum(DATASETS).optional(),
    separate: z.boolean().default(false),
    paper: z.enum(["a4", "letter"]).default("a4"),
  }),
  async run(db, args, log, context) {
    const started = Date.now();
    const { report, files } = await streamReport(db, args);
    const out: { name: string; contentType: string; bytes: number; base64?: string }[] = [];
    for (const f of files) {
      let bytes = 0;
      const parts: Uint8Array[] = [];
      for await (const chunk of f.chunks()) {
        bytes += chunk.length;
        if (context?.write) await context.write(f.name, chunk);
        else parts.push(chunk);
      }
      const whole = context?.write ? {} : { base64: Buffer.concat(parts).toString("base64") };
      out.push({ name: f.name, contentType: f.contentType, bytes, ...whole });
    }
    const p = report.periods;
    log(
      `${report.title}: ${p.period.label} (${p.period.from} – ${p.period.to}) compared with ${p.previous.label}, ` +
        `${files.length} ${files.length === 1 ? "file" : "files"} in ${Date.now() - started} ms.`,
    );
    return { files: out };
  },
});
