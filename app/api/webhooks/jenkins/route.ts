import { getDb } from "@/lib/db";
import { receiveJenkinsWebhook } from "@/lib/ingest/jenkins/webhook";
import { webhookSetup } from "@/lib/ingest/source/webhook-setup";

export const dynamic = "force-dynamic";

/** POST /api/webhooks/jenkins: the Notification plugin's JSON posts (README § Jenkins). */
export async function POST(request: Request): Promise<Response> {
  const setup = webhookSetup("JENKINS_WEBHOOK_SECRET");
  if (setup instanceof Response) return setup;
  return receiveJenkinsWebhook(await getDb(), request, setup);
}
