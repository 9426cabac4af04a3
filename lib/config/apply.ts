import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { repositoryKey } from "@/lib/db/repository-name";
import { teams } from "@/lib/db/schema";
import { applyReportSchedules } from "@/lib/delivery/config";
import { setEnvironmentTiers, upsertRepositories, upsertServices } from "@/lib/ingest/store";
import { getOrgSettings, setOrgSettings } from "@/lib/settings/org";
import { createTeam, updateTeam } from "@/lib/teams";
import { relabelLines } from "./lines";
import { type ThroughlineConfig, weekStartNumber } from "./schema";

/**
 * Makes the database say what the config says: organisation settings, teams (created or updated, marked as
 * managed by the config), which repositories and monorepo services each team owns, environment tiers, and the
 * release lines of stored deployments when the line rules changed, and the scheduled reports of `reports:`.
 * Teams created in the UI and not in the file are left alone. Idempotent: applied before every sync.
 */
export async function applyConfig(db: Db, config: ThroughlineConfig): Promise<void> {
  const org = config.organisation;
  if (org) {
    await setOrgSettings(db, {
      name: org.name,
      timeZone: org.timeZone,
      weekStart: org.weekStart && weekStartNumber(org.weekStart),
      incidentLinkWindowHours: org.incidentLinkWindowHours,
      rollbackWindowHours: org.rollbackWindowHours,
      revertWindowHours: org.revertWindowHours,
    });
  }
  for (const team of config.teams) {
    const input = {
      slug: team.slug,
      name: team.name,
      description: team.description ?? "",
      members: team.members,
    };
    const [existing] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, team.slug));
    if (existing) {
      await updateTeam(db, existing.id, input);
      await db.update(teams).set({ source: "config" }).where(eq(teams.id, existing.id));
    } else {
      await createTeam(db, input, "config");
    }
  }
  const owned = config.teams.flatMap((t) => t.repositories.map((r) => ({ fullName: r, teamSlug: t.slug })));
  const serviceRepos = config.teams.flatMap((t) => t.services.map((s) => s.repository));
  const unowned = [...new Set(serviceRepos)].filter(
    (r) => !owned.some((o) => repositoryKey(o.fullName) === repositoryKey(r)),
  );
  // A team's repository is a GitLab project when the gitlab section reads it, else a GitHub repository.
  const gitlab = config.gitlab;
  const providerOf = (fullName: string) =>
    gitlab &&
    (gitlab.projects.some((p) => repositoryKey(p) === repositoryKey(fullName)) ||
      gitlab.groups.some((g) => repositoryKey(fullName).startsWith(`${repositoryKey(g)}/`)))
      ? ("gitlab" as const)
      : ("github" as const);
  await upsertRepositories(db, [
    ...owned.map((o) => ({
      fullName: o.fullName,
      provider: providerOf(o.fullName),
      teamSlug: o.teamSlug,
      source: "config" as const,
    })),
    ...unowned.map((fullName) => ({ fullName, provider: providerOf(fullName), source: "config" as const })),
  ]);
  await upsertServices(
    db,
    config.teams.flatMap((t) =>
      t.services.map((s) => ({
        repository: s.repository,
        name: s.name,
        pathPrefixes: s.paths,
        teamSlug: t.slug,
      })),
    ),
  );
  // Only rules that name one environment (no wildcard) can set a tier before that environment is seen.
  const tiers = config.deployments.environments
    .filter((r) => r.tier && !r.ignore && !/[*?]/.test(r.name ?? r.match))
    .map((r) => ({ name: r.name ?? r.match, tier: r.tier as NonNullable<typeof r.tier> }));
  if (tiers.length) await setEnvironmentTiers(db, tiers);
  await relabelLines(db, config);
  await applyReportSchedules(db, config.reports, (await getOrgSettings(db)).timeZone);
}
