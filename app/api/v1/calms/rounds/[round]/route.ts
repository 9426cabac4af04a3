import { apiAccess } from "@/lib/auth/current";
import { roundResultsJson } from "@/lib/calms/api";
import { badRequest, notFound, parseRoundId, parseTeamList } from "@/lib/calms/api-params";
import { roundResults } from "@/lib/calms/results";
import { getDb } from "@/lib/db";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/calms/rounds/:round[?teams=a,b]: the organisation view of a round, with the anonymity rules applied
 * (hidden teams have no figures; `teams` pools only teams whose results are shown).
 */
export async function GET(request: Request, ctx: { params: Promise<{ round: string }> }): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const id = parseRoundId((await ctx.params).round);
  if (id === null) return notFound();
  const params = new URL(request.url).searchParams;
  const unknown = [...params.keys()].filter((k) => k !== "teams");
  if (unknown.length) return badRequest(unknown[0] as string, "unknown parameter");
  const teams = parseTeamList(params.get("teams"));
  if (teams && "error" in teams) return badRequest("teams", teams.error);
  const results = await roundResults(await getDb(), id, { selection: teams ?? undefined });
  if (!results) return notFound();
  const missing = (teams ?? []).filter((slug) => !results.teams.some((t) => t.slug === slug));
  if (missing.length) return badRequest("teams", `team '${missing[0]}' is not part of this round`);
  return Response.json(roundResultsJson(results), { headers: { "cache-control": "no-store" } });
}
