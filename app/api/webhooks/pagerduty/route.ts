import { getDb } from "@/lib/db";
import { receivePagerDutyWebhook } from "@/lib/ingest/pagerduty/webhook";
import { webhookSetup } from "@/lib/ingest/source/webhook-setup";

export const dynamic = "force-dynamic";

/** POST /api/webhooks/pagerduty: PagerDuty webhooks v3 (README § PagerDuty). */
export async function POST(request: Request): Promise<Response> {
  const setup = webhookSetup("PAGERDUTY_WEBHOOK_SECRET");
  if (setup instanceof Response) return setup;
  return receivePagerDutyWebhook(await getDb(), request, {
    secret: setup.secret,
    config: setup.config?.pagerduty ?? null,
  });
}
