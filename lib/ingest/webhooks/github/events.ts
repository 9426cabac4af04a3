import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Tx } from "@/lib/db";
import { commits, deployments, incidents, pullRequests } from "@/lib/db/schema";
import { matchesAny } from "@/lib/domain/glob";
import {
  fromRestRun,
  type GhPullRequest,
  mapCommit,
  mapIssue,
  mapPullRequest,
  mapRun,
} from "@/lib/ingest/github/map";
import { writeDeployments } from "@/lib/ingest/github/sync/deployments";
import { type TagItem, tagDeployment } from "@/lib/ingest/github/sync/releases";
import { runDeployments } from "@/lib/ingest/github/sync/runs";
import {
  upsertCiBuilds,
  upsertCommits,
  upsertDeployments,
  upsertIncidents,
  upsertPullRequests,
} from "@/lib/ingest/store";
import { readState, writeState } from "@/lib/ingest/sync-state";
import { markForDerive } from "@/lib/metrics/derive/marks";
import { fromRestDeployment, fromRestIssue, fromRestPullRequest, pushCommits } from "./adapt";
import { mergePullRequest, storedStatuses } from "./merge";
import {
  DeploymentPayload,
  DeploymentStatusPayload,
  IssuePayload,
  PullRequestPayload,
  PushPayload,
  type PushPayload as PushPayloadType,
  ReleasePayload,
  ReviewPayload,
  WorkflowRunPayload,
} from "./payloads";

/**
 * One handler per GitHub event: validate the payload, adapt it to the poller's shapes, map it with the poller's
 * mapping, write it through the store. Each returns what happened, for the delivery log.
 */

export interface EventContext {
  tx: Tx;
  config: ThroughlineConfig;
  repo: { id: number; fullName: string; defaultBranch: string; pathServices: { name: string }[] };
  payload: unknown;
  /** Where the payload lacks something the API has (parents, a release's commit): ask for a sync of the repository. */
  requestSync: (why: string) => void;
}

export interface Outcome {
  status: "processed" | "ignored";
  note?: string;
}

type Handler = (ctx: EventContext) => Promise<Outcome>;

/** Sync-state source of what webhooks remember between deliveries (tags' commits, releases awaiting theirs). */
const SOURCE = "github-webhook";

const ignored = (note: string): Outcome => ({ status: "ignored", note });
const processed = (note?: string): Outcome => ({ status: "processed", ...(note ? { note } : {}) });

async function onPush(ctx: EventContext): Promise<Outcome> {
  const p = PushPayload.parse(ctx.payload);
  if (p.deleted) return ignored("a deleted ref");
  if (p.ref.startsWith("refs/tags/")) return onTagPush(ctx, p);
  if (p.ref !== `refs/heads/${ctx.repo.defaultBranch}`)
    return ignored(`a push to ${p.ref}, not the default branch`);
  const list = pushCommits(p).map((c) => mapCommit(c, ctx.config.bots));
  // What a git source or the poller stored (real parents, exact times) is never overwritten by the inference.
  await upsertCommits(ctx.tx, ctx.repo.id, list, { keepExisting: true, botPatterns: ctx.config.bots });
  if (list.length) ctx.requestSync("push: exact parents and times");
  return processed(`${list.length} commit(s)`);
}

async function onTagPush(ctx: EventContext, p: PushPayloadType): Promise<Outcome> {
  const name = p.ref.slice("refs/tags/".length);
  const head = p.head_commit;
  if (!head) return ignored(`tag ${name} points at no commit`);
  const sha = head.id.toLowerCase();
  const notes: string[] = [];
  // An annotated tag's object is not its commit: then the tag was made now, else it is the commit's time.
  const annotated = p.after.toLowerCase() !== sha;
  const tag = tagDeployment(ctx.config, ctx.repo.fullName, "tag", {
    name,
    sha,
    at: annotated ? new Date().toISOString() : head.timestamp,
    bot: false,
    url: null,
  });
  if (tag) {
    await upsertDeployments(ctx.tx, [tag]);
    notes.push(`tag ${name} deployed to ${tag.environment}`);
  }
  // A release names its tag, not the tag's commit: remember it for the release event, whichever comes first.
  await writeState(ctx.tx, SOURCE, ctx.repo.fullName, `tag:${name}`, { cursor: sha });
  const pending = await readState(ctx.tx, SOURCE, ctx.repo.fullName, `release:${name}`);
  if (pending.details.item) {
    const release = tagDeployment(ctx.config, ctx.repo.fullName, "release", {
      ...(pending.details.item as TagItem),
      sha,
    });
    if (release) {
      await upsertDeployments(ctx.tx, [release]);
      notes.push(`release ${name} deployed to ${release.environment}`);
    }
    await writeState(ctx.tx, SOURCE, ctx.repo.fullName, `release:${name}`, { details: {} });
  }
  return notes.length ? processed(notes.join("; ")) : ignored(`tag ${name} matches no deployment rule`);
}

