import { createHash } from "node:crypto";
import {
  type Actor,
  addDeploymentStatus,
  type DeploymentStatusState,
  type FakeCommit,
  type FakeDeployment,
  type FakeIssue,
  type FakePullRequest,
  type FakeRelease,
  type FakeRepository,
  type FakeTag,
  type FakeWorkflowRun,
  type GitIdentity,
  isBot,
  iso,
  type JobConclusion,
  type JobStatus,
} from "./model";

/**
 * The repository a builder grows, and everything but pull requests: commits pushed to the default branch,
 * deployments, workflow runs, tags, releases and issues (builder.ts adds the PRs). See builder.ts for usage.
 */

export type Time = string | number | Date;
/** A login (`dependabot[bot]` is a bot) or an actor. */
export type Who = string | Actor;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const t = (x: Time) => new Date(x).getTime();
const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
export const actor = (w: Who): Actor => (typeof w === "string" ? { login: w, bot: w.endsWith("[bot]") } : w);
export const WEB_FLOW: GitIdentity = { name: "GitHub", email: "noreply@github.com", login: "web-flow" };

export function identity(w: Who): GitIdentity {
  const a = actor(w);
  if (isBot(a)) return { name: a.login, email: `${a.login}@users.noreply.github.com`, login: a.login };
  const name = a.login
    .split(/[._-]/)
    .map((p) => (p ? p[0]?.toUpperCase() + p.slice(1) : p))
    .join(" ");
  return { name, email: `${a.login}@users.noreply.github.com`, login: a.login };
}

export interface DeployOptions {
  env: string;
  /** An oid or "head" (the default branch's head now); default "head". */
  sha?: string;
  ref?: string | null;
  at?: Time;
  /** The final status (default SUCCESS); a non-terminal state leaves the deployment running. */
  state?: DeploymentStatusState;
  minutes?: number;
  creator?: Who;
  production?: boolean;
  transient?: boolean;
  /** Replaces the statuses above (oldest first). */
  statuses?: { state: DeploymentStatusState; at: Time }[];
  description?: string;
  payload?: string;
}

export interface RunOptions {
  workflow?: string;
  path?: string;
  branch?: string | null;
  sha?: string;
  event?: string;
  status?: JobStatus;
  conclusion?: JobConclusion;
  createdAt?: Time;
  startedAt?: Time;
  updatedAt?: Time;
  minutes?: number;
  actor?: Who;
  pullRequests?: number[];
  runAttempt?: number;
  displayTitle?: string;
  jobs?: (string | { name: string; status?: JobStatus; conclusion?: JobConclusion })[];
}

const TERMINAL = new Set<DeploymentStatusState>(["SUCCESS", "FAILURE", "ERROR", "INACTIVE"]);
export class RepoBase {
  readonly repo: FakeRepository;
  protected clock: number;
  protected seq = 0;
  protected nextNumber = 1;
  private counters = { deployment: 0, run: 0, release: 0 };
  private readonly runNumbers = new Map<string, number>();
  /** The default branch's first-parent history: where a branch started at a given time. */
  protected readonly landings: { at: number; oid: string }[] = [];

  constructor(
    fullName: string,
    options: { start?: Time; defaultBranch?: string; archived?: boolean; databaseId?: number } = {},
  ) {
    const [owner = "", name = ""] = fullName.split("/");
    const start = t(options.start ?? "2026-03-02T09:00:00Z");
    const defaultBranch = options.defaultBranch ?? "main";
    this.repo = {
      owner,
      name,
      databaseId: options.databaseId ?? 100_000 + (Number.parseInt(sha1(fullName).slice(0, 8), 16) % 99_000),
      defaultBranch,
      archived: options.archived ?? false,
      createdAt: iso(start - 30 * 24 * HOUR),
      branches: {},
      commits: [],
      pullRequests: [],
      deployments: [],
      workflowRuns: [],
      releases: [],
      tags: [],
      issues: [],
    };
    this.clock = start;
    this.commit({ message: "Initial commit", files: ["README.md"], at: start });
  }

  /** The default branch's head. */
  get head(): string {
    return this.repo.branches[this.repo.defaultBranch] ?? "";
  }
  get now(): string {
    return iso(this.clock);
  }
  tick(minutes: number): this {
    this.clock += minutes * MINUTE;
    return this;
  }

