import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { copyUpsert } from "@/lib/db/copy";
import { repositoryKey } from "@/lib/db/repository-name";
import {
  ciBuilds,
  commits,
  deployments,
  environments,
  incidents,
  pullRequests,
  repositories,
  services,
  teams,
} from "@/lib/db/schema";
import { isBot } from "@/lib/domain/bots";
import { inferTier } from "@/lib/domain/environments";
import { isHotfix, revertSignal } from "@/lib/domain/pull-requests";
import type { EnvironmentTier } from "@/lib/domain/vocabulary";
import { markForDerive } from "@/lib/metrics/derive/marks";
import { identityMask, maskLogins, maskPerson } from "@/lib/privacy/mask";
import { commitMark, deploymentMarks, pathsMark, pullRequestMark } from "./derive-marks";
import {
  CiBuildRecord,
  CommitRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
  RepositoryRecord,
  ServiceRecord,
} from "./records";

/**
 * The single write path for source data. Every source maps its payloads to records (lib/ingest/records.ts) and
 * calls these; each call validates, upserts on natural keys (so a repeated write changes nothing) and marks the
 * affected repositories for lib/metrics/derive, all in one transaction (a batch is written whole or not at all).
 */

export class RecordError extends Error {
  constructor(
    readonly kind: string,
    readonly issues: { index: number; path: string; message: string }[],
  ) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `  ${kind}[${i.index}]${i.path ? `.${i.path}` : ""}: ${i.message}`)
      .join("\n");
    super(
      `Invalid ${kind} record(s):\n${shown}${issues.length > 5 ? `\n  … and ${issues.length - 5} more` : ""}`,
    );
    this.name = "RecordError";
  }
}

export function parseRecords<S extends z.ZodType>(
  schema: S,
  kind: string,
  records: readonly unknown[],
): z.output<S>[] {
  const out: z.output<S>[] = [];
  const issues: RecordError["issues"] = [];
  records.forEach((record, index) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) out.push(parsed.data);
    else
      for (const i of parsed.error.issues) issues.push({ index, path: i.path.join("."), message: i.message });
  });
  if (issues.length) throw new RecordError(kind, issues);
  return out;
}

export class UnknownReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownReferenceError";
  }
}

async function teamIds(db: Db, slugs: (string | null | undefined)[]): Promise<Map<string, number>> {
  const wanted = [...new Set(slugs.filter((s): s is string => !!s))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: teams.id, slug: teams.slug })
    .from(teams)
    .where(inArray(teams.slug, wanted));
  const found = new Map(rows.map((r) => [r.slug, r.id]));
  const missing = wanted.filter((s) => !found.has(s));
  if (missing.length) throw new UnknownReferenceError(`unknown team(s): ${missing.join(", ")}`);
  return found;
}

/** Upserts repositories (and each one's default service). Returns full name → id. */
export async function upsertRepositories(
  db: Db,
  records: readonly RepositoryRecord[],
): Promise<Map<string, number>> {
  const given = parseRecords(RepositoryRecord, "repository", records);
  if (!given.length) return new Map();
  return db.transaction(async (tx) => {
    // One repository however it is written: a name already stored in another casing is written as stored (the
    // first casing seen is the display name), so the upsert below conflicts on it instead of adding a second row.
    const stored = await storedNames(
      tx,
      given.map((r) => r.fullName),
    );
    const canonical = new Map(stored);
    for (const r of given)
      if (!canonical.has(repositoryKey(r.fullName))) canonical.set(repositoryKey(r.fullName), r.fullName);
    const parsed = given.map((r) => ({ ...r, fullName: canonical.get(repositoryKey(r.fullName)) as string }));
    const owners = await teamIds(
      tx,
      parsed.map((r) => r.teamSlug),
    );
    const withOwner = parsed.filter((r) => r.teamSlug !== undefined);
    // Write only the descriptive fields every record of the batch states; the rest keep their values (or defaults).
    const stated = (["provider", "url", "defaultBranch", "archived"] as const).filter((k) =>
      parsed.every((r) => r[k] !== undefined),
    );
    const rows = await insertRows<typeof repositories, { id: number; fullName: string }>(
      tx,
      repositories,
      parsed.map((r) => ({
        fullName: r.fullName,
        source: r.source,
        ...Object.fromEntries(stated.map((k) => [k, r[k] ?? null])),
      })),
      // "Do nothing" would return no id for an existing row: touch fullName instead.
      {
        conflict: ["fullName"],
        conflictTarget: "lower(full_name)",
        update: stated.length ? [...stated] : ["fullName"],
        returning: ["id", "fullName"],
      },
    );
    const byKey = new Map(rows.map((r) => [repositoryKey(r.fullName), r.id]));
    const ids = new Map(
      [...given, ...parsed].map((r) => [r.fullName, byKey.get(repositoryKey(r.fullName)) as number]),
    );
    for (const r of withOwner) {
      const teamId = r.teamSlug ? (owners.get(r.teamSlug) as number) : null;
      await tx
        .update(repositories)
        .set({ teamId })
        .where(eq(repositories.id, ids.get(r.fullName) as number));
    }
    await insertRows(
      tx,
      services,
      [...byKey.entries()].map(([fullName, repositoryId]) => ({
        repositoryId,
        name: defaultServiceName(fullName),
        isDefault: true,
      })),
      { conflict: ["repositoryId", "name"], update: "nothing" },
    );
    return ids;
  });
}

