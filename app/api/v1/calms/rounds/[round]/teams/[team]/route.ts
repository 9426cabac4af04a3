import { apiAccess } from "@/lib/auth/current";
import { teamResultsJson } from "@/lib/calms/api";
import { notFound, parseRoundId } from "@/lib/calms/api-params";
import { teamResults } from "@/lib/calms/team";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/** GET /api/v1/calms/rounds/:round/teams/:team: one team's results, with the same anonymity rules as the pages. */
export async function GET(
  request: Request,
  ctx: { params: Promise<{ round: string; team: string }> },
): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const { round, team } = await ctx.params;
  const id = parseRoundId(round);
  const results = id === null ? null : await teamResults(await getDb(), id, team);
  if (!results) return notFound();
  return Response.json(teamResultsJson(results), { headers: { "cache-control": "no-store" } });
}
