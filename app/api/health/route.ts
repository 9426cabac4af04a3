import { sql } from "drizzle-orm";
import { getDbHandle } from "@/lib/db";
import { getOrgSettings } from "@/lib/settings/org";

export const dynamic = "force-dynamic";

/** Liveness and readiness: 200 once the database answers. */
export async function GET(): Promise<Response> {
  try {
    const handle = await getDbHandle();
    await handle.db.execute(sql`select 1`);
    const settings = await getOrgSettings(handle.db);
    return Response.json({ status: "ok", database: handle.kind, demo: settings.demoState });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
