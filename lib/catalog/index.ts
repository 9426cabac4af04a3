import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { environments, repositories, services } from "@/lib/db/schema";

/** What filters can choose from: environments, and repositories with their services (optionally one team's). */

export async function listEnvironments(db: Db) {
  return db
    .select({ name: environments.name, tier: environments.tier })
    .from(environments)
    .orderBy(asc(environments.name));
}

export interface RepoWithServices {
  id: number;
  fullName: string;
  teamId: number | null;
  services: { id: number; name: string; isDefault: boolean; pathPrefixes: string[]; teamId: number | null }[];
}

export async function listRepositories(
  db: Db,
  options: { teamId?: number } = {},
): Promise<RepoWithServices[]> {
  const rows = await db
    .select({
      repoId: repositories.id,
      fullName: repositories.fullName,
      repoTeam: repositories.teamId,
      serviceId: services.id,
      name: services.name,
      isDefault: services.isDefault,
      pathPrefixes: services.pathPrefixes,
      serviceTeam: services.teamId,
    })
    .from(repositories)
    .innerJoin(services, eq(services.repositoryId, repositories.id))
    .where(
      options.teamId === undefined
        ? undefined
        : or(
            eq(services.teamId, options.teamId),
            and(isNull(services.teamId), eq(repositories.teamId, options.teamId)),
          ),
    )
    .orderBy(asc(repositories.fullName), asc(services.isDefault), asc(services.name));
  const byRepo = new Map<number, RepoWithServices>();
  for (const r of rows) {
    let repo = byRepo.get(r.repoId);
    if (!repo) {
      repo = { id: r.repoId, fullName: r.fullName, teamId: r.repoTeam, services: [] };
      byRepo.set(r.repoId, repo);
    }
    repo.services.push({
      id: r.serviceId,
      name: r.name,
      isDefault: r.isDefault,
      pathPrefixes: r.pathPrefixes,
      teamId: r.serviceTeam,
    });
  }
  return [...byRepo.values()];
}

/** For filter selects: a repository lists its services only when it has more than its default one. */
export function repoOptions(repos: RepoWithServices[]) {
  return repos.map((r) => ({
    fullName: r.fullName,
    services: r.services.filter((s) => !s.isDefault || r.services.length === 1).map((s) => s.name),
  }));
}
