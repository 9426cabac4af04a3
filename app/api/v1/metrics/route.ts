import { issuesMessage, parseMetricsParams } from "@/lib/api/metrics-params";
import { toMetricsResponse } from "@/lib/api/metrics-response";
import { apiAccess } from "@/lib/auth/current";
import { getReadDb } from "@/lib/db/replica";
import { getDashboard } from "@/lib/metrics/dashboard";
import { SliceError } from "@/lib/metrics/scope";
import { getOrgSettings } from "@/lib/settings/org";

export const dynamic = "force-dynamic";

/** GET /api/v1/metrics?team=&repo=&service=&environment=&from=&to=&granularity= (README § API). */
export async function GET(request: Request): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const db = await getReadDb();
  const settings = await getOrgSettings(db);
  const parsed = parseMetricsParams(new URL(request.url).searchParams, settings.timeZone);
  if (!parsed.ok) return badRequest(issuesMessage(parsed.issues), parsed.issues);
  const p = parsed.params;
  try {
    const dashboard = await getDashboard(db, {
      slice: { team: p.team, repo: p.repo, service: p.service, environment: p.environment },
      period: parsed.period,
      granularity: p.granularity,
    });
    return Response.json(toMetricsResponse(dashboard), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof SliceError) {
      return badRequest(`${error.field}: ${error.message}`, [
        { parameter: error.field, message: error.message },
      ]);
    }
    throw error;
  }
}

function badRequest(message: string, issues: { parameter: string; message: string }[]): Response {
  return Response.json({ error: "invalid_parameters", message, issues }, { status: 400 });
}
