import { z } from "zod";
import { defineJob } from "@/lib/jobs/types";
import { DATASETS } from "./datasets";
import { exportReport, FORMATS } from "./export";

/**
 * The "report" job (npm run report): builds the report where the database is (in this process, or in the running
 * server that holds the embedded database) and hands back the files, base64-encoded, for the CLI to write.
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
  async run(db, args, log) {
    const started = Date.now();
    const { report, files } = await exportReport(db, args);
    const p = report.periods;
    log(
      `${report.title}: ${p.period.label} (${p.period.from} – ${p.period.to}) compared with ${p.previous.label}, ` +
        `${files.length} ${files.length === 1 ? "file" : "files"} in ${Date.now() - started} ms.`,
    );
    return {
      files: files.map((f) => ({
        name: f.name,
        contentType: f.contentType,
        base64: Buffer.from(f.body).toString("base64"),
      })),
    };
  },
});
