/**
 * The data of a fake GitLab: projects with their default branch's commits (git log order, newest first), merge
 * requests, pipelines, deployments, releases, tags, jobs and issues, kept in the shapes GitLab documents (REST v4
 * field names; GraphQL objects for what the sync reads by GraphQL). Tests build one, sync, change it, sync again.
 */

export interface FakeUser {
  username: string;
  name?: string;
  bot?: boolean;
}

export interface FakeCommit {
  id: string;
  parent_ids: string[];
  title: string;
  author_name: string;
  author_email: string;
  authored_date: string;
  committed_date: string;
}

export interface FakeNote {
  createdAt: string;
  system: boolean;
  body: string;
  author: FakeUser;
}

export interface FakeMergeRequest {
  iid: number;
  title: string;
  description?: string | null;
  state: "opened" | "closed" | "merged" | "locked";
  draft?: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt?: string | null;
  closedAt?: string | null;
  sourceBranch: string;
  targetBranch?: string;
  diffHeadSha: string;
  mergeCommitSha?: string | null;
  squashCommitSha?: string | null;
  squash?: boolean;
  author: FakeUser;
  labels?: string[];
  /** The merge request's commits with their author times. */
  commits: { sha: string; authoredDate: string }[];
  notes?: FakeNote[];
  diff?: { additions: number; deletions: number; fileCount: number };
}

export interface FakePipeline {
  id: number;
  iid: number;
  sha: string;
  ref: string;
  source: string;
  /** lower-case REST status: created, pending, running, success, failed, canceled, skipped, manual */
  status: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string | null;
  finishedAt?: string | null;
}

export interface FakeDeployment {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  created_at: string;
  updated_at: string;
  status: "created" | "running" | "success" | "failed" | "canceled" | "blocked" | "skipped";
  environment: string;
  user?: FakeUser;
  deployable?: { id: number; name: string; started_at: string | null; finished_at: string | null } | null;
}

export interface FakeEnvironment {
  id: number;
  name: string;
  tier: "production" | "staging" | "testing" | "development" | "other";
}

export interface FakeRelease {
  tag_name: string;
  created_at: string;
  released_at: string;
  sha: string;
  author?: FakeUser;
}

export interface FakeTag {
  name: string;
  sha: string;
  /** Annotated tags only. */
  created_at?: string | null;
}

export interface FakeJob {
  id: number;
  name: string;
  /** Default "test". */
  stage?: string;
  status: "success" | "failed" | "canceled" | "running" | "pending" | "created" | "skipped" | "manual";
  ref: string;
  tag?: boolean;
  sha: string;
  pipelineId: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Seconds pending before a runner took it (GitLab's queued_duration); default 0 once started. */
  queued_duration?: number | null;
}

export interface FakeIssue {
  iid: number;
  title: string;
  description?: string | null;
  state: "opened" | "closed";
  issue_type?: "issue" | "incident";
  labels?: string[];
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
}

export interface FakeProject {
  id: number;
  path: string;
  defaultBranch: string;
  archived?: boolean;
  /** The default branch's history, newest first (as `git log` lists it). */
  commits: FakeCommit[];
  mergeRequests: FakeMergeRequest[];
  pipelines: FakePipeline[];
  deployments: FakeDeployment[];
  environments: FakeEnvironment[];
  releases: FakeRelease[];
  tags: FakeTag[];
  jobs: FakeJob[];
  issues: FakeIssue[];
}

export class GitLabModel {
  readonly projects: FakeProject[] = [];
  /** Group full path → its direct subgroups are found by prefix. */
  readonly groups = new Set<string>();
  private nextId = 100;

  addProject(path: string, o: Partial<Omit<FakeProject, "id" | "path">> = {}): FakeProject {
    const project: FakeProject = {
      id: this.nextId++,
      path,
      defaultBranch: "main",
      commits: [],
      mergeRequests: [],
      pipelines: [],
      deployments: [],
      environments: [],
      releases: [],
      tags: [],
      jobs: [],
      issues: [],
      ...o,
    };
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) this.groups.add(parts.slice(0, i).join("/"));
    this.projects.push(project);
    return project;
  }

  project(path: string): FakeProject | undefined {
    return this.projects.find((p) => p.path === path || String(p.id) === path);
  }

  /** The environment of that name in the project, created (tier from the name) when new. */
  environment(p: FakeProject, name: string, tier?: FakeEnvironment["tier"]): FakeEnvironment {
    let env = p.environments.find((e) => e.name === name);
    if (!env) {
      env = { id: this.nextId++, name, tier: tier ?? (name === "production" ? "production" : "other") };
      p.environments.push(env);
    }
    return env;
  }
}
