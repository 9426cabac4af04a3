import { createHash } from "node:crypto";
import { z } from "zod";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { matchesAny } from "@/lib/domain/glob";
import { tagDeployment } from "@/lib/ingest/github/sync/releases";
import { ensureRepositories } from "@/lib/ingest/source/repositories";
import { secretsEqual } from "@/lib/ingest/source/secrets";
import { parseJsonObject, receiveWebhook, type WebhookOutcome } from "@/lib/ingest/source/webhook";
import { upsertDeployments, upsertIncidents } from "@/lib/ingest/store";
import { requestRepositorySync } from "@/lib/ingest/webhooks/github/sync-soon";
import { deriveSoon } from "@/lib/metrics/derive/soon";
import { HttpError } from "@/lib/push/http";
import { isIncident, mapGlIssue, SOURCE } from "./map";
import { writeGlDeployments } from "./streams";
import { hookTime, MergeRequest, onMergeRequest, onPush, Project, Push, Sha } from "./webhook-changes";
import { Job, onJobHook, onPipelineHook, Pipeline } from "./webhook-ci";

/**
 * POST /api/webhooks/gitlab on the shared receiver: `X-Gitlab-Token` compared in constant time with
 * GITLAB_WEBHOOK_SECRET; the delivery id is GitLab's `Idempotency-Key` (the same on every retry), else
 * `X-Gitlab-Event-UUID`, else the body's hash. Push, merge request, pipeline (with its jobs), job, deployment,
 * release, tag push and issue events are mapped by the sync's own functions and written in the delivery's
 * transaction. Push and merge request payloads carry less than the API (no parents, no notes): what they store
 * never overwrites what a sync stored (./webhook-changes.ts), and with GITLAB_TOKEN a sync of the project follows.
 * Other events are acknowledged and ignored.
 */

export const MAX_GITLAB_BYTES = 25 * 1_048_576;
const FOLLOW_UP = "stored; a sync of the project follows";

const time = hookTime;

const Deployment = z.object({
  object_kind: z.literal("deployment"),
  project: Project,
  status: z.string(),
  status_changed_at: time,
  deployment_id: z.number().int(),
  deployable_id: z.number().int().nullish(),
  deployable_url: z.string().nullish(),
  environment: z.string().min(1),
  environment_tier: z.string().nullish(),
  commit_url: z.string(),
  ref: z.string().nullish(),
});
const Release = z.object({
  object_kind: z.literal("release"),
  action: z.string().nullish(),
  project: Project,
  tag: z.string(),
  released_at: time.nullish(),
  created_at: time,
  url: z.string().nullish(),
  commit: z.object({ id: Sha }),
});
const TagPush = z.object({
  object_kind: z.literal("tag_push"),
  project: Project,
  ref: z.string(),
  checkout_sha: Sha.nullish(),
  commits: z.array(z.object({ id: z.string(), timestamp: time })).default([]),
});
const Issue = z.object({
  object_kind: z.enum(["issue", "work_item"]),
  project: Project,
  labels: z.array(z.object({ title: z.string() })).default([]),
  object_attributes: z.object({
    iid: z.number().int(),
    title: z.string(),
    description: z.string().nullish(),
    state: z.enum(["opened", "closed"]),
    created_at: time,
    closed_at: time.nullish(),
    url: z.string(),
    type: z.string().nullish(),
    issue_type: z.string().nullish(),
  }),
});
const Other = z.object({ object_kind: z.string(), project: Project.nullish() });
/** The events we map, by `object_kind`; a payload of one of them must have its fields (else 400). */
const KINDS: Record<string, z.ZodType> = {
  push: Push,
  merge_request: MergeRequest,
  pipeline: Pipeline,
  build: Job,
  deployment: Deployment,
  release: Release,
  tag_push: TagPush,
  issue: Issue,
  work_item: Issue,
};
type Payload =
  | z.output<typeof Push>
  | z.output<typeof MergeRequest>
  | z.output<typeof Pipeline>
  | z.output<typeof Job>
  | z.output<typeof Deployment>
  | z.output<typeof Release>
  | z.output<typeof TagPush>
  | z.output<typeof Issue>
  | z.output<typeof Other>;

