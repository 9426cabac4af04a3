import { createHmac, randomUUID } from "node:crypto";
import { Webhooks } from "@octokit/webhooks";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { receiveGitHubWebhook } from "@/lib/ingest/webhooks/github/receive";

export const SECRET = "test-webhook-secret-0123456789";

/** A GitHub delivery as GitHub sends it: raw JSON, signed with the shared secret. */
export async function deliver(
  db: Db,
  event: string,
  payload: unknown,
  o: {
    id?: string;
    secret?: string | null;
    signWith?: string;
    config?: ThroughlineConfig | null;
    body?: string;
    headers?: Record<string, string>;
    requestSync?: (repository: string, why: string) => void;
  } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = o.body ?? JSON.stringify(payload);
  // octokit refuses to sign an empty body; GitHub's scheme is plain HMAC-SHA256 of the raw bytes.
  const signature =
    body === ""
      ? `sha256=${createHmac("sha256", o.signWith ?? SECRET)
          .update(body)
          .digest("hex")}`
      : await new Webhooks({ secret: o.signWith ?? SECRET }).sign(body);
  const request = new Request("http://localhost/api/webhooks/github", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": o.id ?? randomUUID(),
      "x-hub-signature-256": signature,
      ...o.headers,
    },
    body,
  });
  const response = await receiveGitHubWebhook(db, request, {
    secret: o.secret === null ? undefined : (o.secret ?? SECRET),
    config: o.config ?? null,
    requestSync: o.requestSync,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