/** The default service is named after the repository (lower-cased, separators normalised). */
export function defaultServiceName(fullName: string): string {
  const name = (fullName.split("/").at(-1) ?? fullName)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[._-]+$/g, "")
    .replace(/([._-])[._-]+/g, "$1");
  return name || "main";
}

/** Name (as given, any casing) → id of the repository it names. */
export async function repositoryIds(db: Db, names: readonly string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(names)];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: repositories.id, fullName: repositories.fullName })
    .from(repositories)
    .where(inArray(sql`lower(${repositories.fullName})`, [...new Set(wanted.map(repositoryKey))]));
  const byKey = new Map(rows.map((r) => [repositoryKey(r.fullName), r.id]));
  const found = new Map(
    wanted.flatMap((n) => (byKey.has(repositoryKey(n)) ? [[n, byKey.get(repositoryKey(n)) as number]] : [])),
  );
  const missing = wanted.filter((n) => !found.has(n));
  if (missing.length) throw new UnknownReferenceError(`unknown repository(ies): ${missing.join(", ")}`);
  return found;
}

/** Lower-cased name → the name as stored, for the names that exist in some casing. */
async function storedNames(db: Db, names: readonly string[]): Promise<Map<string, string>> {
  const keys = [...new Set(names.map(repositoryKey))];
  const rows = await db
    .select({ fullName: repositories.fullName })
    .from(repositories)
    .where(inArray(sql`lower(${repositories.fullName})`, keys));
  return new Map(rows.map((r) => [repositoryKey(r.fullName), r.fullName]));
}

/** Path-mapped services of monorepos. */
export async function upsertServices(db: Db, records: readonly ServiceRecord[]): Promise<void> {
  const parsed = parseRecords(ServiceRecord, "service", records);
  if (!parsed.length) return;
  await db.transaction(async (tx) => {
    const repos = await repositoryIds(
      tx,
      parsed.map((s) => s.repository),
    );
    const owners = await teamIds(
      tx,
      parsed.map((s) => s.teamSlug),
    );
    await insertRows(
      tx,
      services,
      parsed.map((s) => ({
        repositoryId: repos.get(s.repository) as number,
        name: s.name,
        isDefault: false,
        pathPrefixes: s.pathPrefixes,
        teamId: s.teamSlug ? (owners.get(s.teamSlug) ?? null) : null,
      })),
      { conflict: ["repositoryId", "name"], update: ["pathPrefixes", "teamId"] },
    );
    await markForDerive(tx, repos.values(), { full: true });
  });
}

/** Commit batches at least this large are copied (lib/db/copy.ts); a GitHub page of 100 is not. */
const COPY_FROM = 1_000;

