import { and, eq, inArray } from "drizzle-orm";
import { commits, deployments } from "@/lib/db/schema";
import { matchesGlob } from "@/lib/domain/glob";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { upsertCommits, upsertDeployments } from "@/lib/ingest/store";
import { writeState } from "@/lib/ingest/sync-state";
import { writeLog } from "./batches";
import { commitOf } from "./clone";
import { type GitSync, SOURCE } from "./context";
import { gitOutput } from "./exec";
import { type GitTag, parseTags, TAG_ARGS } from "./tags";

/**
 * Tags matching `--deploy-tags` are production deployments (or `--environment`): one per tag, live at the tag's
 * time, of the commit it names. Every run lists all tags (one cheap for-each-ref) and writes only deployments that
 * are new or changed (a moved tag, another environment), so a quiet run writes nothing and needs no derive. A tag
 * on a commit outside the branch (a release branch) brings that commit's history in, down to the branch.
 */
export interface TagSync {
  matched: number;
  written: number;
  /** Commits read for tags outside the branch's history. */
  commits: number;
}

export async function syncTagDeployments(
  ctx: GitSync,
  glob: string,
  environment: string,
  horizon: Date | null,
): Promise<TagSync> {
  const tags = (await listTags(ctx)).filter(
    (t) => matchesGlob(t.name, glob) && (!horizon || t.at >= horizon),
  );
  const offBranch = await unknownCommits(
    ctx,
    tags.map((t) => t.sha),
  );
  let read = 0;
  if (offBranch.length) {
    read = await writeLog(
      ctx,
      [`^${ctx.branch.head}`],
      { since: horizon, stdin: `${offBranch.join("\n")}\n` },
      (tx, batch) => upsertCommits(tx, ctx.repositoryId, batch).then(() => {}),
    );
  }
  const records: DeploymentRecord[] = tags.map((t) => ({
    repository: ctx.fullName,
    environment,
    sha: t.sha,
    ref: t.name,
    status: "success",
    createdAt: t.at,
    startedAt: t.at,
    finishedAt: t.at,
    source: SOURCE,
    externalId: `tag:${t.name}`,
    trigger: "unknown",
  }));
  const changed = await changedDeployments(ctx, records);
  await ctx.db.transaction(async (tx) => {
    await upsertDeployments(tx, changed);
    await writeState(tx, SOURCE, ctx.fullName, "tags", {
      cursor: tags.reduce<Date | null>((m, t) => (m && m > t.at ? m : t.at), null)?.toISOString() ?? null,
      details: { glob, environment, matched: tags.length },
      status: "ok",
    });
  });
  return { matched: tags.length, written: changed.length, commits: read };
}

async function listTags(ctx: GitSync): Promise<GitTag[]> {
  const listing = parseTags(await gitOutput(ctx.clone.dir, TAG_ARGS));
  // A tag of a tag: peel it all the way down (rare, so one rev-parse each is fine).
  for (const nested of listing.nested) {
    const sha = await commitOf(ctx.clone, `refs/tags/${nested.name}`);
    if (!sha) continue;
    const at =
      nested.taggerAt ??
      new Date(Number((await gitOutput(ctx.clone.dir, ["show", "-s", "--format=%ct", sha])).trim()) * 1000);
    listing.tags.push({ name: nested.name, sha, at, annotated: true });
  }
  return listing.tags.sort((a, b) => a.name.localeCompare(b.name));
}

async function unknownCommits(ctx: GitSync, shas: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(shas)];
  if (!wanted.length) return [];
  const rows = await ctx.db
    .select({ sha: commits.sha })
    .from(commits)
    .where(and(eq(commits.repositoryId, ctx.repositoryId), inArray(commits.sha, wanted)));
  const known = new Set(rows.map((r) => r.sha));
  return wanted.filter((s) => !known.has(s));
}

/** The records whose deployment is missing or differs from what the database holds. */
async function changedDeployments(ctx: GitSync, records: DeploymentRecord[]): Promise<DeploymentRecord[]> {
  if (!records.length) return [];
  const rows = await ctx.db
    .select({
      externalId: deployments.externalId,
      sha: deployments.sha,
      environment: deployments.environment,
      ref: deployments.ref,
      finishedAt: deployments.finishedAt,
    })
    .from(deployments)
    .where(and(eq(deployments.repositoryId, ctx.repositoryId), eq(deployments.source, SOURCE)));
  const held = new Map(rows.map((r) => [r.externalId, r]));
  return records.filter((r) => {
    const d = held.get(r.externalId);
    return (
      !d ||
      d.sha !== r.sha ||
      d.environment !== r.environment ||
      d.ref !== r.ref ||
      d.finishedAt?.getTime() !== new Date(r.finishedAt as Date).getTime()
    );
  });
}
