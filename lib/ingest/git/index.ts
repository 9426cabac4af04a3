import { asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { sameRepository } from "@/lib/db/repository-name";
import { repositories, teams } from "@/lib/db/schema";
import { upsertRepositories } from "@/lib/ingest/store";
import { readState, writeState } from "@/lib/ingest/sync-state";
import { type DeriveSummary, deriveRepository } from "@/lib/metrics/derive";
import { openClone, resolveBranch } from "./clone";
import { type CommitSync, storedHorizon, syncCommits } from "./commits";
import { DEFAULT_BATCH, type GitSync, SOURCE } from "./context";
import {
  describeSelection,
  selectTags,
  syncTagDeployments,
  type TagSelection,
  type TagSync,
} from "./deploy-tags";
import { GitIngestError } from "./errors";
import { type GitIngestHooks, type GitIngestInput, parseGitIngestArgs } from "./options";

export { GitIngestError } from "./errors";
export { GitIngestArgs, type GitIngestHooks, type GitIngestInput, parseGitIngestArgs } from "./options";

/**
 * `npm run ingest -- git --path <clone>`: a local clone as a source, no API token needed. Reads the branch's
 * commit graph and, with `--deploy-tags`, turns matching tags into deployments, writes them through the store
 * and derives the repository, so lead time and deployment frequency are ready when it returns. Idempotent and
 * resumable: every write is an upsert committed with its cursor (see commits.ts).
 */
export interface GitIngestSummary {
  repository: string;
  repositoryId: number;
  branch: string;
  head: string;
  commits: CommitSync;
  tags: TagSync | null;
  derived: DeriveSummary | null;
  ms: number;
}

export async function ingestGitRepository(
  db: Db,
  input: GitIngestInput,
  hooks: GitIngestHooks = {},
): Promise<GitIngestSummary> {
  const started = performance.now();
  const args = parseGitIngestArgs(input);
  const log = hooks.log ?? (() => {});
  const clone = await openClone(args.path);
  const branch = await resolveBranch(clone, args.branch);
  const fullName = args.repo ?? clone.origin?.fullName ?? clone.localName;
  if (args.team) await requireTeam(db, args.team);
  if (fullName === clone.localName && !args.repo) await requireOwnLocalName(db, fullName, clone.dir);
  const selection: TagSelection | null =
    args.deployTags || args.deployTagsRegex
      ? {
          glob: args.deployTags,
          regex: args.deployTagsRegex,
          lines: args.lines,
          lineBranches: args.lineBranches,
        }
      : null;
  // Before anything is written: a pattern that selects no tag is a mistake, not an empty release history.
  if (selection) await selectTags(clone, selection);
  log(
    `${clone.dir} → ${fullName}: ${branch.ref}${branch.name ? ` (${branch.name})` : ""} at ${branch.head.slice(0, 12)}`,
  );

  const [existing] = await db
    .select({ id: repositories.id })
    .from(repositories)
    .where(sameRepository(repositories.fullName, fullName));
  const ids = await upsertRepositories(db, [
    {
      fullName,
      source: SOURCE,
      // A repository another source created keeps its provider and address; the branch is what we read.
      ...(existing ? {} : { provider: "git" as const, url: clone.origin?.url ?? null }),
      ...(branch.name ? { defaultBranch: branch.name } : {}),
      ...(args.team ? { teamSlug: args.team } : {}),
    },
  ]);
  const repositoryId = ids.get(fullName) as number;
  const ctx: GitSync = {
    db,
    clone,
    branch,
    repositoryId,
    fullName,
    since: args.since ? new Date(`${args.since}T00:00:00Z`) : null,
    batchSize: hooks.batchSize ?? DEFAULT_BATCH,
    log,
    afterBatch: hooks.afterBatch,
  };
  try {
    await writeState(db, SOURCE, fullName, "repository", { status: "running", details: { path: clone.dir } });
    const commits = await syncCommits(ctx);
    log(
      commits.mode === "none"
        ? "commits: nothing new"
        : `commits: ${commits.read.toLocaleString("en")} read (${commits.mode}${commits.resumed ? ", resumed" : ""})`,
    );
    let tags: TagSync | null = null;
    if (selection) {
      tags = await syncTagDeployments(ctx, selection, args.environment, await storedHorizon(ctx));
      log(
        `tags: ${tags.matched} match ${describeSelection(selection)} → deployments to ${args.environment}, ${tags.written} new or changed` +
          (tags.commits ? `; ${tags.commits} commits read outside ${branch.ref}` : "") +
          (tags.lines.length
            ? `; ${tags.lines.length} release line${tags.lines.length === 1 ? "" : "s"}: ${tags.lines.slice(0, 8).join(", ")}${tags.lines.length > 8 ? ", …" : ""}`
            : ""),
      );
    }
    const derived = hooks.derive === false ? null : await deriveIfNeeded(db, repositoryId);
    if (derived)
      log(`derived: ${derived.deployments} deployments, ${derived.changes} changes in ${derived.ms} ms`);
    await writeState(db, SOURCE, fullName, "repository", {
      status: "ok",
      details: {
        path: clone.dir,
        branch: branch.ref,
        counts: { commits: commits.read, deployments: tags?.written ?? 0 },
      },
    });
    return {
      repository: fullName,
      repositoryId,
      branch: branch.ref,
      head: branch.head,
      commits,
      tags,
      derived,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await writeState(db, SOURCE, fullName, "repository", { status: "error", error: message }).catch(() => {});
    throw error;
  }
}

async function requireTeam(db: Db, slug: string): Promise<void> {
  const all = await db.select({ slug: teams.slug }).from(teams).orderBy(asc(teams.slug));
  if (all.some((t) => t.slug === slug)) return;
  throw new GitIngestError(
    all.length
      ? `unknown team '${slug}': the teams are ${all.map((t) => t.slug).join(", ")}.`
      : `unknown team '${slug}': there are no teams yet (create one in Settings → Teams or in throughline.config.yaml).`,
  );
}

/**
 * `local/<directory>` names a clone by its directory only: a second clone without an origin in a directory of the
 * same name would silently feed the same repository. The first clone's path is kept; another path is refused.
 */
async function requireOwnLocalName(db: Db, fullName: string, dir: string): Promise<void> {
  const held = (await readState(db, SOURCE, fullName, "repository")).details.path;
  if (typeof held !== "string" || held === dir) return;
  throw new GitIngestError(
    `${fullName} is already the name of the clone at ${held}, and ${dir} has no origin remote to tell them apart. ` +
      `Name this one with --repo owner/name (or pass --repo ${fullName} if it is the same repository, moved).`,
  );
}

async function deriveIfNeeded(db: Db, repositoryId: number): Promise<DeriveSummary | null> {
  const [row] = await db
    .select({ needsDerive: repositories.needsDerive })
    .from(repositories)
    .where(eq(repositories.id, repositoryId));
  return row?.needsDerive ? deriveRepository(db, repositoryId) : null;
}