/** Whether the config's gitlab section reads this project (listed, or in a listed group, and not excluded). */
export function readsProject(config: ThroughlineConfig | null, path: string): boolean {
  const gl = config?.gitlab;
  if (!gl) return false;
  const listed = gl.projects.includes(path) || gl.groups.some((g) => path.startsWith(`${g}/`));
  return listed && !gl.exclude.some((x) => matchesAny(path, [x]));
}

export function receiveGitLabWebhook(
  db: Db,
  request: Request,
  o: { secret: string | undefined; config: ThroughlineConfig | null; hasToken?: () => boolean },
): Promise<Response> {
  const config = o.config;
  const hasToken = o.hasToken ?? (() => Boolean(process.env.GITLAB_TOKEN?.trim()));
  return receiveWebhook<Payload>(db, request, {
    source: SOURCE,
    label: "GitLab",
    secret: o.secret,
    secretEnv: "GITLAB_WEBHOOK_SECRET",
    maxBytes: MAX_GITLAB_BYTES,
    verify(req, _body, secret) {
      const given = req.headers.get("x-gitlab-token");
      if (!given)
        throw new HttpError(401, "unauthenticated", "no X-Gitlab-Token: set the webhook's Secret token");
      if (!secretsEqual(given, secret))
        throw new HttpError(401, "bad_secret", "X-Gitlab-Token does not match GITLAB_WEBHOOK_SECRET");
    },
    parse(_req, body) {
      const object = parseJsonObject(body);
      const kind = typeof object.object_kind === "string" ? object.object_kind : "";
      const parsed = (KINDS[kind] ?? Other).safeParse(object);
      if (parsed.success) return parsed.data as Payload;
      const issue = parsed.error.issues[0];
      throw new HttpError(
        400,
        "invalid_payload",
        `not a GitLab webhook payload: ${issue?.path.join(".") || "payload"}: ${issue?.message}`,
      );
    },
    identify: (req, p, body) => ({
      deliveryId:
        req.headers.get("idempotency-key") ??
        req.headers.get("x-gitlab-event-uuid") ??
        `sha256:${createHash("sha256").update(body).digest("hex")}`,
      event: req.headers.get("x-gitlab-event") ?? p.object_kind,
      // A merge request event's action (open, approved, merge…) is in its object_attributes.
      action:
        "action" in p
          ? (p.action ?? null)
          : p.object_kind === "merge_request"
            ? ((p as z.output<typeof MergeRequest>).object_attributes.action ?? null)
            : null,
      repository: p.project?.path_with_namespace ?? null,
    }),
    async handle(tx, d): Promise<WebhookOutcome> {
      const p = d.payload;
      const path = p.project?.path_with_namespace;
      if (!path || !readsProject(config, path))
        return {
          status: "ignored",
          note: `${path ?? "no project"} is not among the projects the gitlab section reads`,
        };
      const cfg = config as ThroughlineConfig;
      const project = { path, defaultBranch: p.project?.default_branch ?? "main" };
      const done = (n: number, what: string): WebhookOutcome =>
        n ? { status: "processed", repository: path } : { status: "ignored", note: what };
      const ids = await ensureRepositories(tx, SOURCE, [path]);
      const repoId = ids.get(path) as number;
      // Push and merge request payloads lack what the sync reads (parents, commits, notes): it follows when it can.
      const more = (n: number, what: string): WebhookOutcome =>
        hasToken()
          ? { status: "processed", repository: path, note: FOLLOW_UP }
          : n
            ? {
                status: "processed",
                repository: path,
                note: `${what}; GITLAB_TOKEN would let a sync complete it`,
              }
            : { status: "ignored", note: what };
      if (p.object_kind === "push") {
        const n = await onPush(tx, cfg, repoId, p as z.output<typeof Push>, project.defaultBranch);
        return more(n, n ? `${n} commit(s) stored` : "not a push of commits to the default branch");
      }
      if (p.object_kind === "merge_request") {
        const m = p as z.output<typeof MergeRequest>;
        await onMergeRequest(tx, cfg, repoId, m);
        return more(1, `!${m.object_attributes.iid} ${m.object_attributes.action ?? ""}`.trim());
      }
      const web = p.project && "web_url" in p.project ? p.project.web_url : null;
      const jobUrl = (id: number) => (web ? `${web}/-/jobs/${id}` : null);
      const ci = { config: cfg, project, repoId, jobUrl };
      if (p.object_kind === "pipeline") {
        await onPipelineHook(tx, ci, p as z.output<typeof Pipeline>);
        return done(1, "");
      }
      if (p.object_kind === "build") {
        await onJobHook(tx, ci, p as z.output<typeof Job>);
        return done(1, "");
      }
      if (p.object_kind === "deployment") {
        const x = p as z.output<typeof Deployment>;
        const sha = /\/commit\/([0-9a-f]{40})\b/i.exec(x.commit_url)?.[1]?.toLowerCase();
        if (!sha) throw new HttpError(400, "invalid_payload", "commit_url names no commit SHA");
        const written = await writeGlDeployments(tx, { config: cfg, project }, [
          {
            id: x.deployment_id,
            environment: x.environment,
            tier: x.environment_tier ?? null,
            sha,
            ref: x.ref ?? null,
            status: x.status,
            createdAt: x.status_changed_at,
            startedAt: null,
            finishedAt: x.status_changed_at,
            url: x.deployable_url ?? null,
            byJob: x.deployable_id != null,
          },
        ]);
        return done(written.length, `${x.environment} is an ignored environment`);
      }
      if (p.object_kind === "release" || p.object_kind === "tag_push") {
        const item =
          p.object_kind === "release"
            ? (() => {
                const r = p as z.output<typeof Release>;
                if (r.action === "delete") return null;
                const at = r.released_at ?? r.created_at;
                return {
                  kind: "release" as const,
                  name: r.tag,
                  sha: r.commit.id.toLowerCase(),
                  at,
                  url: r.url ?? null,
                };
              })()
            : (() => {
                const t = p as z.output<typeof TagPush>;
                const commit = t.commits.find((c) => c.id === t.checkout_sha);
                if (!t.checkout_sha || !commit) return null; // a deleted tag, or a commit the payload does not time
                const name = t.ref.replace(/^refs\/tags\//, "");
                return {
                  kind: "tag" as const,
                  name,
                  sha: t.checkout_sha.toLowerCase(),
                  at: commit.timestamp,
                  url: null,
                };
              })();
        const record = item && tagDeployment(cfg, path, item.kind, { ...item, bot: false }, SOURCE);
        if (record) await upsertDeployments(tx, [record]);
        return done(record ? 1 : 0, "no release or tag rule matches");
      }
      if (p.object_kind === "issue" || p.object_kind === "work_item") {
        const i = (p as z.output<typeof Issue>).object_attributes;
        const labels = (p as z.output<typeof Issue>).labels.map((l) => l.title);
        const type = (i.issue_type ?? i.type ?? "issue").toLowerCase();
        if (!isIncident({ issue_type: type, labels }, cfg.incidents.labels))
          return { status: "ignored", note: "not an incident" };
        await upsertIncidents(tx, [
          mapGlIssue(
            path,
            {
              ...i,
              description: i.description ?? null,
              web_url: i.url,
              closed_at: i.closed_at ?? null,
              labels,
            },
            cfg.incidents.serviceLabels,
          ),
        ]);
        return done(1, "");
      }
      return { status: "ignored", note: `${d.event} events are not read` };
    },
    after(outcome, d) {
      if (outcome.note === FOLLOW_UP && outcome.repository)
        requestRepositorySync(db, outcome.repository, "gitlab", hasToken);
      else deriveSoon(db);
      void d;
    },
  });
}
