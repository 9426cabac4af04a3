import { apiAccess } from "@/lib/auth/current";
import { roundsJson } from "@/lib/calms/api";
import { listRounds } from "@/lib/calms/rounds";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /api/v1/calms/rounds: every round, newest first (README § CALMS survey). */
export async function GET(request: Request): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  return Response.json(roundsJson(await listRounds(await getDb())), {
    headers: { "cache-control": "no-store" },
  });
}
