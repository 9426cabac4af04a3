import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import type { DeriveMark } from "@/lib/metrics/derive/marks";

/**
 * What a batch of source rows changes for derive, read before the batch is written (same transaction): the store
 * marks only that (ADR 0018), so a re-sync of unchanged rows re-derives no chain and a new deployment re-derives
 * the chains from its own time on.
 */

const list = (values: readonly unknown[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);

export interface CommitRow {
  sha: string;
  parentShas: readonly string[];
  authoredAt: Date;
  isBot: boolean;
  changedPaths?: readonly string[] | null;
}

/**
 * Commits new to the repository or changed in what derive reads (parents, author time, bot, paths). The mark names
 * only the batch's roots (commits none of whose parents are in the batch): every other one descends from a root.
 */
export async function commitMark(
  db: Db,
  repositoryId: number,
  rows: readonly CommitRow[],
  options: { withPaths: boolean; keepExisting: boolean },
): Promise<DeriveMark> {
  const existing = new Map(
    (
      await queryRows<{
        sha: string;
        parents: string[];
        authored: number;
        bot: boolean;
        paths: string[] | null;
      }>(
        db,
        sql`select sha, parent_shas as parents, (extract(epoch from authored_at) * 1000)::float8 as authored,
                   is_bot as bot, changed_paths as paths
            from commits where repository_id = ${repositoryId} and sha in ${list(rows.map((r) => r.sha))}`,
      )
    ).map((r) => [r.sha, r]),
  );
  const changed = rows.filter((r) => {
    const now = existing.get(r.sha);
    if (!now) return true;
    if (options.keepExisting) return false;
    return (
      !sameList(now.parents, r.parentShas) ||
      Math.round(Number(now.authored)) !== r.authoredAt.getTime() ||
      now.bot !== r.isBot ||
      (options.withPaths && !sameList(now.paths, r.changedPaths ?? null))
    );
  });
  if (!changed.length) return {};
  return { shas: roots(changed), from: await declaredSince(db, repositoryId, changed), graph: true };
}

/** Commits whose paths were set: the roots among them, by their stored parents. */
export async function pathsMark(db: Db, repositoryId: number, shas: readonly string[]): Promise<DeriveMark> {
  const rows = await queryRows<{ sha: string; parents: string[] }>(
    db,
    sql`select sha, parent_shas as parents from commits
        where repository_id = ${repositoryId} and sha in ${list(shas)}`,
  );
  const changed = rows.map((r) => ({ sha: r.sha, parentShas: r.parents }));
  return changed.length ? { shas: roots(changed), graph: true } : {};
}

function roots(rows: readonly { sha: string; parentShas: readonly string[] }[]): string[] {
  const inBatch = new Set(rows.map((r) => r.sha));
  return rows.filter((r) => !r.parentShas.some((p) => inBatch.has(p))).map((r) => r.sha);
}

/** A deployment that lists a commit (push API) ships it whatever the graph says: it re-derives from its own time. */
async function declaredSince(
  db: Db,
  repositoryId: number,
  rows: readonly { sha: string }[],
): Promise<Date | null> {
  const [row] = await queryRows<{ at: number | null }>(
    db,
    sql`select (extract(epoch from min(d.finished_at)) * 1000)::float8 as at
        from deployment_declared_commits dc join deployments d on d.id = dc.deployment_id
        where d.repository_id = ${repositoryId} and dc.sha in ${list(rows.map((r) => r.sha))}`,
  );
  return row?.at != null ? new Date(Math.round(Number(row.at))) : null;
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface DeploymentRow {
  repositoryId: number;
  serviceId: number;
  environment: string;
  sha: string;
  status: string;
  finishedAt: Date | null;
  source: string;
  externalId: string;
  declaredKind: string | null;
  line: string | null;
}

/**
 * Per repository, the earliest time a deployment of the batch changed what its chain sees (its old and its new
 * finish time). A change of anything else (its "fixes" reference, its URL) re-derives outcomes only.
 */
export async function deploymentMarks(
  db: Db,
  rows: readonly DeploymentRow[],
): Promise<Map<number, DeriveMark>> {
  const keys = rows.map((r) => `${r.repositoryId}\u0000${r.source}\u0000${r.externalId}`);
  const existing = new Map(
    (
      await queryRows<{
        repo: number;
        source: string;
        ext: string;
        service: number;
        environment: string;
        sha: string;
        status: string;
        finished: number | null;
        kind: string | null;
        line: string | null;
      }>(
        db,
        sql`select repository_id as repo, source, external_id as ext, service_id as service, environment, sha,
                   status, (extract(epoch from finished_at) * 1000)::float8 as finished, declared_kind as kind, line
            from deployments
            where repository_id in (select v::int from jsonb_array_elements_text(${JSON.stringify([
              ...new Set(rows.map((r) => r.repositoryId)),
            ])}::jsonb) as x(v))
              and external_id in ${list(rows.map((r) => r.externalId))}`,
      )
    ).map((r) => [`${r.repo}\u0000${r.source}\u0000${r.ext}`, r]),
  );
  const out = new Map<number, DeriveMark>();
  rows.forEach((r, i) => {
    const mark = out.get(r.repositoryId) ?? {};
    out.set(r.repositoryId, mark);
    const now = existing.get(keys[i] as string);
    const oldMs = now?.finished != null ? Math.round(Number(now.finished)) : null;
    const same =
      now &&
      now.service === r.serviceId &&
      now.environment === r.environment &&
      now.sha === r.sha &&
      now.status === r.status &&
      oldMs === ms(r.finishedAt) &&
      now.kind === r.declaredKind &&
      now.line === r.line;
    if (same) return;
    const times = [oldMs, ms(r.finishedAt)].filter((t): t is number => t !== null);
    if (!times.length) return;
    const at = Math.min(...times, mark.from ? mark.from.getTime() : Number.POSITIVE_INFINITY);
    mark.from = new Date(at);
  });
  return out;
}

export interface PullRequestRow {
  number: number;
  mergeSha: string | null;
  mergeMethod: string | null;
  firstCommitAt: Date | null;
  isBot: boolean;
}

/**
 * A pull request changes the changes it merged (their PR, start and bot flag): the deployments that shipped its
 * merge commit, old and new, re-derive. Its revert and hotfix signals are outcomes only.
 */
export async function pullRequestMark(
  db: Db,
  repositoryId: number,
  rows: readonly PullRequestRow[],
): Promise<DeriveMark> {
  const existing = new Map(
    (
      await queryRows<{
        number: number;
        sha: string | null;
        method: string | null;
        first: number | null;
        bot: boolean;
      }>(
        db,
        sql`select number, merge_sha as sha, merge_method as method,
                   (extract(epoch from first_commit_at) * 1000)::float8 as first, is_bot as bot
            from pull_requests
            where repository_id = ${repositoryId} and number::text in ${list(rows.map((r) => String(r.number)))}`,
      )
    ).map((r) => [Number(r.number), r]),
  );
  const shas = new Set<string>();
  for (const r of rows) {
    const now = existing.get(r.number);
    const first = now?.first != null ? Math.round(Number(now.first)) : null;
    if (
      now &&
      now.sha === r.mergeSha &&
      now.method === r.mergeMethod &&
      first === ms(r.firstCommitAt) &&
      now.bot === r.isBot
    )
      continue;
    for (const sha of [now?.sha, r.mergeSha]) if (sha) shas.add(sha);
  }
  return shas.size ? { shas: [...shas] } : {};
}
