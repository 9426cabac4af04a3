import { apiAccess } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { listTeams } from "@/lib/teams";

export const dynamic = "force-dynamic";

/** GET /api/v1/teams: the slugs the metrics API accepts. */
export async function GET(request: Request): Promise<Response> {
  const access = await apiAccess(request);
  if (!access.ok) return access.response;
  const teams = await listTeams(await getDb());
  return Response.json({
    teams: teams.map((t) => ({
      slug: t.slug,
      name: t.name,
      description: t.description,
      repositories: t.repositories,
    })),
  });
}
