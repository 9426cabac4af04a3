import { toMetricsResponse } from "@/lib/api/metrics-response";
import { sliceResponse } from "@/lib/api/slice-route";
import { apiAccess } from "@/lib/auth/current";
import { getReadDb } from "@/lib/db/replica";
import { getDashboard } from "@/lib/metrics/dashboard";

export const dynamic = "force-dynamic";

/** GET /api/v1/metrics?team=&repo=&service=&environment=&from=&to=&granularity= (README § API). */
export async function GET(request: Request): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const db = await getReadDb();
  return sliceResponse(db, request, async (input) => toMetricsResponse(await getDashboard(db, input)));
}
