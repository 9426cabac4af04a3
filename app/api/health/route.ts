import { sql } from "drizzle-orm";
import { apiAccess } from "@/lib/auth/current";
import { getDbHandle } from "@/lib/db";
import { getOrgSettings } from "@/lib/settings/org";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness: 200 once the database answers. Anonymous callers (load balancers) learn only that; a
 * signed-in user or an API token also the database kind and the demo state, which are nobody else's business.
 */
export async function GET(request: Request): Promise<Response> {
  try {
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