async function pullRequestRecord(
  ctx: EventContext,
  pr: z.infer<typeof PullRequestPayload>["pull_request"],
  extra: {
    readyForReviewAt?: string | null;
    reviews?: GhPullRequest["reviews"];
  },
) {
  const [merge] = pr.merge_commit_sha
    ? await ctx.tx
        .select({ parents: commits.parentShas, authoredAt: commits.authoredAt })
        .from(commits)
        .where(and(eq(commits.repositoryId, ctx.repo.id), eq(commits.sha, pr.merge_commit_sha.toLowerCase())))
    : [];
  const record = mapPullRequest(
    fromRestPullRequest(pr, {
      ...extra,
      mergeCommit: merge
        ? { parents: merge.parents.length, authoredAt: merge.authoredAt.toISOString() }
        : null,
    }),
    ctx.config.bots,
  );
  const [stored] = await ctx.tx
    .select()
    .from(pullRequests)
    .where(and(eq(pullRequests.repositoryId, ctx.repo.id), eq(pullRequests.number, pr.number)));
  return mergePullRequest(stored, record);
}

async function onPullRequest(ctx: EventContext): Promise<Outcome> {
  const p = PullRequestPayload.parse(ctx.payload);
  const ready =
    p.action === "ready_for_review" ? (p.pull_request.updated_at ?? new Date().toISOString()) : null;
  const record = await pullRequestRecord(ctx, p.pull_request, { readyForReviewAt: ready });
  await upsertPullRequests(ctx.tx, ctx.repo.id, [record], { botPatterns: ctx.config.bots });
  return processed(`#${p.pull_request.number} ${p.action ?? ""}`.trim());
}

async function onReview(ctx: EventContext): Promise<Outcome> {
  const p = ReviewPayload.parse(ctx.payload);
  const review = {
    state: p.review.state.toUpperCase(),
    submittedAt: p.review.submitted_at ?? null,
    author: { login: p.review.user?.login ?? null, isBot: p.review.user?.type === "Bot" },
  };
  const record = await pullRequestRecord(ctx, p.pull_request, { reviews: [review] });
  await upsertPullRequests(ctx.tx, ctx.repo.id, [record], { botPatterns: ctx.config.bots });
  return processed(`#${p.pull_request.number} review ${p.review.state}`);
}

async function onWorkflowRun(ctx: EventContext): Promise<Outcome> {
  const p = WorkflowRunPayload.parse(ctx.payload);
  const run = fromRestRun(p.workflow_run);
  await upsertCiBuilds(ctx.tx, ctx.repo.id, [mapRun(run)]);
  const deployed = runDeployments(ctx.config, ctx.repo, [run]);
  await upsertDeployments(ctx.tx, deployed);
  return processed(`run ${run.id} ${run.status}${deployed.length ? " (a deployment)" : ""}`);
}

