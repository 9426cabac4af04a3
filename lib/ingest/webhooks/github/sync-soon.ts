import type { Db } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { currentSync, runSync } from "@/lib/ingest/activity";
import { queueStarted } from "@/lib/queue";
import { enqueueSync } from "@/lib/queue/sync";

/**
 * Webhook payloads lack a few things the API has (commit parents, a release's commit). With GitHub credentials
 * configured, a delivery that needs them asks for a sync of its repository: batched for a few seconds (a merge sends
 * several events), one sync at a time, retried while another sync runs. Without credentials this does nothing and
 * the webhook data stands on its own (README § GitHub webhooks).
 */

const DELAY_MS = 10_000;
const g = globalThis as unknown as {
  __tlWebhookSync?: { pending: Set<string>; timer: NodeJS.Timeout | null };
};

export function hasGitHubCredentials(): boolean {
  const env = readEnv();
  return Boolean(env.GITHUB_TOKEN || env.GITHUB_APP_ID);
}

/**
 * Asks for a sync of one scope of a source (GitHub by default; GitLab's webhooks use it too). Pending requests are
 * kept per source and scope.
 */
export function requestRepositorySync(
  db: Db,
  repository: string,
  source: "github" | "gitlab" = "github",
  hasCredentials: () => boolean = hasGitHubCredentials,
): void {
  if (!hasCredentials()) return;
  // With a job queue (a started server) the follow-up is a queued sync of the scope, batched the same way.
  if (queueStarted()) {
    void enqueueSync(source, "webhook", repository, DELAY_MS / 1000).catch((error: Error) =>
      console.error(`[throughline] could not queue a sync of ${repository}: ${error.message}`),
    );
    return;
  }
  g.__tlWebhookSync ??= { pending: new Set(), timer: null };
  const state = g.__tlWebhookSync;
  state.pending.add(`${source} ${repository}`);
  if (state.timer) return;
  const tick = async () => {
    state.timer = null;
    if (currentSync()?.running) {
      state.timer = setTimeout(tick, DELAY_MS * 6);
      state.timer.unref?.();
      return;
    }
    const [pending] = state.pending;
    if (!pending) return;
    state.pending.delete(pending);
    const [name, next] = pending.split(" ", 2) as [string, string];
    await runSync(db, "webhook", { source: name, repo: next, log: () => {} }).catch((error: unknown) =>
      console.error(`[throughline] sync of ${next} after a webhook failed: ${(error as Error).message}`),
    );
    if (state.pending.size) {
      state.timer = setTimeout(tick, 0);
      state.timer.unref?.();
    }
  };
  state.timer = setTimeout(tick, DELAY_MS);
  state.timer.unref?.();
}
