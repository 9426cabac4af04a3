import type { ThroughlineConfig } from "@/lib/config/schema";
import { GITLAB_DEFAULT_URL } from "./gitlab/api";
import { opsgenieBaseUrl } from "./opsgenie/api";
import { findSource } from "./sources";

/**
 * What Settings → Sources says about each CI and incident connector before its sync results: is it configured,
 * with which credentials (never their values), how often, against which API, and what to watch out for.
 */

export interface ConnectorFacts {
  name: "gitlab" | "jenkins" | "pagerduty" | "opsgenie";
  label: string;
  configured: boolean;
  /** What is configured, in a few words. */
  reads: string;
  /** The credentials in use (no secret shown), or null. */
  credentials: string | null;
  /** The variables to set when credentials are missing. */
  missing: string | null;
  schedule: string;
  api: string;
  webhookSecretEnv: string;
  webhookSetup: string;
  readme: string;
  notice: string | null;
}

const schedule = (minutes: number | undefined) => (minutes ? `every ${minutes} minutes` : "on demand");

export function connectorFacts(
  config: ThroughlineConfig | null,
  env: Record<string, string | undefined>,
): ConnectorFacts[] {
  const missing = (name: string) => findSource(name)?.missingCredentials(env as NodeJS.ProcessEnv) ?? null;
  const gl = config?.gitlab;
  const j = config?.jenkins;
  const pd = config?.pagerduty;
  const og = config?.opsgenie;
  return [
    {
      name: "gitlab",
      label: "GitLab",
      configured: Boolean(gl),
      reads: gl
        ? [...gl.groups.map((g) => `all of ${g} (with subgroups)`), ...gl.projects].join(", ") +
            (gl.exclude.length ? ` except ${gl.exclude.join(", ")}` : "") || "no group or project listed"
        : "no gitlab section",
      credentials: missing("gitlab") ? null : "a token (GITLAB_TOKEN, read_api)",
      missing: missing("gitlab"),
      schedule: schedule(gl?.syncIntervalMinutes),
      api: env.GITLAB_URL?.trim() || GITLAB_DEFAULT_URL,
      webhookSecretEnv: "GITLAB_WEBHOOK_SECRET",
      webhookSetup:
        "add a project or group webhook (Secret token: the secret; push, tag push, merge request, pipeline, job, deployment, release and issue events) pointing at",
      readme: "GitLab",
      notice: null,
    },
    {
      name: "jenkins",
      label: "Jenkins",
      configured: Boolean(j),
      reads: j
        ? `${j.jobs ? `jobs ${j.jobs.join(", ")}` : "every job"}${j.exclude.length ? ` except ${j.exclude.join(", ")}` : ""}; ${j.deployments.length} deployment rule${j.deployments.length === 1 ? "" : "s"}`
        : "no jenkins section",
      credentials: missing("jenkins") ? null : `user ${env.JENKINS_USER} (JENKINS_TOKEN)`,
      missing: missing("jenkins"),
      schedule: schedule(j?.syncIntervalMinutes),
      api: env.JENKINS_URL?.trim() || "JENKINS_URL not set",
      webhookSecretEnv: "JENKINS_WEBHOOK_SECRET",
      webhookSetup:
        "add a Notification plugin endpoint (JSON, HTTP, with the secret as the URL's password) for",
      readme: "Jenkins",
      notice: null,
    },
    {
      name: "pagerduty",
      label: "PagerDuty",
      configured: Boolean(pd),
      reads: pd
        ? `${pd.services.length} service rule${pd.services.length === 1 ? "" : "s"}${pd.urgencies ? `; urgency ${pd.urgencies.join(", ")}` : ""}${pd.priorities ? `; priority ${pd.priorities.join(", ")}` : ""}`
        : "no pagerduty section",
      credentials: missing("pagerduty") ? null : "a REST API key (PAGERDUTY_TOKEN)",
      missing: missing("pagerduty"),
      schedule: schedule(pd?.syncIntervalMinutes),
      api: pd?.apiUrl ?? "https://api.pagerduty.com",
      webhookSecretEnv: "PAGERDUTY_WEBHOOK_SECRET",
      webhookSetup: "add a generic webhook (v3) subscription with the incident events for",
      readme: "PagerDuty",
      notice: null,
    },
    {
      name: "opsgenie",
      label: "Opsgenie",
      configured: Boolean(og),
      reads: og
        ? `${og.read}${og.priorities ? ` of priority ${og.priorities.join(", ")}` : ""}; ${og.map.length} mapping rule${og.map.length === 1 ? "" : "s"}`
        : "no opsgenie section",
      credentials: missing("opsgenie") ? null : "an API integration key (OPSGENIE_API_KEY)",
      missing: missing("opsgenie"),
      schedule: schedule(og?.syncIntervalMinutes),
      api: og ? opsgenieBaseUrl(og) : "https://api.opsgenie.com (US) or https://api.eu.opsgenie.com (EU)",
      webhookSecretEnv: "OPSGENIE_WEBHOOK_SECRET",
      webhookSetup: "add a Webhook integration with the custom header X-Throughline-Token for",
      readme: "Opsgenie",
      notice:
        "Atlassian ends Opsgenie on 2027-04-05 (no new sales since 2025-06-04): plan the move to Jira Service Management or Compass; until then this keeps working.",
    },
  ];
}
