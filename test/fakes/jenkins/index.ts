import { type FakeHttp, type FakeReply, type Route, startFakeHttp } from "@/test/fakes/http/server";
import { applyTree, parseTree } from "./tree";

/**
 * A local Jenkins that answers the JSON API the way Jenkins does: `…/api/json` on the root, folders, multibranch
 * projects and jobs; `tree=` with nested fields and `{M,N}` ranges; `builds` capped at the newest 100 and
 * `allBuilds` with everything; builds newest first with the Git plugin's BuildData, parameters, causes and the
 * Metrics plugin's time in queue. HTTP Basic with `user:apiToken` (401 otherwise); no crumb for GETs; no rate
 * limit (Jenkins has none), but the kit's faults apply.
 */

export const USER = "throughline";
export const TOKEN = "11aa22bb33cc44dd55ee66ff77889900aa";

const CLASSES = {
  folder: "com.cloudbees.hudson.plugins.folder.Folder",
  multibranch: "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject",
  pipeline: "org.jenkinsci.plugins.workflow.job.WorkflowJob",
  freestyle: "hudson.model.FreeStyleProject",
} as const;
const RUN_CLASS = {
  pipeline: "org.jenkinsci.plugins.workflow.job.WorkflowRun",
  freestyle: "hudson.model.FreeStyleBuild",
} as const;

export interface FakeBuildSpec {
  result?: "SUCCESS" | "UNSTABLE" | "FAILURE" | "NOT_BUILT" | "ABORTED" | null;
  building?: boolean;
  /** When the build left the queue (ISO). */
  at: string;
  durationMs?: number;
  /** Time in queue (the Metrics plugin's TimeInQueueAction); omitted: the plugin is not installed. */
  queueMs?: number;
  sha?: string | null;
  branch?: string;
  remote?: string;
  parameters?: Record<string, string>;
  /** Cause classes, e.g. hudson.model.Cause$UserIdCause (default: an SCM trigger). */
  causes?: string[];
  /** Commits in the change set (a build without BuildData still lists them). */
  changes?: string[];
}

interface FakeBuild extends FakeBuildSpec {
  number: number;
  queueId: number;
}

interface FakeJob {
  name: string;
  kind: keyof typeof CLASSES;
  children: FakeJob[];
  builds: FakeBuild[];
}

export class JenkinsModel {
  readonly root: FakeJob = { name: "", kind: "folder", children: [], builds: [] };
  private queueIds = 1000;
  url = "http://jenkins.invalid/";

  /** Creates the job and any folders above it. `kind` of the last segment; parents become folders. */
  job(fullName: string, kind: "pipeline" | "freestyle" | "folder" | "multibranch" = "pipeline"): this {
    this.find(fullName, kind);
    return this;
  }

  /** Adds a build (numbered after the job's last); returns its number. */
  build(fullName: string, spec: FakeBuildSpec): number {
    const job = this.find(fullName, "pipeline");
    const number = (job.builds[0]?.number ?? 0) + 1;
    job.builds.unshift({ ...spec, number, queueId: this.queueIds++ });
    return number;
  }

  /** Changes a build (a running build finishes). */
  update(fullName: string, number: number, change: Partial<FakeBuildSpec>): void {
    const b = this.find(fullName, "pipeline").builds.find((x) => x.number === number);
    if (!b) throw new Error(`no build ${fullName} #${number}`);
    Object.assign(b, change);
  }

  private find(fullName: string, leafKind: FakeJob["kind"]): FakeJob {
    let node = this.root;
    const parts = fullName.split("/");
    for (const [i, name] of parts.entries()) {
      let next = node.children.find((c) => c.name === name);
      if (!next) {
        const kind = i === parts.length - 1 ? leafKind : node.kind === "multibranch" ? "pipeline" : "folder";
        next = { name, kind, children: [], builds: [] };
        node.children.push(next);
      }
      node = next;
    }
    return node;
  }

  lookup(path: string[]): FakeJob | null {
    let node: FakeJob | undefined = this.root;
    for (const name of path) {
      node = node?.children.find((c) => c.name === name);
      if (!node) return null;
    }
    return node ?? null;
  }

  /** The object Jenkins would export for a job (before `tree=` picks fields). */
  view(job: FakeJob, path: string[]): Record<string, unknown> {
    const url = `${this.url}${path.map((p) => `job/${encodeURIComponent(p)}/`).join("")}`;
    const isFolder = job.kind === "folder" || job.kind === "multibranch";
    if (isFolder) {
      return {
        _class: job === this.root ? "hudson.model.Hudson" : CLASSES[job.kind],
        name: job.name,
        url,
        jobs: job.children.map((c) => this.view(c, [...path, c.name])),
      };
    }
    const runs = job.builds.map((b) => this.buildView(job, b, url));
    return {
      _class: CLASSES[job.kind],
      name: job.name,
      fullName: path.join("/"),
      url,
      buildable: true,
      lastBuild: runs[0] ? { _class: runs[0]._class, number: runs[0].number, url: runs[0].url } : null,
      builds: runs.slice(0, 100), // Job.getNewBuilds(): the newest 100
      allBuilds: runs,
    };
  }

