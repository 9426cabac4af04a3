import type { JenkinsConfig, JenkinsDeploymentRule } from "@/lib/config/connectors";
import type { ThroughlineConfig } from "@/lib/config/schema";
import { matchesGlob, matchesPattern } from "@/lib/domain/glob";
import type { DeploymentStatus, DeploymentTrigger } from "@/lib/domain/vocabulary";
import { placeEnvironment } from "@/lib/ingest/github/rules";
import type { CiBuildRecord, DeploymentRecord } from "@/lib/ingest/records";
import type { JenkinsAction, JenkinsBuild } from "./api";

/**
 * Jenkins builds → domain records. The poller (JSON API) and the webhook (Notification plugin) each read a build
 * into `BuildFacts`; only `classify` decides what a build means: a deployment when a `jenkins.deployments` rule
 * matches its job (and parameter), otherwise a CI build, of the repository that rules, the job mapping or the git
 * remote name.
 */

export interface BuildFacts {
  job: string;
  number: number;
  url: string | null;
  /** SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED; null while building. */
  result: string | null;
  building: boolean;
  /** Entered the queue (known with the Metrics plugin's TimeInQueueAction), else null. */
  queuedAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  sha: string | null;
  branch: string | null;
  /** The git remote the build checked out (first of BuildData's remoteUrls). */
  remote: string | null;
  parameters: Record<string, string>;
  trigger: DeploymentTrigger;
  /** What started it: manual, push, schedule, upstream, replay… (null: not said). */
  event: string | null;
  attempt: number;
}

const SHA = /^[0-9a-f]{40}$/i;

/** Cause classes → what started the build (Jenkins core, Git, branch-api, workflow-cps, rebuild plugins). */
const CAUSES: [RegExp, string][] = [
  [/ReplayCause$/, "replay"],
  [/RebuildCause$/, "rebuild"],
  [/RestartDeclarativePipelineCause$/, "restart"],
  [/UserIdCause$|UserCause$/, "manual"],
  [/SCMTriggerCause$|BranchEventCause$|GitHubPushCause$|GitLabWebHookCause$/, "push"],
  [/TimerTriggerCause$/, "schedule"],
  [/UpstreamCause$/, "upstream"],
  [/BranchIndexingCause$/, "indexing"],
];
const RERUNS = new Set(["replay", "rebuild", "restart"]);

function causeOf(classes: readonly string[]): string | null {
  for (const [pattern, event] of CAUSES) if (classes.some((c) => pattern.test(c))) return event;
  return null;
}