export async function upsertCommits(
  db: Db,
  repositoryId: number,
  records: readonly CommitRecord[],
  options: {
    botPatterns?: readonly string[];
    /** Leave commits already stored as they are (a push API caller knows less about them than a git source). */
    keepExisting?: boolean;
  } = {},
): Promise<number> {
  const parsed = parseRecords(CommitRecord, "commit", records);
  if (!parsed.length) return 0;
  const withPaths = parsed.some((c) => c.changedPaths !== undefined);
  await db.transaction(async (tx) => {
    // People who asked to be forgotten are written as their pseudonyms (lib/privacy); a bot is told from the real
    // identity first, so an erased bot stays a bot.
    const mask = await identityMask(
      tx,
      parsed.flatMap((c) => [c.authorName, c.authorEmail, c.authorLogin]),
    );
    const rows = parsed.map((c) => {
      const who = maskPerson(mask, {
        name: c.authorName,
        email: c.authorEmail,
        login: c.authorLogin ?? null,
      });
      return {
        repositoryId,
        sha: c.sha,
        parentShas: c.parentShas,
        authoredAt: c.authoredAt,
        committedAt: c.committedAt,
        authorName: who.name,
        authorEmail: who.email,
        authorLogin: who.login,
        isBot:
          c.isBot ??
          isBot({ login: c.authorLogin, email: c.authorEmail, name: c.authorName }, options.botPatterns),
        title: c.title,
        // Paths come from a separate pass on some sources: a batch without them must not erase them.
        ...(withPaths ? { changedPaths: c.changedPaths ?? null } : {}),
      };
    });
    const write = {
      conflict: ["repositoryId" as const, "sha" as const],
      ...(options.keepExisting ? { update: "nothing" as const } : {}),
    };
    const mark = await commitMark(tx, repositoryId, rows, {
      withPaths,
      keepExisting: options.keepExisting === true,
    });
    // A clone's history arrives thousands of commits at a time: COPY on PostgreSQL (lib/db/copy.ts), else jsonb.
    const copied = rows.length >= COPY_FROM && (await copyUpsert(tx, commits, rows, write));
    if (!copied) await insertRows(tx, commits, rows, write);
    await markForDerive(tx, [repositoryId], mark);
  });
  return parsed.length;
}

export async function upsertPullRequests(
  db: Db,
  repositoryId: number,
  records: readonly PullRequestRecord[],
  options: { botPatterns?: readonly string[] } = {},
): Promise<number> {
  const parsed = parseRecords(PullRequestRecord, "pull request", records);
  if (!parsed.length) return 0;
  await db.transaction(async (tx) => {
    const mask = await identityMask(
      tx,
      parsed.flatMap((p) => [p.authorLogin, ...p.reviewerLogins]),
    );
    const mark = await pullRequestMark(
      tx,
      repositoryId,
      parsed.map((p) => ({
        number: p.number,
        mergeSha: p.mergeSha ?? null,
        mergeMethod: p.mergeMethod ?? null,
        firstCommitAt: p.firstCommitAt ?? null,
        isBot: p.isBot ?? isBot({ login: p.authorLogin }, options.botPatterns),
      })),
    );
    await insertRows(
      tx,
      pullRequests,
      parsed.map((p) => {
        const revert = revertSignal(p);
        return {
          repositoryId,
          number: p.number,
          title: p.title,
          url: p.url ?? null,
          authorLogin:
            p.authorLogin && mask?.erased(p.authorLogin)
              ? mask.pseudonym(p.authorLogin)
              : (p.authorLogin ?? null),
          isBot: p.isBot ?? isBot({ login: p.authorLogin }, options.botPatterns),
          state: p.state,
          baseBranch: p.baseBranch,
          headBranch: p.headBranch,
          headSha: p.headSha ?? null,
          mergeSha: p.mergeSha ?? null,
          mergeMethod: p.mergeMethod ?? null,
          createdAt: p.createdAt,
          readyAt: p.readyAt ?? null,
          firstCommitAt: p.firstCommitAt ?? null,
          firstReviewAt: p.firstReviewAt ?? null,
          approvedAt: p.approvedAt ?? null,
          mergedAt: p.mergedAt ?? null,
          closedAt: p.closedAt ?? null,
          additions: p.additions,
          deletions: p.deletions,
          changedFiles: p.changedFiles,
          commitCount: p.commitCount,
          labels: p.labels,
          reviewerLogins: maskLogins(mask, p.reviewerLogins),
          isRevert: p.isRevert ?? revert.isRevert,
          revertsNumber: p.revertsNumber ?? revert.revertsNumber,
          isHotfix: p.isHotfix ?? isHotfix(p),
        };
      }),
      { conflict: ["repositoryId", "number"] },
    );
    await markForDerive(tx, [repositoryId], mark);
  });
  return parsed.length;
}

export async function upsertCiBuilds(
  db: Db,
  repositoryId: number,
  records: readonly CiBuildRecord[],
): Promise<number> {
  const parsed = parseRecords(CiBuildRecord, "CI build", records);
  if (!parsed.length) return 0;
  await insertRows(
    db,
    ciBuilds,
    parsed.map((b) => ({
      repositoryId,
      source: b.source,
      externalId: b.externalId,
      workflow: b.workflow,
      branch: b.branch ?? null,
      sha: b.sha,
      event: b.event ?? null,
      status: b.status,
      conclusion: b.conclusion ?? null,
      queuedAt: b.queuedAt ?? null,
      startedAt: b.startedAt ?? null,
      finishedAt: b.finishedAt ?? null,
      attempt: b.attempt,
      url: b.url ?? null,
      parentExternalId: b.parentExternalId ?? null,
      stage: b.stage ?? null,
    })),
    { conflict: ["repositoryId", "source", "externalId"] },
  );
  return parsed.length;
}