async function onDeployment(ctx: EventContext, withStatus: boolean): Promise<Outcome> {
  const status = withStatus ? DeploymentStatusPayload.parse(ctx.payload).deployment_status : null;
  const deployment = DeploymentPayload.parse(ctx.payload).deployment;
  const [stored] = await ctx.tx
    .select({
      status: deployments.status,
      createdAt: deployments.createdAt,
      finishedAt: deployments.finishedAt,
      url: deployments.url,
    })
    .from(deployments)
    .where(
      and(
        eq(deployments.repositoryId, ctx.repo.id),
        eq(deployments.source, "github"),
        eq(deployments.externalId, `deployment:${deployment.id}`),
      ),
    );
  const statuses = storedStatuses(stored);
  if (status) {
    const url = status.log_url || status.target_url || status.environment_url || null;
    statuses.push({ state: status.state.toUpperCase(), createdAt: status.created_at, url });
  }
  const written = await writeDeployments(ctx.tx, ctx.config, ctx.repo, [
    fromRestDeployment(deployment, statuses),
  ]);
  const [record] = written;
  if (!record) return ignored(`environment ${deployment.environment} is ignored by the config`);
  return processed(`deployment ${deployment.id} to ${record.environment}: ${record.status}`);
}

async function onRelease(ctx: EventContext): Promise<Outcome> {
  const p = ReleasePayload.parse(ctx.payload);
  const r = p.release;
  if (!["published", "released", "edited"].includes(p.action ?? "") || r.draft)
    return ignored(`release ${p.action}`);
  const item: TagItem = {
    name: r.tag_name,
    sha: "",
    at: r.published_at ?? r.created_at ?? new Date().toISOString(),
    bot: r.author?.type === "Bot",
    url: r.html_url || null,
  };
  if (!tagDeployment(ctx.config, ctx.repo.fullName, "release", { ...item, sha: "0".repeat(40) })) {
    return ignored(`release ${r.tag_name} matches no deployment rule`);
  }
  // The release's commit: its target when that is a SHA, else the commit of its tag (from the tag's push event).
  const target = (r.target_commitish ?? "").toLowerCase();
  const sha = /^[0-9a-f]{40}$/.test(target)
    ? target
    : (await readState(ctx.tx, SOURCE, ctx.repo.fullName, `tag:${r.tag_name}`)).cursor;
  if (!sha) {
    await writeState(ctx.tx, SOURCE, ctx.repo.fullName, `release:${r.tag_name}`, { details: { item } });
    ctx.requestSync(`release ${r.tag_name}: its commit`);
    return processed(
      `release ${r.tag_name}: waiting for its tag's push event (or a sync) to know its commit`,
    );
  }
  const record = tagDeployment(ctx.config, ctx.repo.fullName, "release", { ...item, sha });
  await upsertDeployments(ctx.tx, record ? [record] : []);
  return processed(`release ${r.tag_name} deployed to ${record?.environment}`);
}

async function onIssue(ctx: EventContext): Promise<Outcome> {
  const p = IssuePayload.parse(ctx.payload);
  const { labels, repositories: only, serviceLabels } = ctx.config.incidents;
  if (p.issue.pull_request !== undefined) return ignored("a pull request's issue");
  if (!matchesAny(ctx.repo.fullName, only)) return ignored("incidents are not read from this repository");
  const issue = fromRestIssue(p.issue);
  const isIncident = issue.labels.some((l) => labels.includes(l)) && p.action !== "deleted";
  const record = mapIssue(ctx.repo.fullName, issue, { serviceLabels });
  if (!isIncident) {
    // No longer an incident (label removed, issue deleted): it stops counting.
    const removed = await ctx.tx
      .delete(incidents)
      .where(and(eq(incidents.source, "github"), eq(incidents.externalId, record.externalId)))
      .returning({ id: incidents.id });
    if (removed.length) {
      await markForDerive(ctx.tx, [ctx.repo.id]);
      return processed(`#${issue.number} is no longer an incident`);
    }
    return ignored(`#${issue.number} is not an incident`);
  }
  await upsertIncidents(ctx.tx, [record]);
  return processed(`incident #${issue.number} ${p.action ?? ""}`.trim());
}

export const HANDLERS: Record<string, Handler> = {
  push: onPush,
  pull_request: onPullRequest,
  pull_request_review: onReview,
  workflow_run: onWorkflowRun,
  deployment: (ctx) => onDeployment(ctx, false),
  deployment_status: (ctx) => onDeployment(ctx, true),
  release: onRelease,
  issues: onIssue,
};
