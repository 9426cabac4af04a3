import { issuesMessage } from "@/lib/api/metrics-params";
import { badRequest } from "@/lib/api/slice-route";
import { apiAccess } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { SliceError } from "@/lib/metrics/scope";
import { ReportInputError } from "@/lib/reports/build";
import { streamReport } from "@/lib/reports/export";
import { parseReportParams } from "@/lib/reports/params";
import { getOrgSettings } from "@/lib/settings/org";
import { toWebStream } from "@/lib/util/stream";

export const dynamic = "force-dynamic";

/** GET /api/v1/reports?team=&period=&format=pdf|csv|json&dataset=&paper= (README § Reports). */
export async function GET(request: Request): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const db = await getDb();
  const settings = await getOrgSettings(db);
  const parsed = parseReportParams(new URL(request.url).searchParams, settings.timeZone);
  if (!parsed.ok) return badRequest(issuesMessage(parsed.issues), parsed.issues);
  const p = parsed.params;
  try {
    // CSV and ZIP stream: rows are read in batches while the client downloads (lib/reports/keyset.ts).
    const { files } = await streamReport(db, p);
    const [file] = files;
    if (!file) throw new Error("the report produced no file");
    const disposition = p.format === "json" ? "inline" : "attachment";
    return new Response(toWebStream(file.chunks()), {
      headers: {
        "content-type": file.contentType,
        "content-disposition": `${disposition}; filename="${file.name}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof SliceError || error instanceof ReportInputError) {
      const parameter = error instanceof SliceError ? error.field : error.parameter;
      return badRequest(`${parameter}: ${error.message}`, [{ parameter, message: error.message }]);
    }
    throw error;
  }
}