  /** A new deterministic oid. */
  oid(): string {
    return sha1(`${this.repo.owner}/${this.repo.name}\u0000${this.seq++}`);
  }

  pr(number: number): FakePullRequest {
    const pr = this.repo.pullRequests.find((p) => p.number === number);
    if (!pr) throw new Error(`no PR #${number}`);
    return pr;
  }

  /** A commit pushed straight to the default branch. */
  commit(
    o: { message?: string; author?: Who; at?: Time; committedAt?: Time; files?: string[] } = {},
  ): FakeCommit {
    const at = t(o.at ?? this.clock);
    const c = this.addCommit({
      parents: this.head ? [this.head] : [],
      authoredDate: iso(at),
      committedDate: iso(o.committedAt ?? at),
      author: identity(o.author ?? "octo-dev"),
      message: o.message ?? `Update ${this.seq}`,
      files: o.files ?? [`src/file-${this.seq}.ts`],
    });
    this.land(c.oid, t(c.committedDate));
    this.clock = Math.max(this.clock, t(c.committedDate) + 30 * MINUTE);
    return c;
  }

  deploy(o: DeployOptions): FakeDeployment {
    const at = t(o.at ?? this.clock);
    const id = (this.repo.databaseId % 200_000) * 10_000 + ++this.counters.deployment;
    const d: FakeDeployment = {
      databaseId: id,
      environment: o.env,
      sha: !o.sha || o.sha === "head" ? this.head : o.sha,
      ref: o.ref === undefined ? this.repo.defaultBranch : o.ref,
      task: "deploy",
      createdAt: iso(at),
      creator: actor(o.creator ?? "github-actions[bot]"),
      description: o.description ?? null,
      payload: o.payload ?? "{}",
      productionEnvironment: o.production,
      transientEnvironment: o.transient,
      statuses: [],
    };
    this.repo.deployments.push(d);
    const state = o.state ?? "SUCCESS";
    const done = at + (o.minutes ?? 5) * MINUTE;
    const statuses =
      o.statuses ??
      (TERMINAL.has(state)
        ? [
            { state: "IN_PROGRESS" as const, at: at + 10_000 },
            { state, at: done },
          ]
        : [{ state, at: at + 10_000 }]);
    const logUrl = `https://github.com/${this.repo.owner}/${this.repo.name}/actions/runs/${id}`;
    for (const s of statuses)
      addDeploymentStatus(this.repo, d, {
        state: s.state,
        createdAt: iso(s.at),
        logUrl,
        environmentUrl: null,
      });
    this.clock = Math.max(this.clock, done + MINUTE);
    return d;
  }

  run(o: RunOptions = {}): FakeWorkflowRun {
    const workflow = o.workflow ?? "CI";
    const runNumber = (this.runNumbers.get(workflow) ?? 0) + 1;
    this.runNumbers.set(workflow, runNumber);
    const id = this.repo.databaseId * 100_000 + ++this.counters.run;
    const status = o.status ?? "completed";
    const conclusion = o.conclusion !== undefined ? o.conclusion : status === "completed" ? "success" : null;
    const createdAt = t(o.createdAt ?? this.clock);
    const startedAt = t(o.startedAt ?? createdAt + 5_000);
    const updatedAt = t(
      o.updatedAt ?? (status === "completed" ? startedAt + (o.minutes ?? 6) * MINUTE : startedAt),
    );
    const sha = o.sha ?? this.head;
    const head = this.repo.commits.find((c) => c.oid === sha);
    const run: FakeWorkflowRun = {
      id,
      name: workflow,
      path: o.path ?? `.github/workflows/${workflow.toLowerCase().replace(/\W+/g, "-")}.yml`,
      workflowId: 1_000 + (Number.parseInt(sha1(workflow).slice(0, 6), 16) % 9_000),
      runNumber,
      runAttempt: o.runAttempt ?? 1,
      headBranch: o.branch === undefined ? this.repo.defaultBranch : o.branch,
      headSha: sha,
      event: o.event ?? "push",
      status,
      conclusion,
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
      runStartedAt: iso(startedAt),
      actor: actor(o.actor ?? "octo-dev"),
      displayTitle: o.displayTitle ?? head?.message.split("\n")[0] ?? workflow,
      pullRequests: o.pullRequests ?? [],
      jobs: (o.jobs ?? ["build"]).map((j, k) => {
        const job = typeof j === "string" ? { name: j } : j;
        const jobStatus = job.status ?? status;
        return {
          id: id * 10 + k,
          name: job.name,
          status: jobStatus,
          conclusion: job.conclusion !== undefined ? job.conclusion : conclusion,
          createdAt: iso(createdAt),
          startedAt: iso(startedAt),
          completedAt: jobStatus === "completed" ? iso(updatedAt) : null,
        };
      }),
    };
    this.repo.workflowRuns.push(run);
    return run;
  }

