import { z } from "zod";
import { ReportsConfig } from "@/lib/delivery/config";
import { regexProblem } from "@/lib/domain/lines";
import { ENVIRONMENT_TIERS } from "@/lib/domain/vocabulary";
import { isTimeZone } from "@/lib/metrics/period";
import { JenkinsConfig, OpsgenieConfig, PagerDutyConfig } from "./connectors";
import { date, repoName, repoPattern, serviceName, slug, syncInterval } from "./fields";

/**
 * throughline.config.yaml: what Throughline reads and how it reads it. Tokens never go here (they come from the
 * environment: GITHUB_TOKEN or a GitHub App, GITLAB_TOKEN, JENKINS_TOKEN, PAGERDUTY_TOKEN, OPSGENIE_API_KEY); the schema rejects
 * keys it does not know, so a typo is an error that names the line, not a setting silently ignored.
 */

/** A JavaScript regular expression, matched anywhere in the name unless anchored (^…$); case-sensitive. */
const regex = z.string().superRefine((source, ctx) => {
  const problem = regexProblem(source);
  if (problem) ctx.addIssue({ code: "custom", message: `'${source}' ${problem}` });
});

const WEEKDAYS = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
} as const;

export const ServiceConfig = z.strictObject({
  repository: repoName,
  name: serviceName,
  paths: z
    .array(
      z
        .string()
        .min(1)
        .refine((p) => !p.startsWith("/"), "relative to the repository root"),
    )
    .min(1),
});

export const TeamConfig = z.strictObject({
  slug,
  name: z.string().min(1).max(80),
  description: z.string().max(500).optional(),
  members: z.array(z.string().min(1).max(320)).default([]),
  repositories: z.array(repoName).default([]),
  /** Services of monorepos that this team owns. */
  services: z.array(ServiceConfig).default([]),
});

export const EnvironmentRule = z.strictObject({
  /** Glob on the environment name a source reports (GitHub environment, rule output). */
  match: z.string().min(1),
  /** Rename it (e.g. prd → production); default: keep the name. */
  name: z.string().min(1).max(100).optional(),
  tier: z.enum(ENVIRONMENT_TIERS).optional(),
  /** For monorepos: the service this environment deploys. */
  service: serviceName.optional(),
  repositories: z.array(repoPattern).optional(),
  /** Leave deployments to this environment out entirely (e.g. github-pages, PR previews). */
  ignore: z.boolean().default(false),
});

export const DeploymentRule = z
  .strictObject({
    repositories: z.array(repoPattern).optional(),
    /**
     * GitHub Actions workflow name glob; with `job`, a job name glob inside it. GitLab: `job` alone, a CI job name
     * glob (its pipeline on `branch`, default the default branch).
     */
    workflow: z.string().min(1).optional(),
    job: z.string().min(1).optional(),
    /**
     * GitLab: a pipeline source glob (push, schedule, web, trigger, api, pipeline, …): a finished pipeline of that
     * source on `branch` (default: the default branch) is a deployment; with `job`, only that job of such a pipeline.
     */
    source: z.string().min(1).optional(),
    /** Branch glob for workflow rules (default: the repository's default branch). */
    branch: z.string().min(1).optional(),
    /** A published release whose tag matches this glob is a deployment (at its publication time). */
    release: z.string().min(1).optional(),
    /** A tag matching this glob is a deployment (at its tagger time, else its commit's time). */
    tag: z.string().min(1).optional(),
    /** The same with a regular expression, e.g. `^\\d+\\.\\d+\\.\\d+$` (exact versions, no `1.0.x` branches). */
    tagRegex: regex.optional(),
    environment: z.string().min(1).max(100),
    service: serviceName.optional(),
  })
  .refine(
    (r) => [r.workflow ?? r.job ?? r.source, r.release, r.tag, r.tagRegex].filter(Boolean).length === 1,
    {
      message:
        "a deployment rule needs exactly one of workflow (optionally with job), job, source (optionally with job), release, tag or tagRegex",
    },
  )
  .refine((r) => !(r.source && r.workflow), {
    message: "source is a GitLab pipeline source: it does not combine with workflow (GitHub Actions)",
    path: ["source"],
  });

/**
 * Release lines the commit graph cannot tell apart (docs/metrics.md § Release lines), named from a deployment's
 * ref: per-package tags (`{ tag: "*@*", line: package }`), release branches (`{ branch: "release/*" }`).
 */