/** `origin/main`, `refs/remotes/origin/main`, `refs/heads/main` → `main`. */
export function branchName(name: string | null | undefined): string | null {
  if (!name) return null;
  return name.replace(/^refs\/(remotes\/[^/]+|heads)\//, "").replace(/^origin\//, "") || null;
}

export function buildFact(job: string, b: JenkinsBuild): BuildFacts {
  const actions = (b.actions ?? []).filter((a): a is JenkinsAction => a !== null && typeof a === "object");
  const git = actions.find((a) => a.lastBuiltRevision?.SHA1);
  const changed = [...(b.changeSets ?? []), ...(b.changeSet ? [b.changeSet] : [])]
    .flatMap((s) => s.items ?? [])
    .map((i) => i.commitId)
    .filter((c): c is string => typeof c === "string" && SHA.test(c));
  const queueMs = actions.find((a) => typeof a.queuingDurationMillis === "number")?.queuingDurationMillis;
  const causes = actions.flatMap((a) => a.causes ?? []).map((c) => c._class ?? "");
  const event = causeOf(causes);
  const startedAt = new Date(b.timestamp);
  return {
    job,
    number: b.number,
    url: b.url ?? null,
    result: b.result,
    building: b.building,
    queuedAt: queueMs !== undefined ? new Date(b.timestamp - queueMs) : null,
    startedAt,
    finishedAt: b.building ? null : new Date(b.timestamp + b.duration),
    sha: (git?.lastBuiltRevision?.SHA1 ?? changed.at(-1) ?? null)?.toLowerCase() ?? null,
    branch: branchName(git?.lastBuiltRevision?.branch?.[0]?.name),
    remote: git?.remoteUrls?.[0] ?? null,
    parameters: Object.fromEntries(
      actions
        .flatMap((a) => a.parameters ?? [])
        .filter((p) => p.value !== undefined && p.value !== null && typeof p.value !== "object")
        .map((p) => [p.name, String(p.value)]),
    ),
    trigger:
      event === "manual" || event === "replay" || event === "rebuild" ? "manual" : event ? "ci" : "unknown",
    event,
    attempt: event && RERUNS.has(event) ? 2 : 1,
  };
}

/**
 * `owner/name` from a git remote: the last two path segments, `.git` dropped (`git@github.com:acme/api.git`,
 * `https://gitlab.example.com/group/sub/api.git` → `sub/api`, `ssh://host:7999/proj/api`). Null when it has fewer.
 */
export function repositoryFromRemote(remote: string | null): string | null {
  if (!remote) return null;
  const path = remote
    .trim()
    .replace(/^[a-z+]+:\/\/[^/]+/i, "")
    .replace(/^[^/:]*@?[^/:]+:/, "")
    .replace(/\.git\/?$/, "")
    .replace(/\/+$/, "");
  const parts = path.split("/").filter(Boolean);
  if (parts.length < 2) return null;
  const name = `${parts.at(-2)}/${parts.at(-1)}`;
  return /^[^/\s*]+\/[^/\s*]+$/.test(name) ? name : null;
}

function ruleMatches(rule: JenkinsDeploymentRule, b: BuildFacts): boolean {
  if (!matchesPattern(b.job, rule.job)) return false;
  if (!rule.parameter) return true;
  const at = rule.parameter.indexOf("=");
  const value = b.parameters[rule.parameter.slice(0, at)];
  return value !== undefined && matchesGlob(value, rule.parameter.slice(at + 1));
}

export type Classified =
  | { kind: "deployment"; record: DeploymentRecord }
  | { kind: "build"; repository: string; record: CiBuildRecord }
  | { kind: "skipped"; reason: string };

/**
 * What a build is. `resolve` turns a repository name from a remote into the stored spelling (GitHub's
 * `acme/Payments-API` and a remote's `acme/payments-api` are one repository).
 */
export function classify(
  config: Pick<ThroughlineConfig, "deployments"> & { jenkins?: JenkinsConfig },
  b: BuildFacts,
  resolve: (name: string) => string = (n) => n,
): Classified {
  const jenkins = config.jenkins;
  const rule = jenkins?.deployments.find((r) => ruleMatches(r, b)) ?? null;
  const mapped = jenkins?.repositories.find((r) => matchesPattern(b.job, r.job))?.repository;
  const fromRemote = repositoryFromRemote(b.remote);
  const repository = rule?.repository ?? mapped ?? (fromRemote ? resolve(fromRemote) : null);
  if (!b.sha) return { kind: "skipped", reason: "no git revision (the build checked nothing out)" };
  if (!repository) {
    return { kind: "skipped", reason: "no repository: map the job in jenkins.repositories" };
  }
  const externalId = `${b.job}#${b.number}`;
  if (rule) {
    const place = placeEnvironment(config, repository, rule.environment, rule.service ?? null);
    if (!place) return { kind: "skipped", reason: `environment ${rule.environment} is ignored` };
    const done = !b.building;
    return {
      kind: "deployment",
      record: {
        repository,
        service: place.service,
        environment: place.environment,
        sha: b.sha,
        ref: b.branch,
        status: deploymentStatus(b),
        createdAt: b.queuedAt ?? b.startedAt,
        startedAt: b.startedAt,
        finishedAt: done ? b.finishedAt : null,
        source: "jenkins",
        externalId,
        url: b.url,
        trigger: b.trigger,
      },
    };
  }
  return {
    kind: "build",
    repository,
    record: {
      source: "jenkins",
      externalId,
      workflow: b.job,
      branch: b.branch,
      sha: b.sha,
      event: b.event,
      status: b.building ? "in_progress" : "completed",
      conclusion: b.building ? null : conclusion(b.result),
      queuedAt: b.queuedAt,
      startedAt: b.startedAt,
      finishedAt: b.finishedAt,
      attempt: b.attempt,
      url: b.url,
    },
  };
}

/** Only SUCCESS went live: an UNSTABLE deployment (tests after the deploy failed) is not counted as one. */
function deploymentStatus(b: BuildFacts): DeploymentStatus {
  if (b.building) return "in_progress";
  if (b.result === "SUCCESS") return "success";
  if (b.result === "ABORTED" || b.result === "NOT_BUILT") return "cancelled";
  return "failure";
}

function conclusion(result: string | null): string {
  switch (result) {
    case "SUCCESS":
      return "success";
    case "UNSTABLE":
      return "unstable";
    case "ABORTED":
      return "cancelled";
    case "NOT_BUILT":
      return "skipped";
    default:
      return "failure";
  }
}
