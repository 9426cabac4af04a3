import { getDb } from "@/lib/db";
import { postDeployment } from "@/lib/push/routes";

export const dynamic = "force-dynamic";

/** POST /api/v1/deployments: a deployment from any CI/CD tool (README § Push API). */
export async function POST(request: Request): Promise<Response> {
  return postDeployment(await getDb(), request);
}
