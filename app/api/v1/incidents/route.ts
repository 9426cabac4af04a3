import { getDb } from "@/lib/db";
import { postIncident } from "@/lib/push/routes";

export const dynamic = "force-dynamic";

/** POST /api/v1/incidents: open (or update) an incident (README § Push API). */
export async function POST(request: Request): Promise<Response> {
  return postIncident(await getDb(), request);
}
