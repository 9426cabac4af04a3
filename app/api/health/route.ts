import { sql } from "drizzle-orm";
import { apiAccess } from "@/lib/auth/current";
import { getDbHandle } from "@/lib/db";
import { demoLoading, demoLoadPhase } from "@/lib/server/starting";
import { getOrgSettings } from "@/lib/settings/org";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness: 200 once the database answers and a first start has loaded its demo (503 "starting"
 * before: tests and `npm start` wait for this). Anonymous callers (load balancers) learn only that; a signed-in user
 * or an API token also the database kind and the demo state, which are nobody else's business.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    // Not ready while a first start loads the demo (the proxy answers every page with its progress meanwhile).
    // Anonymous callers learn only "starting", never that a demo is involved.
    const loading = demoLoading();
    if (loading) {
      const access = await apiAccess(request);
      return Response.json(
        access.ok ? { status: "starting", phase: demoLoadPhase(loading) } : { status: "starting" },
        { status: 503, headers: { "retry-after": "3", "cache-control": "no-store" } },
      );
    }
    const handle = await getDbHandle();
    await handle.db.execute(sql`select 1`);
    const access = await apiAccess(request);
    if (!access.ok) return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
    const settings = await getOrgSettings(handle.db);
    return Response.json({ status: "ok", database: handle.kind, demo: settings.demoState });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
