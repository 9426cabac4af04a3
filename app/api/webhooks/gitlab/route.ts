import { getDb } from "@/lib/db";
import { receiveGitLabWebhook } from "@/lib/ingest/gitlab/webhook";
import { webhookSetup } from "@/lib/ingest/source/webhook-setup";

export const dynamic = "force-dynamic";

/** POST /api/webhooks/gitlab: a project's or group's webhook (README § GitLab). */
export async function POST(request: Request): Promise<Response> {
  const setup = webhookSetup("GITLAB_WEBHOOK_SECRET");
  if (setup instanceof Response) return setup;
  return receiveGitLabWebhook(await getDb(), request, setup);
}