export const LineRuleConfig = z
  .strictObject({
    repositories: z.array(repoPattern).optional(),
    tag: z.string().min(1).optional(),
    tagRegex: regex.optional(),
    branch: z.string().min(1).optional(),
    /** package, major, minor, or a name ($1…$9: groups of tagRegex); default: package, or the branch's name. */
    line: z.string().min(1).max(100).optional(),
  })
  .refine((r) => [r.tag, r.tagRegex, r.branch].filter((x) => x !== undefined).length === 1, {
    message: "a line rule needs exactly one of tag, tagRegex or branch",
  });

export const GitHubConfig = z.strictObject({
  /** Every repository of these organisations (archived ones left out unless listed). */
  orgs: z.array(z.string().min(1)).default([]),
  repositories: z.array(repoName).default([]),
  exclude: z.array(repoPattern).default([]),
  /** How far back the first sync goes; default 365 days. */
  since: date.optional(),
  /**
   * How many days of GitHub Actions runs the first sync reads (CI signals need recent ones). Repositories with a
   * workflow or job deployment rule read runs back to `since`, since their deployments are runs.
   */
  ciHistoryDays: z.number().int().min(1).max(3_650).default(90),
  /** Sync every N minutes while the server runs (0: only on demand). */
  syncIntervalMinutes: syncInterval(60),
});

/** A GitLab group's full path (`acme`, `acme/platform`). */
const groupPath = z.string().regex(/^[^/\s*]+(\/[^/\s*]+)*$/, "a group path such as acme or acme/platform");

/**
 * The GitLab projects to read (README § GitLab): every project of these groups and their subgroups, and projects
 * listed by path. A project is a repository named by its full path (`group/subgroup/project`).
 */
export const GitLabConfig = z.strictObject({
  /** Every project of these groups, subgroups included (archived ones left out unless listed). */
  groups: z.array(groupPath).default([]),
  projects: z.array(repoName).default([]),
  exclude: z.array(repoPattern).default([]),
  /** How far back the first sync goes; default 365 days. */
  since: date.optional(),
  /** Sync every N minutes while the server runs (0: only on demand). */
  syncIntervalMinutes: syncInterval(60),
});

export const IncidentConfig = z.strictObject({
  /** Issues with any of these labels are incidents. */
  labels: z.array(z.string().min(1)).default(["incident"]),
  /** Look for incident issues only in these repositories (default: every synced repository). */
  repositories: z.array(repoPattern).optional(),
  /** Label → service of the issue's repository. */
  serviceLabels: z.record(z.string(), serviceName).default({}),
});

export const ThroughlineConfig = z.strictObject({
  organisation: z
    .strictObject({
      name: z.string().min(1).max(100).optional(),
      timeZone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Berlin").optional(),
      weekStart: z.enum(Object.keys(WEEKDAYS) as [keyof typeof WEEKDAYS]).optional(),
      incidentLinkWindowHours: z.number().int().min(0).max(720).optional(),
      /** A redeploy of a SHA live before is a rollback only this soon after the deployment it undoes. */
      rollbackWindowHours: z.number().int().min(0).max(8_760).optional(),
      /** A revert fails the reverted change only when it ships this soon after that change went live. */
      revertWindowHours: z.number().int().min(0).max(8_760).optional(),
    })
    .optional(),
  teams: z.array(TeamConfig).default([]),
  github: GitHubConfig.optional(),
  gitlab: GitLabConfig.optional(),
  jenkins: JenkinsConfig.optional(),
  pagerduty: PagerDutyConfig.optional(),
  opsgenie: OpsgenieConfig.optional(),
  /** Scheduled reports (README § Scheduled reports). */
  reports: ReportsConfig.optional(),
  deployments: z
    .strictObject({
      environments: z.array(EnvironmentRule).default([]),
      rules: z.array(DeploymentRule).default([]),
      lines: z.array(LineRuleConfig).default([]),
    })
    .default({ environments: [], rules: [], lines: [] }),
  incidents: IncidentConfig.default({ labels: ["incident"], serviceLabels: {} }),
  /** Logins or e-mail addresses (globs) of bots beyond the ones Throughline recognises. */
  bots: z.array(z.string().min(1)).default([]),
});

export type ThroughlineConfig = z.output<typeof ThroughlineConfig>;
export type TeamConfig = z.output<typeof TeamConfig>;
export type EnvironmentRule = z.output<typeof EnvironmentRule>;
export type DeploymentRule = z.output<typeof DeploymentRule>;
export type LineRuleConfig = z.output<typeof LineRuleConfig>;

export function weekStartNumber(day: keyof typeof WEEKDAYS): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  return WEEKDAYS[day];
}