  private buildView(
    job: FakeJob,
    b: FakeBuild,
    jobUrl: string,
  ): Record<string, unknown> & { number: number } {
    const kind = job.kind === "freestyle" ? "freestyle" : "pipeline";
    const at = Date.parse(b.at);
    const actions: Record<string, unknown>[] = [];
    if (b.parameters) {
      actions.push({
        _class: "hudson.model.ParametersAction",
        parameters: Object.entries(b.parameters).map(([name, value]) => ({
          _class: "hudson.model.StringParameterValue",
          name,
          value,
        })),
      });
    }
    actions.push({
      _class: "hudson.model.CauseAction",
      causes: (b.causes ?? ["hudson.triggers.SCMTrigger$SCMTriggerCause"]).map((c) => ({
        _class: c,
        shortDescription: c.endsWith("UserIdCause") ? "Started by user Ana" : "Started by an SCM change",
      })),
    });
    if (b.queueMs !== undefined) {
      actions.push({
        _class: "jenkins.metrics.impl.TimeInQueueAction",
        queuingDurationMillis: b.queueMs,
        totalDurationMillis: b.queueMs + (b.durationMs ?? 0),
      });
    }
    if (b.sha) {
      const branch = [{ SHA1: b.sha, name: b.branch ?? "refs/remotes/origin/main" }];
      actions.push({
        _class: "hudson.plugins.git.util.BuildData",
        buildsByBranchName: {
          [branch[0]?.name as string]: { buildNumber: b.number, revision: { SHA1: b.sha, branch } },
        },
        lastBuiltRevision: { SHA1: b.sha, branch },
        remoteUrls: [b.remote ?? "https://github.com/acme/api.git"],
        scmName: "",
      });
    }
    actions.push({ _class: "org.jenkinsci.plugins.workflow.libs.LibrariesAction" });
    const items = (b.changes ?? []).map((commitId) => ({
      _class: "hudson.plugins.git.GitChangeSet",
      commitId,
      msg: "a change",
    }));
    const building = b.building ?? false;
    return {
      _class: RUN_CLASS[kind],
      number: b.number,
      id: String(b.number),
      url: `${jobUrl}${b.number}/`,
      result: building ? null : (b.result ?? "SUCCESS"),
      building,
      inProgress: building,
      timestamp: at,
      duration: building ? 0 : (b.durationMs ?? 60_000),
      estimatedDuration: 60_000,
      queueId: b.queueId,
      actions,
      ...(kind === "freestyle"
        ? { changeSet: { _class: "hudson.plugins.git.GitChangeSetList", kind: "git", items } }
        : {
            changeSets: items.length
              ? [{ _class: "hudson.plugins.git.GitChangeSetList", kind: "git", items }]
              : [],
          }),
    };
  }
}

export interface FakeJenkins extends FakeHttp {
  model: JenkinsModel;
}

const MAX_DEPTH = 8;

export async function startFakeJenkins(model = new JenkinsModel()): Promise<FakeJenkins> {
  const routes: Route[] = [];
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const params = Array.from({ length: depth }, (_, i) => `:j${i}`);
    routes.push({
      method: "GET",
      path: `${params.map((p) => `/job/${p}`).join("")}/api/json`,
      handle(req, p): FakeReply {
        const path = params.map((_, i) => p[`j${i}`] as string);
        const job = model.lookup(path);
        if (!job)
          return { status: 404, body: "<html><body>Not Found</body></html>", contentType: "text/html" };
        const tree = req.query.get("tree");
        let nodes: ReturnType<typeof parseTree> | null = null;
        try {
          nodes = tree ? parseTree(tree) : null;
        } catch (error) {
          return { status: 400, body: String((error as Error).message), contentType: "text/plain" };
        }
        return { body: applyTree(model.view(job, path), nodes) };
      },
    });
  }
  const expected = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString("base64")}`;
  const fake = await startFakeHttp({
    routes,
    authorize: (req) => {
      if (req.headers.authorization === expected) return null;
      // Jenkins answers a wrong API token with 401 and an HTML page naming the user, never the token.
      return {
        status: 401,
        body: `<html><head><title>Error 401 Unauthorized</title></head><body><h2>HTTP ERROR 401 Invalid password/token for user: ${USER}</h2></body></html>`,
        contentType: "text/html;charset=iso-8859-1",
        headers: { "www-authenticate": 'Basic realm="Jenkins"' },
      };
    },
    etags: false,
    notFound: () => ({ status: 404, body: "<html><body>Not Found</body></html>", contentType: "text/html" }),
  });
  model.url = `${fake.url}/`;
  return Object.assign(fake, { model });
}
