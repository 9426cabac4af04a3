import { Webhooks } from "@octokit/webhooks";
import { and, eq } from "drizzle-orm";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db, Tx } from "@/lib/db";
import { repositoryKey } from "@/lib/db/repository-name";
import { repositories, services } from "@/lib/db/schema";
import { matchesAny } from "@/lib/domain/glob";
import { parseJsonObject, receiveWebhook, type WebhookDelivery } from "@/lib/ingest/source/webhook";
import { upsertRepositories } from "@/lib/ingest/store";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { HttpError } from "@/lib/push/http";
import { HANDLERS, type Outcome } from "./events";
import { RepositoryPayload } from "./payloads";

/**
 * POST /api/webhooks/github, on the shared receiver (lib/ingest/source/webhook.ts): the signature
 * (X-Hub-Signature-256, constant-time, @octokit/webhooks) is checked over the raw body, and each delivery
 * (X-GitHub-Delivery) is processed exactly once.
 */

/** GitHub caps payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1_048_576;

export interface WebhookOptions {
  secret: string | undefined;
  config: ThroughlineConfig | null;
  /** Ask for an API sync of a repository (when credentials are configured). */
  requestSync?: (repository: string, why: string) => void;
}

type Payload = Record<string, unknown>;

export function receiveGitHubWebhook(db: Db, request: Request, o: WebhookOptions): Promise<Response> {
  return receiveWebhook<Payload>(db, request, {
    source: "github",
    label: "GitHub",
    secret: o.secret,
    secretEnv: "GITHUB_WEBHOOK_SECRET",
    maxBytes: MAX_WEBHOOK_BYTES,
    precheck(request) {
      const event = request.headers.get("x-github-event");
      const delivery = request.headers.get("x-github-delivery");
      // Event names may carry digits (projects_v2_item): acknowledged and ignored like every unused event.
      if (!event || !/^[a-z0-9_]{1,60}$/.test(event))
        throw new HttpError(400, "bad_request", "missing X-GitHub-Event header");
      if (!delivery || !/^[\w-]{1,100}$/.test(delivery)) {
        throw new HttpError(400, "bad_request", "missing or malformed X-GitHub-Delivery header");
      }
    },
    async verify(request, body, secret) {
      const signature = request.headers.get("x-hub-signature-256");
      if (!signature)
        throw new HttpError(
          401,
          "unsigned",
          "missing X-Hub-Signature-256: give the webhook a secret in GitHub",
        );
      if (!(await new Webhooks({ secret }).verify(body, signature).catch(() => false))) {
        throw new HttpError(
          401,
          "bad_signature",
          "the signature does not match: check GITHUB_WEBHOOK_SECRET",
        );
      }
    },
    parse: (request, body) => parsePayload(body, request.headers.get("content-type")),
    identify(request, payload) {
      const repo = RepositoryPayload.safeParse(payload.repository);
      return {
        deliveryId: request.headers.get("x-github-delivery") as string,
        event: request.headers.get("x-github-event") as string,
        action: typeof payload.action === "string" ? payload.action : null,
        repository: repo.success ? repo.data.full_name : null,
      };
    },
    immediate: (d) => (d.event === "ping" ? { status: "pong" } : null),
    handle: (tx, d) => handle(tx, o, d),
    after: () => deriveSoon(db),
  });
}

/** GitHub sends JSON, or (a webhook option) a form with the JSON in `payload`. */
function parsePayload(body: string, contentType: string | null): Payload {
  const text = /^application\/x-www-form-urlencoded/i.test(contentType ?? "")
    ? (new URLSearchParams(body).get("payload") ?? "")
    : body;
  return parseJsonObject(text);
}

async function handle(tx: Tx, o: WebhookOptions, d: WebhookDelivery<Payload>): Promise<Outcome> {
  const handler = HANDLERS[d.event];
  const repo = RepositoryPayload.safeParse(d.payload.repository);
  const skip = !handler
    ? `${d.event} events are not used`
    : !repo.success
      ? "the payload names no repository"
      : !accepts(o.config, repo.data.full_name)
        ? `${repo.data.full_name} is not among the configured repositories`
        : null;
  if (skip || !handler || !repo.success) return { status: "ignored", note: skip ?? "" };
  const r = repo.data;
  const ids = await upsertRepositories(tx, [
    {
      fullName: r.full_name,
      provider: "github",
      url: r.html_url ?? null,
      ...(r.default_branch ? { defaultBranch: r.default_branch } : {}),
      archived: r.archived ?? false,
      source: "webhook",
    },
  ]);
  const id = ids.get(r.full_name) as number;
  const [row] = await tx
    .select({ defaultBranch: repositories.defaultBranch })
    .from(repositories)
    .where(eq(repositories.id, id));
  const pathServices = await tx
    .select({ name: services.name })
    .from(services)
    .where(and(eq(services.repositoryId, id), eq(services.isDefault, false)));
  return handler({
    tx,
    config: o.config ?? EMPTY_CONFIG,
    repo: { id, fullName: r.full_name, defaultBranch: row?.defaultBranch ?? "main", pathServices },
    payload: d.payload,
    requestSync: (why) => o.requestSync?.(r.full_name, why),
  });
}

/** Only configured repositories are tracked; with no github section every repository that sends events is. */
function accepts(config: ThroughlineConfig | null, fullName: string): boolean {
  const gh = config?.github;
  if (!gh) return true;
  if (gh.exclude.some((x) => matchesAny(fullName, [x]))) return false;
  const owner = fullName.split("/")[0] as string;
  return (
    gh.repositories.some((r) => repositoryKey(r) === repositoryKey(fullName)) ||
    gh.orgs.some((org) => org.toLowerCase() === owner.toLowerCase())
  );
}

const EMPTY_CONFIG: ThroughlineConfig = {
  teams: [],
  deployments: { environments: [], rules: [], lines: [] },
  incidents: { labels: ["incident"], serviceLabels: {} },
  bots: [],
};
