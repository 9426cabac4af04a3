import { and, eq, inArray } from "drizzle-orm";
import type { ApiCaller } from "@/lib/auth/api-tokens";
import type { Tx } from "@/lib/db";
import {
  commits as commitsTable,
  deploymentDeclaredCommits,
  deployments,
  repositories,
  services,
} from "@/lib/db/schema";
import type { CommitRecord, DeploymentRecord } from "@/lib/ingest/records";
import { upsertCommits, upsertDeployments } from "@/lib/ingest/store";
import { markForDerive } from "@/lib/metrics/derive/marks";
import type { PushContext } from "./handler";
import { HttpError } from "./http";
import type { PushResult } from "./idempotency";
import type { DeploymentBody } from "./schemas";
import { assertReadableRepository, writableRepository } from "./scope";

/**
 * POST /api/v1/deployments: a deployment from any CI/CD tool, written through the same store as every other
 * source. The same `id` again updates it (in progress → success), so a pipeline can report start and end.
 */

const TERMINAL = new Set(["success", "failure", "error", "cancelled"]);

export async function pushDeployment({ tx, caller, body }: PushContext<DeploymentBody>): Promise<PushResult> {
  const repositoryId = await writableRepository(tx, caller, body.repository, body.service);
  const now = new Date();
  const finishedAt = body.finishedAt ?? (TERMINAL.has(body.status) ? now : null);
  const externalId =
    body.id ??
    `${body.service ?? ""}@${body.environment}@${body.sha}@${(body.startedAt ?? finishedAt ?? now).toISOString()}`;
  // Truthful: writableRepository holds the repository row lock, so no other push of this repository can insert
  // this id between this read and the upsert below (and a waiting one sees our row once we commit).
  const existing = await deploymentId(tx, repositoryId, externalId);

  const record: DeploymentRecord = {
    repository: body.repository,
    service: body.service ?? null,
    environment: body.environment,
    sha: body.sha,
    ref: body.ref ?? null,
    status: body.status,
    createdAt: body.startedAt ?? finishedAt ?? now,
    startedAt: body.startedAt ?? null,
    finishedAt,
    source: "api",
    externalId,
    url: body.url ?? null,
    trigger: body.trigger,
    declaredKind: body.kind ?? null,
    fixes: body.fixes !== undefined ? await fixesRef(tx, caller, body) : null,
  };
  await upsertDeployments(tx, [record]);
  const id = (await deploymentId(tx, repositoryId, externalId)) as number;

  let declared: { listed: number; known: number } | null = null;
  if (body.commits) declared = await declareCommits(tx, repositoryId, id, body.commits);

  const [row] = await tx
    .select({
      id: deployments.id,
      environment: deployments.environment,
      sha: deployments.sha,
      status: deployments.status,
      startedAt: deployments.startedAt,
      finishedAt: deployments.finishedAt,
      service: services.name,
    })
    .from(deployments)
    .innerJoin(services, eq(services.id, deployments.serviceId))
    .where(eq(deployments.id, id));
  return {
    status: existing === null ? 201 : 200,
    body: {
      ...(row as object),
      externalId,
      repository: body.repository,
      created: existing === null,
      ...(declared ? { commits: declared } : {}),
      link: `/deployments/${id}`,
    },
  };
}

async function deploymentId(tx: Tx, repositoryId: number, externalId: string): Promise<number | null> {
  const [row] = await tx
    .select({ id: deployments.id })
    .from(deployments)
    .where(
      and(
        eq(deployments.repositoryId, repositoryId),
        eq(deployments.source, "api"),
        eq(deployments.externalId, externalId),
      ),
    );
  return row?.id ?? null;
}

/** "This fixes deployment X": X by our numeric id (any source), or by the caller's own id in this repository. */
async function fixesRef(tx: Tx, caller: ApiCaller, body: DeploymentBody): Promise<DeploymentRecord["fixes"]> {
  if (typeof body.fixes === "string")
    return { repository: body.repository, source: "api", externalId: body.fixes };
  const [target] = await tx
    .select({
      repository: repositories.fullName,
      repositoryId: deployments.repositoryId,
      source: deployments.source,
      externalId: deployments.externalId,
    })
    .from(deployments)
    .innerJoin(repositories, eq(repositories.id, deployments.repositoryId))
    .where(eq(deployments.id, body.fixes as number));
  if (!target) throw new HttpError(422, "unknown_reference", `fixes: there is no deployment ${body.fixes}`);
  await assertReadableRepository(tx, caller, target.repositoryId);
  return { repository: target.repository, source: target.source, externalId: target.externalId };
}

/**
 * The commits the deployment says it shipped. Objects carry what lead time needs and are stored as commits (never
 * overwriting what a git source already knows about them); bare SHAs count only where the commit is known.
 */
async function declareCommits(
  tx: Tx,
  repositoryId: number,
  deploymentIdValue: number,
  commits: NonNullable<DeploymentBody["commits"]>,
): Promise<{ listed: number; known: number }> {
  const described: CommitRecord[] = commits.flatMap((c) =>
    typeof c === "string"
      ? []
      : [
          {
            sha: c.sha,
            parentShas: c.parents ?? [],
            authoredAt: c.authoredAt,
            committedAt: c.committedAt ?? c.authoredAt,
            authorName: c.authorName ?? "",
            authorEmail: c.authorEmail ?? "",
            title: c.title ?? "",
          },
        ],
  );
  await upsertCommits(tx, repositoryId, described, { keepExisting: true });
  const shas = [...new Set(commits.map((c) => (typeof c === "string" ? c : c.sha)))];
  await tx
    .delete(deploymentDeclaredCommits)
    .where(eq(deploymentDeclaredCommits.deploymentId, deploymentIdValue));
  if (shas.length) {
    await tx
      .insert(deploymentDeclaredCommits)
      .values(shas.map((sha) => ({ deploymentId: deploymentIdValue, sha })));
  }
  const known = shas.length
    ? await tx.$count(
        commitsTable,
        and(eq(commitsTable.repositoryId, repositoryId), inArray(commitsTable.sha, shas)),
      )
    : 0;
  // What it lists is what it shipped: its chain re-derives from its own time on.
  const [own] = await tx
    .select({ finishedAt: deployments.finishedAt })
    .from(deployments)
    .where(eq(deployments.id, deploymentIdValue));
  await markForDerive(tx, [repositoryId], { from: own?.finishedAt ?? null });
  return { listed: shas.length, known };
}