  /** A lightweight tag, or an annotated one (a tag object with its own oid and tagger date). */
  tag(o: {
    name: string;
    sha?: string;
    annotated?: boolean;
    at?: Time;
    message?: string;
    tagger?: Who;
  }): FakeTag {
    const tag: FakeTag = { name: o.name, target: o.sha ?? this.head };
    if (o.annotated) {
      const who = identity(o.tagger ?? "octo-releaser");
      tag.annotated = {
        oid: this.oid(),
        message: o.message ?? o.name,
        tagger: { name: who.name, email: who.email, date: iso(o.at ?? this.clock) },
      };
    }
    this.repo.tags.push(tag);
    return tag;
  }

  /** A release; publishing creates its tag (lightweight, at `sha`) when it does not exist, as GitHub does. */
  release(o: {
    tag: string;
    name?: string;
    at?: Time;
    publishedAt?: Time;
    sha?: string;
    draft?: boolean;
    prerelease?: boolean;
    author?: Who;
  }): FakeRelease {
    const createdAt = iso(o.at ?? this.clock);
    const release: FakeRelease = {
      databaseId: (this.repo.databaseId % 200_000) * 10_000 + ++this.counters.release,
      tagName: o.tag,
      name: o.name ?? o.tag,
      createdAt,
      publishedAt: o.draft ? null : iso(o.publishedAt ?? createdAt),
      isDraft: o.draft ?? false,
      isPrerelease: o.prerelease ?? false,
      author: actor(o.author ?? "octo-releaser"),
    };
    if (!o.draft && !this.repo.tags.some((x) => x.name === o.tag)) this.tag({ name: o.tag, sha: o.sha });
    this.repo.releases.push(release);
    return release;
  }

  issue(
    o: {
      number?: number;
      title?: string;
      body?: string | null;
      labels?: string[];
      createdAt?: Time;
      closedAt?: Time;
      updatedAt?: Time;
      author?: Who;
    } = {},
  ): FakeIssue {
    const number = this.takeNumber(o.number);
    const createdAt = iso(o.createdAt ?? this.clock);
    const closedAt = o.closedAt === undefined ? null : iso(o.closedAt);
    const issue: FakeIssue = {
      number,
      title: o.title ?? `Issue ${number}`,
      body: o.body ?? null,
      author: actor(o.author ?? "octo-oncall"),
      state: closedAt ? "CLOSED" : "OPEN",
      createdAt,
      updatedAt: iso(o.updatedAt ?? closedAt ?? createdAt),
      closedAt,
      labels: o.labels ?? [],
    };
    this.repo.issues.push(issue);
    return issue;
  }

  protected addCommit(c: Omit<FakeCommit, "oid">): FakeCommit {
    const commit = { ...c, oid: this.oid() };
    this.repo.commits.push(commit);
    return commit;
  }

  protected land(oid: string, at: number) {
    const last = this.landings[this.landings.length - 1];
    if (last && at < last.at)
      throw new Error(
        `${iso(at)} lands before ${iso(last.at)}, the default branch's last change: add PRs in the order they merge`,
      );
    this.landings.push({ at, oid });
    this.repo.branches[this.repo.defaultBranch] = oid;
  }

  /** The default branch as it was at `at` (a branch started then forks there). */
  protected landingAt(at: number): string {
    let oid = this.landings[0]?.oid ?? "";
    for (const l of this.landings) if (l.at <= at) oid = l.oid;
    return oid;
  }

  /** PRs and issues share one sequence of numbers, as on GitHub. */
  protected takeNumber(wanted?: number): number {
    const n = wanted ?? this.nextNumber;
    if (this.repo.pullRequests.some((p) => p.number === n) || this.repo.issues.some((i) => i.number === n))
      throw new Error(`#${n} is taken`);
    this.nextNumber = Math.max(this.nextNumber, n + 1);
    return n;
  }
}
