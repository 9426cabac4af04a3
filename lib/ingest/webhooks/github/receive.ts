import { Webhooks } from "@octokit/webhooks";
import { and, eq, lt, sql } from "drizzle-orm";
import { ZodError } from "zod";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { repositories, services, webhookDeliveries } from "@/lib/db/schema";
import { matchesAny } from "@/lib/domain/glob";
import { RecordError, UnknownReferenceError, upsertRepositories } from "@/lib/ingest/store";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { errorResponse, HttpError, readBody } from "@/lib/push/http";
import { HANDLERS, type Outcome } from "./events";
import { RepositoryPayload } from "./payloads";

/**
 * POST /api/webhooks/github. Verifies the signature (constant-time, @octokit/webhooks) over the raw body, then
 * processes the delivery exactly once: the delivery row is claimed in the same transaction as the writes, so a
 * redelivery (or the same delivery racing itself) finds it and changes nothing, and a failed delivery leaves no
 * half-written data and may be redelivered.
 */

/** GitHub caps payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1_048_576;
const KEEP_DAYS = 30;

export interface WebhookOptions {
  secret: string | undefined;
  config: ThroughlineConfig | null;
  /** Ask for an API sync of a repository (when credentials are configured). */
  requestSync?: (repository: string, why: string) => void;
}

export async function receiveGitHubWebhook(db: Db, request: Request, o: WebhookOptions): Promise<Response> {
  try {
    if (!o.secret) {
      throw new HttpError(
        503,
        "not_configured",
        "GitHub webhooks are off: set GITHUB_WEBHOOK_SECRET on the server",
      );
    }
    const event = request.headers.get("x-github-event");
    const delivery = request.headers.get("x-github-delivery");
    if (!event || !/^[a-z_]{1,60}$/.test(event))
      throw new HttpError(400, "bad_request", "missing X-GitHub-Event header");
    if (!delivery || !/^[\w-]{1,100}$/.test(delivery)) {
      throw new HttpError(400, "bad_request", "missing or malformed X-GitHub-Delivery header");
    }
    const body = await readBody(request, MAX_WEBHOOK_BYTES);
    const signature = request.headers.get("x-hub-signature-256");
    if (!signature)
      throw new HttpError(
        401,
        "unsigned",
        "missing X-Hub-Signature-256: give the webhook a secret in GitHub",
      );
    if (!(await new Webhooks({ secret: o.secret }).verify(body, signature).catch(() => false))) {
      throw new HttpError(401, "bad_signature", "the signature does not match: check GITHUB_WEBHOOK_SECRET");
    }
    const payload = parsePayload(body, request.headers.get("content-type"));
    if (event === "ping") return answer(200, { delivery, event, status: "pong" });
    const outcome = await process(db, o, { event, delivery, payload });
    if (outcome.status === "processed") deriveSoon(db);
    return answer(outcome.duplicate ? 200 : 202, { delivery, event, ...outcome });
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    throw error;
  }
}

const answer = (status: number, body: object) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

/** GitHub sends JSON, or (a webhook option) a form with the JSON in `payload`. */
function parsePayload(body: string, contentType: string | null): Record<string, unknown> {
  let text = body;
  if (/^application\/x-www-form-urlencoded/i.test(contentType ?? "")) {
    text = new URLSearchParams(body).get("payload") ?? "";
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new HttpError(400, "invalid_json", "the payload is not a JSON object");
}

interface Delivery {
  event: string;
  delivery: string;
  payload: Record<string, unknown>;
}

type Processed = Outcome & { duplicate?: true; repository?: string };

async function process(db: Db, o: WebhookOptions, d: Delivery): Promise<Processed> {
  const handler = HANDLERS[d.event];
  const action = typeof d.payload.action === "string" ? d.payload.action : null;
  const repo = RepositoryPayload.safeParse(d.payload.repository);
  const fullName = repo.success ? repo.data.full_name : null;
  const skip = !handler
    ? `${d.event} events are not used`
    : !repo.success
      ? "the payload names no repository"
      : !accepts(o.config, repo.data.full_name)
        ? `${repo.data.full_name} is not among the configured repositories`
        : null;
  const base = { deliveryId: d.delivery, event: d.event, action, repository: fullName };
  await db
    .delete(webhookDeliveries)
    .where(lt(webhookDeliveries.receivedAt, sql`now() - make_interval(days => ${KEEP_DAYS})`));
  try {
    return await db.transaction(async (tx): Promise<Processed> => {
      // Claim the delivery; a failed one may be claimed again (GitHub's "Redeliver").
      const claimed = await tx
        .insert(webhookDeliveries)
        .values({ ...base, status: "processing" })
        .onConflictDoUpdate({
          target: webhookDeliveries.deliveryId,
          set: { status: "processing", error: null, receivedAt: new Date() },
          setWhere: eq(webhookDeliveries.status, "failed"),
        })
        .returning({ id: webhookDeliveries.deliveryId });
      if (claimed.length === 0) return { status: "ignored", note: "already received", duplicate: true };
      let outcome: Outcome;
      if (skip || !handler || !repo.success) outcome = { status: "ignored", note: skip ?? "" };
      else {
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
        outcome = await handler({
          tx,
          config: o.config ?? EMPTY_CONFIG,
          repo: { id, fullName: r.full_name, defaultBranch: row?.defaultBranch ?? "main", pathServices },
          payload: d.payload,
          requestSync: (why) => o.requestSync?.(r.full_name, why),
        });
      }
      await tx
        .update(webhookDeliveries)
        .set({ status: outcome.status, error: outcome.note ?? null, processedAt: new Date() })
        .where(eq(webhookDeliveries.deliveryId, d.delivery));
      return { ...outcome, ...(fullName ? { repository: fullName } : {}) };
    });
  } catch (error) {
    const message = describe(error);
    await db
      .insert(webhookDeliveries)
      .values({ ...base, status: "failed", error: message.slice(0, 2_000), processedAt: new Date() })
      .onConflictDoUpdate({
        target: webhookDeliveries.deliveryId,
        set: { status: "failed", error: message.slice(0, 2_000), processedAt: new Date() },
      });
    if (error instanceof ZodError || error instanceof RecordError || error instanceof UnknownReferenceError) {
      throw new HttpError(400, "invalid_payload", `${d.event}: ${message}`);
    }
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "payload"}: ${i.message}`)
      .join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

/** Only configured repositories are tracked; with no github section every repository that sends events is. */
function accepts(config: ThroughlineConfig | null, fullName: string): boolean {
  const gh = config?.github;
  if (!gh) return true;
  if (gh.exclude.some((x) => matchesAny(fullName, [x]))) return false;
  const owner = fullName.split("/")[0] as string;
  return (
    gh.repositories.includes(fullName) || gh.orgs.some((org) => org.toLowerCase() === owner.toLowerCase())
  );
}

const EMPTY_CONFIG: ThroughlineConfig = {
  teams: [],
  deployments: { environments: [], rules: [], lines: [] },
  incidents: { labels: ["incident"], serviceLabels: {} },
  bots: [],
};
