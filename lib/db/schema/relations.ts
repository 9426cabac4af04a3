import { relations } from "drizzle-orm";
import { ciBuilds } from "./builds";
import { commits } from "./commits";
import { deploymentChanges, deployments } from "./deployments";
import { incidents } from "./incidents";
import { pullRequests } from "./pull-requests";
import { repositories, services } from "./repositories";
import { teamMembers, teams } from "./teams";

export const teamsRelations = relations(teams, ({ many }) => ({
  members: many(teamMembers),
  repositories: many(repositories),
  services: many(services),
}));

export const teamMembersRelations = relations(teamMembers, ({ one }) => ({
  team: one(teams, { fields: [teamMembers.teamId], references: [teams.id] }),
}));

export const repositoriesRelations = relations(repositories, ({ one, many }) => ({
  team: one(teams, { fields: [repositories.teamId], references: [teams.id] }),
  services: many(services),
  commits: many(commits),
  pullRequests: many(pullRequests),
  ciBuilds: many(ciBuilds),
  deployments: many(deployments),
}));

export const servicesRelations = relations(services, ({ one, many }) => ({
  repository: one(repositories, { fields: [services.repositoryId], references: [repositories.id] }),
  team: one(teams, { fields: [services.teamId], references: [teams.id] }),
  deployments: many(deployments),
}));

export const commitsRelations = relations(commits, ({ one }) => ({
  repository: one(repositories, { fields: [commits.repositoryId], references: [repositories.id] }),
}));

export const pullRequestsRelations = relations(pullRequests, ({ one }) => ({
  repository: one(repositories, { fields: [pullRequests.repositoryId], references: [repositories.id] }),
}));

export const ciBuildsRelations = relations(ciBuilds, ({ one }) => ({
  repository: one(repositories, { fields: [ciBuilds.repositoryId], references: [repositories.id] }),
}));

export const deploymentsRelations = relations(deployments, ({ one, many }) => ({
  repository: one(repositories, { fields: [deployments.repositoryId], references: [repositories.id] }),
  service: one(services, { fields: [deployments.serviceId], references: [services.id] }),
  changes: many(deploymentChanges),
}));

export const deploymentChangesRelations = relations(deploymentChanges, ({ one }) => ({
  deployment: one(deployments, { fields: [deploymentChanges.deploymentId], references: [deployments.id] }),
  commit: one(commits, { fields: [deploymentChanges.commitId], references: [commits.id] }),
  pullRequest: one(pullRequests, {
    fields: [deploymentChanges.pullRequestId],
    references: [pullRequests.id],
  }),
}));

export const incidentsRelations = relations(incidents, ({ one }) => ({
  service: one(services, { fields: [incidents.serviceId], references: [services.id] }),
  repository: one(repositories, { fields: [incidents.repositoryId], references: [repositories.id] }),
  linkedDeployment: one(deployments, {
    fields: [incidents.linkedDeploymentId],
    references: [deployments.id],
  }),
}));
