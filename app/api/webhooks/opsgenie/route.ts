import { getDb } from "@/lib/db";
import { receiveOpsgenieWebhook } from "@/lib/ingest/opsgenie/webhook";
import { webhookSetup } from "@/lib/ingest/source/webhook-setup";

export const dynamic = "force-dynamic";

/** POST /api/webhooks/opsgenie: the Opsgenie Webhook integration's alert actions (README § Opsgenie). */
export async function POST(request: Request): Promise<Response> {
  const setup = webhookSetup("OPSGENIE_WEBHOOK_SECRET");
  if (setup instanceof Response) return setup;
  return receiveOpsgenieWebhook(await getDb(), request, {
    secret: setup.secret,
    config: setup.config?.opsgenie ?? null,
  });
}
