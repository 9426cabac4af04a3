import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { sameRepository } from "@/lib/db/repository-name";
import { environments, repositories, services, teams } from "@/lib/db/schema";

/**
 * Turns a slice (team, repository, service, environment) into the set of services and environments the metric
 * queries read. Org and team figures pool the underlying rows: a team's median lead time is the median over all
 * its changes, never a mean of per-repository medians.
 */

export interface SliceInput {
  team?: string | null;
  repo?: string | null;
  service?: string | null;
  environment?: string | null;
}

export interface Scope {
  team: { id: number; slug: string; name: string } | null;
  repository: { id: number; fullName: string } | null;
  service: { id: number; name: string; repositoryId: number } | null;
  /** null = every service of the org. */
  serviceIds: number[] | null;
  environments: string[];
  /** A specific environment was asked for; otherwise every production-tier environment is pooled. */
  environment: string | null;
  /** Pooling a tier: a change counts at its first delivery to any of its environments. */
  tierMode: boolean;
}

/** A slice parameter that names nothing: the API answers 400 with this message. */
export class SliceError extends Error {
  constructor(
    readonly field: keyof SliceInput,
    message: string,
  ) {
    super(message);
    this.name = "SliceError";
  }
}

export async function resolveScope(db: Db, input: SliceInput): Promise<Scope> {
  let team: Scope["team"] = null;
  let repository: Scope["repository"] = null;
  let service: Scope["service"] = null;
  let serviceIds: number[] | null = null;

  if (input.team) {
    const [row] = await db
      .select({ id: teams.id, slug: teams.slug, name: teams.name })
      .from(teams)
      .where(eq(teams.slug, input.team));
    if (!row) throw new SliceError("team", `unknown team '${input.team}'`);
    team = row;
    const owned = await db
      .select({ id: services.id })
      .from(services)
      .innerJoin(repositories, eq(repositories.id, services.repositoryId))
      .where(
        or(
          eq(services.teamId, row.id),
          and(sql`${services.teamId} is null`, eq(repositories.teamId, row.id)),
        ),
      );
    serviceIds = owned.map((s) => s.id);
  }

  if (input.repo) {
    const [row] = await db
      .select({ id: repositories.id, fullName: repositories.fullName })
      .from(repositories)
      .where(sameRepository(repositories.fullName, input.repo));
    if (!row) throw new SliceError("repo", `unknown repository '${input.repo}' (expected owner/name)`);
    repository = row;
    const ofRepo = (
      await db.select({ id: services.id }).from(services).where(eq(services.repositoryId, row.id))
    ).map((s) => s.id);
    const kept = serviceIds ? ofRepo.filter((id) => serviceIds?.includes(id)) : ofRepo;
    if (team && kept.length === 0) {
      throw new SliceError("repo", `repository '${input.repo}' has no service owned by team '${team.slug}'`);
    }
    serviceIds = kept;
  }

  if (input.service) {
    const candidates = await db
      .select({ id: services.id, name: services.name, repositoryId: services.repositoryId })
      .from(services)
      .where(
        and(
          eq(services.name, input.service),
          repository ? eq(services.repositoryId, repository.id) : undefined,
        ),
      );
    if (candidates.length === 0) {
      throw new SliceError(
        "service",
        `unknown service '${input.service}'${repository ? ` in ${repository.fullName}` : ""}`,
      );
    }
    if (candidates.length > 1) {
      throw new SliceError(
        "service",
        `service '${input.service}' exists in several repositories: add repo=owner/name`,
      );
    }
    service = candidates[0] as NonNullable<Scope["service"]>;
    if (serviceIds && !serviceIds.includes(service.id)) {
      throw new SliceError(
        "service",
        `service '${input.service}' is outside the team or repository selected`,
      );
    }
    serviceIds = [service.id];
  }

  const envRows = await db.select().from(environments).orderBy(asc(environments.name));
  let envs: string[];
  if (input.environment) {
    if (!envRows.some((e) => e.name === input.environment)) {
      const known = envRows.map((e) => e.name).join(", ") || "none yet";
      throw new SliceError("environment", `unknown environment '${input.environment}' (known: ${known})`);
    }
    envs = [input.environment];
  } else {
    envs = envRows.filter((e) => e.tier === "production").map((e) => e.name);
  }

  return {
    team,
    repository,
    service,
    serviceIds,
    environments: envs,
    environment: input.environment ?? null,
    tierMode: !input.environment,
  };
}
