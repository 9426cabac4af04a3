import type { Db } from "@/lib/db";
import type { DashboardInput } from "@/lib/metrics/dashboard";
import { type Scope, SliceError } from "@/lib/metrics/scope";
import { getOrgSettings } from "@/lib/settings/org";
import { issuesMessage, parseMetricsParams } from "./metrics-params";

/**
 * The read APIs over a slice and period (/api/v1/metrics, /api/v1/pipeline): strict parameters, and a slice that
 * names nothing is a 400 naming the parameter, never a 500. The caller checks access and opens the database.
 */
export async function sliceResponse(
  db: Db,
  request: Request,
  answer: (input: DashboardInput) => Promise<unknown>,
): Promise<Response> {
  const settings = await getOrgSettings(db);
  const parsed = parseMetricsParams(new URL(request.url).searchParams, settings.timeZone);
  if (!parsed.ok) return badRequest(issuesMessage(parsed.issues), parsed.issues);
  const p = parsed.params;
  try {
    const body = await answer({
      slice: { team: p.team, repo: p.repo, service: p.service, environment: p.environment },
      period: parsed.period,
      granularity: p.granularity,
    });
    return Response.json(body, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof SliceError) {
      return badRequest(`${error.field}: ${error.message}`, [
        { parameter: error.field, message: error.message },
      ]);
    }
    throw error;
  }
}

export function badRequest(message: string, issues: { parameter: string; message: string }[]): Response {
  return Response.json({ error: "invalid_parameters", message, issues }, { status: 400 });
}

/** The slice as the APIs name it: by slug and owner/name, never by internal id. */
export function sliceOf(scope: Scope) {
  return {
    team: scope.team?.slug ?? null,
    repo: scope.repository?.fullName ?? null,
    service: scope.service?.name ?? null,
    environment: scope.environment,
    environments: scope.environments,
  };
}
