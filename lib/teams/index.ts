import { and, asc, count, eq, inArray, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { repositories, services, teamMembers, teams } from "@/lib/db/schema";
import type { Source } from "@/lib/domain/vocabulary";
import { identityMask, maskLogins } from "@/lib/privacy/mask";

/** Teams: managed in the UI (app/settings/teams) and from config; they own repositories and services. */

export const TeamInput = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(2, "At least 2 characters")
    .max(40, "At most 40 characters")
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Lower-case letters, digits and single hyphens, e.g. payments-core"),
  name: z.string().trim().min(1, "Give the team a name").max(80),
  description: z.string().trim().max(500).default(""),
  /** Logins or e-mail addresses, one per entry. */
  members: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .min(1)
        .max(320)
        .regex(/^[^\s,;]+$/, "One login or e-mail address per line"),
    )
    .max(500)
    .default([]),
});
export type TeamInput = z.input<typeof TeamInput>;

export class TeamError extends Error {
  constructor(
    readonly field: "slug" | "name" | "team",
    message: string,
  ) {
    super(message);
    this.name = "TeamError";
  }
}

export interface TeamSummary {
  id: number;
  slug: string;
  name: string;
  description: string;
  source: Source;
  repositories: number;
  members: number;
}

export async function listTeams(db: Db): Promise<TeamSummary[]> {
  const rows = await db
    .select({
      id: teams.id,
      slug: teams.slug,
      name: teams.name,
      description: teams.description,
      source: teams.source,
      // Written out: in a select list Drizzle renders columns unqualified, so inside the subquery "id" would bind
      // to the inner table's own id (every team then "owned" one repository).
      repositories: sql<number>`(select count(*) from repositories r where r.team_id = "teams"."id")`.mapWith(
        Number,
      ),
      members: sql<number>`(select count(*) from team_members m where m.team_id = "teams"."id")`.mapWith(
        Number,
      ),
    })
    .from(teams)
    .orderBy(asc(teams.name));
  return rows;
}

export async function getTeam(db: Db, slug: string) {
  const team = await db.query.teams.findFirst({
    where: eq(teams.slug, slug),
    with: { members: { orderBy: asc(teamMembers.handle) } },
  });
  if (!team) return null;
  const repos = await db
    .select({ id: repositories.id, fullName: repositories.fullName })
    .from(repositories)
    .where(eq(repositories.teamId, team.id))
    .orderBy(asc(repositories.fullName));
  const ownedServices = await db
    .select({ id: services.id, name: services.name, repository: repositories.fullName })
    .from(services)
    .innerJoin(repositories, eq(repositories.id, services.repositoryId))
    .where(eq(services.teamId, team.id))
    .orderBy(asc(repositories.fullName), asc(services.name));
  return { ...team, repositories: repos, services: ownedServices };
}

export async function createTeam(db: Db, input: TeamInput, source: Source = "ui"): Promise<number> {
  const t = TeamInput.parse(input);
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, t.slug));
    if (clash) throw new TeamError("slug", `A team with the slug '${t.slug}' already exists`);
    const [row] = await tx
      .insert(teams)
      .values({ slug: t.slug, name: t.name, description: t.description, source })
      .returning({ id: teams.id });
    const id = (row as { id: number }).id;
    await replaceMembers(tx, id, t.members);
    return id;
  });
}

export async function updateTeam(db: Db, id: number, input: TeamInput): Promise<void> {
  const t = TeamInput.parse(input);
  await db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.slug, t.slug), sql`${teams.id} <> ${id}`));
    if (clash) throw new TeamError("slug", `Another team already uses the slug '${t.slug}'`);
    const updated = await tx
      .update(teams)
      .set({ slug: t.slug, name: t.name, description: t.description })
      .where(eq(teams.id, id))
      .returning({ id: teams.id });
    if (updated.length === 0) throw new TeamError("team", "That team no longer exists");
    await replaceMembers(tx, id, t.members);
  });
}

async function replaceMembers(db: Db, teamId: number, handles: readonly string[]) {
  await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  // A config file (or a form) that still names someone who was erased writes their pseudonym (lib/privacy).
  const unique = maskLogins(await identityMask(db, handles), [...new Set(handles)]);
  if (unique.length) await db.insert(teamMembers).values(unique.map((handle) => ({ teamId, handle })));
}

/** Deleting a team leaves its repositories unowned (they keep their data). */
export async function deleteTeam(db: Db, id: number): Promise<void> {
  await db.delete(teams).where(eq(teams.id, id));
}

/** The team owns exactly these repositories afterwards (others it owned become unowned). */
export async function setTeamRepositories(
  db: Db,
  teamId: number,
  repositoryIds: readonly number[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(repositories)
      .set({ teamId: null })
      .where(
        and(
          eq(repositories.teamId, teamId),
          repositoryIds.length ? notInArray(repositories.id, [...repositoryIds]) : undefined,
        ),
      );
    if (repositoryIds.length) {
      await tx
        .update(repositories)
        .set({ teamId })
        .where(inArray(repositories.id, [...repositoryIds]));
    }
  });
}

export async function teamCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(teams);
  return row?.n ?? 0;
}
