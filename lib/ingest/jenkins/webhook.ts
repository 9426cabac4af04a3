import { createHash } from "node:crypto";
import { z } from "zod";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { RepositoryNames } from "@/lib/ingest/source/repositories";
import { checkSharedSecret, parseJsonObject, receiveWebhook } from "@/lib/ingest/source/webhook";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { HttpError } from "@/lib/push/http";
import { writeBuilds } from "./builds";
import { wanted } from "./jobs";
import { type BuildFacts, branchName, classify } from "./map";

/**
 * POST /api/webhooks/jenkins: the Notification plugin's JSON posts (one per phase: QUEUED, STARTED, COMPLETED,
 * FINALIZED), on the shared receiver. The plugin signs nothing; it sends the user-info of its URL as HTTP Basic
 * auth, so the shared secret travels as that password (`https://jenkins:<secret>@…`), or as `X-Throughline-Token`
 * from a pipeline step. It sends no delivery id either: the body's hash is one (a phase posted twice is the same
 * body). Builds go through the poller's mapping, for freshness; the next sync rewrites them with the API's
 * complete facts (queue time, causes).
 */

export const MAX_JENKINS_BYTES = 5 * 1_048_576;

const When = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "must be a time (ms since the epoch or ISO 8601)" });
    return z.NEVER;
  }
  return ms;
});

export const NotificationPayload = z.object({
  name: z.string().min(1),
  url: z.string().optional(),
  build: z.object({
    full_url: z.string().nullish(),
    number: z.number().int().positive(),
    phase: z.enum(["QUEUED", "STARTED", "COMPLETED", "FINALIZED", "NONE"]),
    status: z.string().nullish(),
    timestamp: When,
    duration: z.number().min(0).default(0),
    scm: z
      .object({ url: z.string().nullish(), branch: z.string().nullish(), commit: z.string().nullish() })
      .nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type NotificationPayload = z.output<typeof NotificationPayload>;

/** `job/payments/job/api/job/main/` → `payments/api/main`; else the plugin's (short) job name. */
export function jobFromUrl(url: string | undefined, name: string): string {
  const parts = [...(url ?? "").matchAll(/(?:^|\/)job\/([^/]+)/g)].map((m) =>
    decodeURIComponent(m[1] as string),
  );
  return parts.length ? parts.join("/") : name;
}

/** A notification as build facts, or null for a phase that says nothing we store (QUEUED). */
export function notificationFacts(p: NotificationPayload): BuildFacts | null {
  const b = p.build;
  if (b.phase === "QUEUED" || b.phase === "NONE") return null;
  const done = b.phase !== "STARTED";
  // STARTED carries the build's own timestamp; COMPLETED that plus its duration; FINALIZED the time it was sent.
  const startedAt = new Date(done ? b.timestamp - b.duration : b.timestamp);
  const sha = b.scm?.commit && /^[0-9a-f]{40}$/i.test(b.scm.commit) ? b.scm.commit.toLowerCase() : null;
  return {
    job: jobFromUrl(p.url, p.name),
    number: b.number,
    url: b.full_url ?? null,
    result: done ? (b.status ?? null) : null,
    building: !done,
    queuedAt: null,
    startedAt,
    finishedAt: done ? new Date(b.timestamp) : null,
    sha,
    branch: branchName(b.scm?.branch),
    remote: b.scm?.url ?? null,
    parameters: Object.fromEntries(
      Object.entries(b.parameters ?? {})
        .filter(([, v]) => v !== null && typeof v !== "object")
        .map(([k, v]) => [k, String(v)]),
    ),
    trigger: "unknown",
    event: null,
    attempt: 1,
  };
}

export function receiveJenkinsWebhook(
  db: Db,
  request: Request,
  o: { secret: string | undefined; config: ThroughlineConfig | null },
): Promise<Response> {
  return receiveWebhook<NotificationPayload>(db, request, {
    source: "jenkins",
    label: "Jenkins",
    secret: o.secret,
    secretEnv: "JENKINS_WEBHOOK_SECRET",
    maxBytes: MAX_JENKINS_BYTES,
    verify: (request, _body, secret) =>
      checkSharedSecret(request, secret, {
        secretEnv: "JENKINS_WEBHOOK_SECRET",
        how: "put it in the notification URL (https://jenkins:<secret>@…/api/webhooks/jenkins) or send X-Throughline-Token",
      }),
    parse(_request, body) {
      const parsed = NotificationPayload.safeParse(parseJsonObject(body));
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      throw new HttpError(
        400,
        "invalid_payload",
        `not a Notification plugin JSON payload: ${issue?.path.join(".") || "payload"}: ${issue?.message}`,
      );
    },
    identify: (_request, p, body) => ({
      deliveryId: `sha256:${createHash("sha256").update(body).digest("hex")}`,
      event: "build",
      action: p.build.phase.toLowerCase(),
      repository: null,
    }),
    async handle(tx, d) {
      const facts = notificationFacts(d.payload);
      if (!facts) return { status: "ignored", note: `${d.payload.build.phase} notifications are not stored` };
      const config: Pick<ThroughlineConfig, "deployments" | "jenkins"> = o.config ?? {
        deployments: { environments: [], rules: [], lines: [] },
      };
      if (config.jenkins && !wanted(config.jenkins, facts.job))
        return { status: "ignored", note: `${facts.job} is not among the jobs in jenkins.jobs` };
      const names = await RepositoryNames.load(tx);
      const c = classify(config, facts, (n) => names.resolve(n));
      if (c.kind === "skipped")
        return { status: "ignored", note: `${facts.job} #${facts.number}: ${c.reason}` };
      await writeBuilds(tx, [c]);
      return { status: "processed", repository: c.kind === "build" ? c.repository : c.record.repository };
    },
    after: () => deriveSoon(db),
  });
}
