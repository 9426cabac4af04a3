import { z } from "zod";
import { type Env, SourceClient, type SourceClientOptions } from "@/lib/ingest/source/client";

/**
 * Jenkins' JSON API, as much of it as we read: every object answers `…/api/json`, and `tree=` names the fields
 * (nested with `[]`, arrays sliced with `{M,N}`), so a job list or a page of 100 builds is one small request.
 * GETs need no CSRF crumb; authentication is HTTP Basic with a user's API token.
 */

const EnvSchema = z.object({
  JENKINS_URL: z.url("JENKINS_URL must be the Jenkins root URL, e.g. https://ci.example.com/"),
  JENKINS_USER: z.string().min(1, "JENKINS_USER is required with JENKINS_TOKEN"),
  JENKINS_TOKEN: z.string().min(1, "JENKINS_TOKEN is required (an API token, never a password)"),
});

/** The credentials in the environment, or an error naming what is missing. */
export function jenkinsCredentials(env: Env = process.env) {
  const trimmed = Object.fromEntries(
    ["JENKINS_URL", "JENKINS_USER", "JENKINS_TOKEN"].map((k) => [k, env[k]?.trim() || undefined]),
  );
  const parsed = EnvSchema.safeParse(trimmed);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

export function jenkinsClient(env: Env, extra: Partial<SourceClientOptions> = {}): SourceClient {
  const c = jenkinsCredentials(env);
  const basic = Buffer.from(`${c.JENKINS_USER}:${c.JENKINS_TOKEN}`, "utf8").toString("base64");
  return new SourceClient({
    name: "Jenkins",
    baseUrl: c.JENKINS_URL,
    headers: { authorization: `Basic ${basic}` },
    authHint: "check JENKINS_USER and JENKINS_TOKEN (an API token of a user with Overall/Read and Job/Read)",
    ...extra,
  });
}

/** `payments/api/main` → `job/payments/job/api/job/main` (names are path segments, each URL-encoded). */
export function jobPath(fullName: string): string {
  return fullName
    .split("/")
    .map((n) => `job/${encodeURIComponent(n)}`)
    .join("/");
}

/** A job (or folder) in a `jobs[…]` listing. Folders have `jobs`; buildable jobs have `lastBuild`. */
export interface JenkinsItem {
  _class?: string;
  name: string;
  lastBuild?: { number: number } | null;
  jobs?: JenkinsItem[];
}

/**
 * The listing of `levels` nested levels of jobs with each job's last build number. The deepest level asks only
 * for `jobs[name]`: a folder there (it has `jobs`) is listed again from its own URL.
 */
export function jobsTree(levels: number): string {
  let spec = "jobs[name]";
  for (let i = 0; i < levels; i++) spec = `jobs[_class,name,lastBuild[number],${spec}]`;
  return spec;
}

export const BUILDS_PER_PAGE = 100;

/**
 * One page of a job's builds, newest first. `allBuilds` (not `builds`: that one stops at the newest 100) with a
 * `{from,to}` range. The fields: result and timing, the Git plugin's BuildData (revision, branch, remote), build
 * parameters, causes (who or what started it), the Metrics plugin's time in queue, and change sets (freestyle
 * builds have one `changeSet`, pipelines an array `changeSets`) for builds without BuildData.
 */
export function buildsTree(from: number, to: number): string {
  const actions =
    "actions[lastBuiltRevision[SHA1,branch[name]],remoteUrls,parameters[name,value],causes[_class,shortDescription],queuingDurationMillis]";
  const changes = "changeSet[items[commitId]],changeSets[items[commitId]]";
  return `allBuilds[number,url,result,building,timestamp,duration,queueId,${actions},${changes}]{${from},${to}}`;
}

export interface JenkinsAction {
  _class?: string;
  lastBuiltRevision?: { SHA1?: string; branch?: { name?: string }[] } | null;
  remoteUrls?: string[];
  parameters?: { _class?: string; name: string; value?: unknown }[];
  causes?: { _class?: string; shortDescription?: string }[];
  queuingDurationMillis?: number;
}

export interface JenkinsBuild {
  _class?: string;
  number: number;
  url?: string | null;
  result: string | null;
  building: boolean;
  /** When the build was created (left the queue), ms since the epoch. */
  timestamp: number;
  /** ms; 0 while building. */
  duration: number;
  queueId?: number;
  actions?: (JenkinsAction | null)[];
  changeSet?: { items?: { commitId?: string }[] } | null;
  changeSets?: { items?: { commitId?: string }[] }[];
}