/** Registers environment names (tier inferred from the name) without touching tiers already set. */
export async function ensureEnvironments(db: Db, names: Iterable<string>): Promise<void> {
  const unique = [...new Set(names)];
  await insertRows(
    db,
    environments,
    unique.map((name) => ({ name, tier: inferTier(name) })),
    { conflict: ["name"], update: "nothing" },
  );
}

type Ref = { repository: string; source: string; externalId: string };

async function deploymentIdsByRef(db: Db, refs: readonly Ref[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!refs.length) return out;
  const repos = await repositoryIds(
    db,
    refs.map((r) => r.repository),
  );
  const rows = await db
    .select({
      id: deployments.id,
      repositoryId: deployments.repositoryId,
      source: deployments.source,
      externalId: deployments.externalId,
    })
    .from(deployments)
    .where(
      and(
        inArray(deployments.repositoryId, [...repos.values()]),
        inArray(deployments.externalId, [...new Set(refs.map((r) => r.externalId))]),
      ),
    );
  const byRepo = new Map([...repos.entries()].map(([name, id]) => [id, name]));
  for (const r of rows) out.set(refKey({ repository: byRepo.get(r.repositoryId) as string, ...r }), r.id);
  return out;
}

const refKey = (r: Ref) => `${r.repository}\u0000${r.source}\u0000${r.externalId}`;

async function serviceIds(db: Db, repositoryIdsList: number[]) {
  const rows = await db
    .select({
      id: services.id,
      repositoryId: services.repositoryId,
      name: services.name,
      isDefault: services.isDefault,
    })
    .from(services)
    .where(inArray(services.repositoryId, repositoryIdsList));
  return {
    named: new Map(rows.map((s) => [`${s.repositoryId}\u0000${s.name}`, s.id])),
    defaults: new Map(rows.filter((s) => s.isDefault).map((s) => [s.repositoryId, s.id])),
  };
}

function resolveService(
  lookup: Awaited<ReturnType<typeof serviceIds>>,
  repositoryId: number,
  repository: string,
  service: string | null | undefined,
): number {
  const id = service
    ? lookup.named.get(`${repositoryId}\u0000${service}`)
    : lookup.defaults.get(repositoryId);
  if (id === undefined) {
    throw new UnknownReferenceError(
      service ? `unknown service '${service}' in ${repository}` : `${repository} has no default service`,
    );
  }
  return id;
}

export async function upsertDeployments(db: Db, records: readonly DeploymentRecord[]): Promise<number> {
  const parsed = parseRecords(DeploymentRecord, "deployment", records);
  if (!parsed.length) return 0;
  await db.transaction(async (tx) => {
    const repos = await repositoryIds(
      tx,
      parsed.map((d) => d.repository),
    );
    const lookup = await serviceIds(tx, [...repos.values()]);
    await ensureEnvironments(
      tx,
      parsed.map((d) => d.environment),
    );
    const rows = parsed.map((d) => {
      const repositoryId = repos.get(d.repository) as number;
      return {
        repositoryId,
        serviceId: resolveService(lookup, repositoryId, d.repository, d.service),
        environment: d.environment,
        sha: d.sha,
        ref: d.ref ?? null,
        status: d.status,
        createdAt: d.createdAt,
        startedAt: d.startedAt ?? null,
        finishedAt: d.finishedAt ?? null,
        source: d.source,
        externalId: d.externalId,
        url: d.url ?? null,
        trigger: d.trigger,
        declaredKind: d.declaredKind ?? null,
        line: d.line ?? null,
      };
    });
    const marks = await deploymentMarks(tx, rows);
    await insertRows(tx, deployments, rows, { conflict: ["repositoryId", "source", "externalId"] });
    // "This fixes deployment X" may name a deployment of the same batch: resolve after the insert.
    const fixes = parsed.filter((d) => d.fixes);
    if (fixes.length) {
      const ids = await deploymentIdsByRef(tx, [...fixes.map((d) => d.fixes as Ref), ...fixes]);
      for (const d of fixes) {
        const target = ids.get(refKey(d.fixes as Ref));
        if (target === undefined)
          throw new UnknownReferenceError(`deployment ${d.externalId}: fixes an unknown deployment`);
        await tx
          .update(deployments)
          .set({ fixesDeploymentId: target })
          .where(eq(deployments.id, ids.get(refKey(d)) as number));
      }
    }
    for (const [repositoryId, mark] of marks) await markForDerive(tx, [repositoryId], mark);
  });
  return parsed.length;
}

