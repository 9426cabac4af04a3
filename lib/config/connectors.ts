import { z } from "zod";
import { date, repoName, serviceName, syncInterval } from "./fields";

/**
 * The config sections of the CI and incident connectors (README § Jenkins, § PagerDuty, § Opsgenie). Credentials
 * never go here: JENKINS_URL/JENKINS_USER/JENKINS_TOKEN, PAGERDUTY_TOKEN and OPSGENIE_API_KEY come from the
 * environment.
 */

/** A glob on a job's full name (`payments/*`, `*deploy-prod`) or, written `/…/`, a regular expression. */
export const jobPattern = z
  .string()
  .min(1)
  .refine((p) => {
    if (!/^\/.+\/$/.test(p)) return true;
    try {
      new RegExp(p.slice(1, -1));
      return true;
    } catch {
      return false;
    }
  }, "a glob such as payments/* or a valid regular expression written /…/");

/** Where a connector's items land: a repository, and optionally one service of a monorepo. */
const target = { repository: repoName, service: serviceName.optional() };

export const JenkinsRepositoryRule = z.strictObject({
  /** Builds of matching jobs belong to this repository (otherwise: the git remote the build checked out). */
  job: jobPattern,
  repository: repoName,
});

export const JenkinsDeploymentRule = z.strictObject({
  /** Builds of matching jobs are deployments… */
  job: jobPattern,
  /** …when this build parameter has this value (`ENV=prod`; the value may be a glob, `REGION=eu-*`). */
  parameter: z
    .string()
    .regex(/^[^=\s]+=.*$/, "NAME=value, e.g. ENV=prod (the value may be a glob)")
    .optional(),
  environment: z.string().min(1).max(100),
  /** Default: the job's repository (jenkins.repositories, else the git remote it checked out). */
  repository: repoName.optional(),
  service: serviceName.optional(),
});

export const JenkinsConfig = z.strictObject({
  /** Jobs to read, by full name (folders and multibranch branches included); default every job. */
  jobs: z.array(jobPattern).optional(),
  exclude: z.array(jobPattern).default([]),
  /** How far back a job's first sync reads; default 90 days. */
  since: date.optional(),
  syncIntervalMinutes: syncInterval(60),
  repositories: z.array(JenkinsRepositoryRule).default([]),
  /** Which builds are deployments; every other build is a CI build. */
  deployments: z.array(JenkinsDeploymentRule).default([]),
});

export const PagerDutyServiceRule = z
  .strictObject({
    /** The PagerDuty service's id (PIJ90N7) or its name (a glob). */
    id: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    ...target,
  })
  .refine((r) => (r.id === undefined) !== (r.name === undefined), {
    message: "a PagerDuty service rule needs exactly one of id or name",
  });

export const PagerDutyConfig = z.strictObject({
  /** EU accounts: https://api.eu.pagerduty.com. */
  apiUrl: z.url().default("https://api.pagerduty.com"),
  /** Which PagerDuty services are which repositories (or services); incidents of other services are not read. */
  services: z.array(PagerDutyServiceRule).min(1, "name at least one PagerDuty service"),
  /** Only incidents of these urgencies (default: all). */
  urgencies: z.array(z.enum(["high", "low"])).optional(),
  /** Only incidents with these priorities (P1, P2…; default: all, including incidents without a priority). */
  priorities: z.array(z.string().min(1)).optional(),
  /** Read each resolved incident's notes once for "caused by: <sha>" (one request per resolved incident). */
  notes: z.boolean().default(true),
  /** A custom field holding the commit that caused the incident (one request per resolved incident). */
  causeField: z.string().min(1).optional(),
  /** How far back the first sync reads; default 365 days. */
  since: date.optional(),
  syncIntervalMinutes: syncInterval(15),
});

export const OpsgenieRule = z
  .strictObject({
    /** An Opsgenie service id: incidents that impact it (incidents only). */
    impactedService: z.string().min(1).optional(),
    /** An Opsgenie team (id or name): owner or responder. */
    team: z.string().min(1).optional(),
    /** A tag on the incident or alert. */
    tag: z.string().min(1).optional(),
    ...target,
  })
  .refine((r) => [r.impactedService, r.team, r.tag].filter(Boolean).length === 1, {
    message: "an Opsgenie rule needs exactly one of impactedService, team or tag",
  });

export const OPSGENIE_PRIORITIES = ["P1", "P2", "P3", "P4", "P5"] as const;

export const OpsgenieConfig = z
  .strictObject({
    /** EU accounts must use the EU host. */
    region: z.enum(["us", "eu"]).default("us"),
    /** Overrides the region's host. */
    apiUrl: z.url().optional(),
    /** `incidents` (Incident Management) or `alerts` (teams without it: alerts of some priorities are incidents). */
    read: z.enum(["incidents", "alerts"]).default("incidents"),
    priorities: z.array(z.enum(OPSGENIE_PRIORITIES)).optional(),
    /** Which incidents or alerts are which repositories (or services); others are not stored. */
    map: z.array(OpsgenieRule).min(1, "map at least one Opsgenie service, team or tag"),
    /** A custom property (incidents' extraProperties) holding the commit that caused it. */
    causeProperty: z.string().min(1).default("caused_by"),
    since: date.optional(),
    syncIntervalMinutes: syncInterval(15),
  })
  .refine((o) => o.read !== "alerts" || (o.priorities?.length ?? 0) > 0, {
    message: "read: alerts needs priorities: which alert priorities are incidents, e.g. [P1, P2]",
    path: ["priorities"],
  });

export type JenkinsConfig = z.output<typeof JenkinsConfig>;
export type JenkinsDeploymentRule = z.output<typeof JenkinsDeploymentRule>;
export type PagerDutyConfig = z.output<typeof PagerDutyConfig>;
export type OpsgenieConfig = z.output<typeof OpsgenieConfig>;
export type OpsgenieRule = z.output<typeof OpsgenieRule>;
