import { and, eq, inArray } from "drizzle-orm";
import { commits, deployments } from "@/lib/db/schema";
import { matchesGlob } from "@/lib/domain/glob";
import { lineOf } from "@/lib/domain/lines";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { upsertCommits, upsertDeployments } from "@/lib/ingest/store";
import { writeState } from "@/lib/ingest/sync-state";
import { writeLog } from "./batches";
import { type Clone, commitOf } from "./clone";
import { type GitSync, SOURCE } from "./context";
import { GitIngestError } from "./errors";
import { gitOutput } from "./exec";
import { type GitTag, parseTags, TAG_ARGS } from "./tags";

/**
 * Tags matching `--deploy-tags` (a glob, case-insensitive) or `--deploy-tags-regex` are production deployments (or
 * `--environment`): one per tag, live at the tag's time, of the commit it names. Every run lists all tags (one cheap
 * for-each-ref) and writes only deployments that are new or changed (a moved tag, another environment or line), so a
 * quiet run writes nothing and needs no derive. A tag on a commit outside the branch (a release branch) brings that
 * commit's history in, down to the branch. `--lines` names each tag's release line from the tag itself,
 * `--line-branches` after the matching branch that holds it (docs/metrics.md § Release lines).
 */
export interface TagSync {
  matched: number;
  written: number;
  /** Commits read for tags outside the branch's history. */
  commits: number;
  /** Release lines the tags were named into (empty: inferred from the graph). */
  lines: string[];
}

export interface TagSelection {
  glob?: string;
  regex?: string;
  lines?: string;
  lineBranches?: string;
}

export const describeSelection = (s: TagSelection) => (s.glob ? `'${s.glob}'` : `/${s.regex}/`);

/** The tags the selection picks; a selection that picks none of the clone's tags is an error naming a few. */
export async function selectTags(clone: Clone, selection: TagSelection): Promise<GitTag[]> {
  const all = await listTags(clone);
  const regex = selection.regex !== undefined ? new RegExp(selection.regex) : null;
  const picked = all.filter((t) => (regex ? regex.test(t.name) : matchesGlob(t.name, selection.glob ?? "")));
  if (picked.length > 0) return picked;
  const newest = [...all].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, 8);
  throw new GitIngestError(
    all.length === 0
      ? `no tag matches ${describeSelection(selection)}: ${clone.dir} has no tags (run git fetch --tags first?).`
      : `no tag matches ${describeSelection(selection)}: ${clone.dir} has ${all.length} tag${all.length === 1 ? "" : "s"}, ` +
          `the newest ${newest.map((t) => t.name).join(", ")}. ` +
          (regex
            ? "Regular expressions are case-sensitive and match anywhere in the name unless anchored (^…$)."
            : "Globs match the whole name, case-insensitively (* and ?)."),
  );
}

export async function syncTagDeployments(
  ctx: GitSync,
  selection: TagSelection,
  environment: string,
  horizon: Date | null,
): Promise<TagSync> {
  const tags = (await selectTags(ctx.clone, selection)).filter((t) => !horizon || t.at >= horizon);
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
  const lines = await namedLines(ctx.clone, tags, selection);
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
    line: lines.get(t.name) ?? null,
  }));
  const changed = await changedDeployments(ctx, records);
  await ctx.db.transaction(async (tx) => {
    await upsertDeployments(tx, changed);
    await writeState(tx, SOURCE, ctx.fullName, "tags", {
      cursor: tags.reduce<Date | null>((m, t) => (m && m > t.at ? m : t.at), null)?.toISOString() ?? null,
      details: { ...selection, environment, matched: tags.length },
      status: "ok",
    });
  });
  return {
    matched: tags.length,
    written: changed.length,
    commits: read,
    lines: [...new Set(lines.values())].sort(),
  };
}

/** Tag name → release line, when the run names lines. */
async function namedLines(
  clone: Clone,
  tags: GitTag[],
  selection: TagSelection,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (selection.lines) {
    const rules = [{ tag: selection.glob, tagRegex: selection.regex, line: selection.lines }];
    for (const t of tags) {
      const line = lineOf(rules, t.name);
      if (line) out.set(t.name, line);
    }
  } else if (selection.lineBranches && tags.length) {
    // git name-rev names each commit after the nearest matching branch that holds it (release/2.x~3).
    const glob = selection.lineBranches;
    const shas = [...new Set(tags.map((t) => t.sha))];
    const names = (
      await gitOutput(clone.dir, [
        "name-rev",
        "--name-only",
        `--refs=refs/heads/${glob}`,
        `--refs=refs/remotes/*/${glob}`,
        ...shas,
      ])
    ).split("\n");
    const branchOf = new Map<string, string>();
    shas.forEach((sha, i) => {
      const name = (names[i] ?? "")
        .trim()
        .replace(/[~^].*$/, "")
        .replace(/^remotes\/[^/]+\//, "");
      if (name && name !== "undefined") branchOf.set(sha, name);
    });
    for (const t of tags) {
      const branch = branchOf.get(t.sha);
      if (branch) out.set(t.name, branch);
    }
  }
  return out;
}

async function listTags(clone: Clone): Promise<GitTag[]> {
  const listing = parseTags(await gitOutput(clone.dir, TAG_ARGS));
  // A tag of a tag: peel it all the way down (rare, so one rev-parse each is fine).
  for (const nested of listing.nested) {
    const sha = await commitOf(clone, `refs/tags/${nested.name}`);
    if (!sha) continue;
    const at =
      nested.taggerAt ??
      new Date(Number((await gitOutput(clone.dir, ["show", "-s", "--format=%ct", sha])).trim()) * 1000);
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
      line: deployments.line,
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
      d.line !== (r.line ?? null) ||
      d.finishedAt?.getTime() !== new Date(r.finishedAt as Date).getTime()
    );
  });
}
