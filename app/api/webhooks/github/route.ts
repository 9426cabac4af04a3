import { ConfigError, loadConfig } from "@/lib/config/load";
import { getDb } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { receiveGitHubWebhook } from "@/lib/ingest/webhooks/github/receive";
import { requestRepositorySync } from "@/lib/ingest/webhooks/github/sync-soon";

export const dynamic = "force-dynamic";

/** POST /api/webhooks/github: GitHub webhook deliveries (README § GitHub webhooks). */
export async function POST(request: Request): Promise<Response> {
  const env = readEnv();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env.THROUGHLINE_CONFIG);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // GitHub shows the answer in the delivery log, and the delivery can be redelivered once the file is fixed.
    return Response.json({ error: "config_invalid", message: error.message }, { status: 503 });
  }
  const db = await getDb();
  return receiveGitHubWebhook(db, request, {
    secret: env.GITHUB_WEBHOOK_SECRET,
    config: config?.config ?? null,
    requestSync: (repository) => requestRepositorySync(db, repository),
  });
}
