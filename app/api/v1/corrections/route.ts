import { getDb } from "@/lib/db";
import { getCorrections, postCorrection } from "@/lib/push/routes";

export const dynamic = "force-dynamic";

/** POST /api/v1/corrections: correct a deployment, a pull request or an incident link by hand. */
export async function POST(request: Request): Promise<Response> {
  return postCorrection(await getDb(), request);
}

/** GET /api/v1/corrections?deployment=123: the corrections of a deployment, active and revoked. */
export async function GET(request: Request): Promise<Response> {
  return getCorrections(await getDb(), request);
}