export async function upsertIncidents(db: Db, records: readonly IncidentRecord[]): Promise<number> {
  const parsed = parseRecords(IncidentRecord, "incident", records);
  if (!parsed.length) return 0;
  await db.transaction(async (tx) => {
    const repos = await repositoryIds(
      tx,
      parsed.flatMap((i) => (i.repository ? [i.repository] : [])),
    );
    const lookup = await serviceIds(tx, [...repos.values()]);
    const refs = await deploymentIdsByRef(
      tx,
      parsed.flatMap((i) => [i.causedBy, i.restoredBy].filter((r): r is NonNullable<typeof r> => !!r)),
    );
    const deref = (r: Ref | null | undefined, what: string, id: string) => {
      if (!r) return null;
      const found = refs.get(refKey(r));
      if (found === undefined)
        throw new UnknownReferenceError(`incident ${id}: ${what} an unknown deployment`);
      return found;
    };
    await insertRows(
      tx,
      incidents,
      parsed.map((i) => {
        const repositoryId = i.repository ? (repos.get(i.repository) as number) : null;
        return {
          source: i.source,
          externalId: i.externalId,
          title: i.title,
          url: i.url ?? null,
          repositoryId,
          serviceId:
            repositoryId !== null && i.service
              ? resolveService(lookup, repositoryId, i.repository as string, i.service)
              : null,
          severity: i.severity ?? null,
          openedAt: i.openedAt,
          resolvedAt: i.resolvedAt ?? null,
          causedByDeploymentId: deref(i.causedBy, "caused by", i.externalId),
          causedBySha: i.causedBySha ?? null,
          restoredByDeploymentId: deref(i.restoredBy, "restored by", i.externalId),
        };
      }),
      { conflict: ["source", "externalId"] },
    );
    // An incident can move the blame between repositories: re-derive both old and new links' repositories.
    const touched = await tx
      .select({ repositoryId: deployments.repositoryId })
      .from(incidents)
      .innerJoin(deployments, eq(deployments.id, incidents.linkedDeploymentId))
      .where(
        inArray(
          incidents.externalId,
          parsed.map((i) => i.externalId),
        ),
      );
    await markForDerive(tx, [...repos.values(), ...touched.map((t) => t.repositoryId)]);
  });
  return parsed.length;
}

/** The repository's default service id. */
export async function defaultServiceId(db: Db, repositoryId: number): Promise<number> {
  const [row] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.repositoryId, repositoryId), sql`${services.isDefault}`));
  if (!row) throw new UnknownReferenceError(`repository ${repositoryId} has no default service`);
  return row.id;
}

/**
 * Records which paths commits touch (monorepo services). `replace` sets them; `union` adds to what is there (a
 * merge commit learns its PR's files). Commits the repository does not hold are ignored.
 */
export async function setCommitPaths(
  db: Db,
  repositoryId: number,
  entries: readonly { sha: string; paths: readonly string[] }[],
  mode: "replace" | "union",
): Promise<void> {
  if (!entries.length) return;
  const json = JSON.stringify(entries.map((e) => ({ sha: e.sha, paths: [...new Set(e.paths)] })));
  const value =
    mode === "replace"
      ? sql`x.paths`
      : sql`array(select distinct p from unnest(coalesce(c.changed_paths, '{}') || x.paths) as p order by p)`;
  await db.execute(sql`
    update commits c set changed_paths = ${value}
    from jsonb_to_recordset(${json}::jsonb) as x(sha text, paths text[])
    where c.repository_id = ${repositoryId} and c.sha = x.sha`);
  await markForDerive(
    db,
    [repositoryId],
    await pathsMark(
      db,
      repositoryId,
      entries.map((e) => e.sha),
    ),
  );
}

/** Environment tiers the configuration states: they win over the guess from the name. */
export async function setEnvironmentTiers(
  db: Db,
  tiers: readonly { name: string; tier: EnvironmentTier }[],
): Promise<void> {
  const unique = [...new Map(tiers.map((t) => [t.name, t])).values()];
  await insertRows(
    db,
    environments,
    unique.map((t) => ({ name: t.name, tier: t.tier, tierConfirmed: true })),
    { conflict: ["name"], update: ["tier", "tierConfirmed"] },
  );
}
