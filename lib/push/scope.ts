import { and, eq } from "drizzle-orm";
import type { ApiCaller } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db";
import { sameRepository } from "@/lib/db/repository-name";
import { repositories, services, teams } from "@/lib/db/schema";
import { defaultServiceName } from "@/lib/ingest/store";
import { HttpError } from "./http";

/**
 * What a token may write: an organisation token anything; a team token only its team's repositories (and the
 * services its team owns in others' repositories). A repository seen for the first time is created, owned by the
 * team of the token that named it.
 *
 * The repository row is locked (FOR UPDATE) before anything else is written, so every push, and derive, takes
 * the repository first and the deployment or incident rows after: one lock order, no deadlock between them, and
 * pushes to one repository run one at a time, which makes "did this row exist?" a truthful question.
 */
export async function writableRepository(
  tx: Db,
  caller: ApiCaller,
  fullName: string,
  service: string | undefined,
): Promise<number> {
  let repo = await lockRepository(tx, fullName);
  if (!repo) {
    // Create it owned by the caller's team; a concurrent creator wins the race and we check its owner below
    // (ON CONFLICT DO NOTHING waits for its commit), so no race can hand one team's repository to another.
    const [created] = await tx
      .insert(repositories)
      .values({ fullName, provider: "other", source: "api", teamId: caller.teamId })
      .onConflictDoNothing()
      .returning({ id: repositories.id });
    if (created) {
      await tx
        .insert(services)
        .values({ repositoryId: created.id, name: defaultServiceName(fullName), isDefault: true })
        .onConflictDoNothing();
      return created.id;
    }
    repo = await lockRepository(tx, fullName);
    if (!repo) throw new Error(`repository ${fullName} vanished while it was being created`);
  }
  if (caller.teamId === null || repo.teamId === caller.teamId) return repo.id;
  if (service) {
    const [own] = await tx
      .select({ id: services.id })
      .from(services)
      .where(
        and(
          eq(services.repositoryId, repo.id),
          eq(services.name, service),
          eq(services.teamId, caller.teamId),
        ),
      );
    if (own) return repo.id;
  }
  throw forbidden(caller, `${fullName}${service ? ` (service ${service})` : ""}`, repo.team);
}

async function lockRepository(tx: Db, fullName: string) {
  const [repo] = await tx
    .select({ id: repositories.id, teamId: repositories.teamId, team: teams.slug })
    .from(repositories)
    .leftJoin(teams, eq(teams.id, repositories.teamId))
    .where(sameRepository(repositories.fullName, fullName))
    .for("update", { of: repositories });
  return repo;
}

export function forbidden(caller: ApiCaller, what: string, owner: string | null): HttpError {
  return new HttpError(
    403,
    "forbidden",
    `this token acts for team ${caller.teamSlug}; ${what} ${owner ? `belongs to team ${owner}` : "has no owning team"} ` +
      "(use a token of that team or an organisation token, or assign the repository in Settings → Repositories)",
  );
}

/** May this caller touch something of this repository (incidents, corrections)? */
export async function assertReadableRepository(
  tx: Db,
  caller: ApiCaller,
  repositoryId: number | null,
): Promise<void> {
  if (caller.teamId === null) return;
  if (repositoryId === null) throw forbidden(caller, "this record", null);
  const [repo] = await tx
    .select({ fullName: repositories.fullName, teamId: repositories.teamId, team: teams.slug })
    .from(repositories)
    .leftJoin(teams, eq(teams.id, repositories.teamId))
    .where(eq(repositories.id, repositoryId));
  if (repo && repo.teamId !== caller.teamId) throw forbidden(caller, repo.fullName, repo.team);
}
