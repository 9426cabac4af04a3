import { and, eq } from "drizzle-orm";
import type { ApiCaller } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db";
import { repositories, services, teams } from "@/lib/db/schema";
import { upsertRepositories } from "@/lib/ingest/store";
import { HttpError } from "./http";

/**
 * What a token may write: an organisation token anything; a team token only its team's repositories (and the
 * services its team owns in others' repositories). A repository seen for the first time is created, owned by the
 * team of the token that named it.
 */
export async function writableRepository(
  tx: Db,
  caller: ApiCaller,
  fullName: string,
  service: string | undefined,
): Promise<number> {
  const [repo] = await tx
    .select({ id: repositories.id, teamId: repositories.teamId, team: teams.slug })
    .from(repositories)
    .leftJoin(teams, eq(teams.id, repositories.teamId))
    .where(eq(repositories.fullName, fullName));
  if (!repo) {
    const ids = await upsertRepositories(tx, [
      {
        fullName,
        provider: "other",
        source: "api",
        ...(caller.teamSlug ? { teamSlug: caller.teamSlug } : {}),
      },
    ]);
    return ids.get(fullName) as number;
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
