import { toPipelineResponse } from "@/lib/api/pipeline-response";
import { sliceResponse } from "@/lib/api/slice-route";
import { apiAccess } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { getPipeline } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/pipeline?team=&repo=&service=&environment=&from=&to=&granularity= (README § API): stage times, CI
 * health and "Where to focus", with the same strict parameters as /api/v1/metrics.
 */
export async function GET(request: Request): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const db = await getDb();
  return sliceResponse(db, request, async (input) => toPipelineResponse(await getPipeline(db, input)));
}
