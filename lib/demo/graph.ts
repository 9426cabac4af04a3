import { createHash } from "node:crypto";
import type { MergeMethod } from "@/lib/domain/vocabulary";
import type { CommitRecord, PullRequestRecord } from "@/lib/ingest/records";
import type { Rng } from "./random";
import { commitMessage, type Person, person } from "./words";

/**
 * The commit graph and pull requests of one demo repository. PRs land on `main` the way GitHub lands them:
 * a squash commit, a merge commit whose second parent is the feature branch (its commits join the graph), or the
 * branch's commits replayed one by one (rebase). Lead time then starts where derive expects it to: at the PR's
 * first commit for a squash, at each commit's author time otherwise.
 */

export type PrKind = "feature" | "bot" | "fix" | "revert" | "hotfix";

export interface DemoPr {
  /** Creation order within the repository; numbers are assigned from creation times at the end. */
  seq: number;
  number: number;
  kind: PrKind;
  title: string;
  body: string | null;
  author: string;
  branch: string;
  method: MergeMethod;
  firstCommitAt: number;
  createdAt: number;
  readyAt: number;
  firstReviewAt: number | null;
  approvedAt: number | null;
  /** Planned merge (null: never merged). Whether it happened depends on the end of the history. */
  mergeAt: number | null;
  closedAt: number | null;
  /** Author times of the PR's commits, oldest first, all at or before `readyAt`. */
  commitTimes: number[];
  reviewers: string[];
  labels: string[];
  additions: number;
  deletions: number;
  changedFiles: number;
  /** Deploy units (services) the change touches; paths only in a monorepo. */
  units: string[];
  paths: string[] | null;
  reverts: DemoPr | null;
  headSha: string;
  mergeSha: string | null;
  landing: number | null;
}

/** A point of main's first-parent history: the tip after a PR (or the initial commit) landed. */
export interface Landing {
  index: number;
  at: number;
  sha: string;
  pr: DemoPr | null;
}

export interface DemoCommit extends CommitRecord {
  sha: string;
  parentShas: string[];
  authoredAt: Date;
  committedAt: Date;
}

export interface DemoPullRequest extends PullRequestRecord {
  number: number;
  title: string;
  createdAt: Date;
  readyAt: Date | null;
  firstCommitAt: Date | null;
  firstReviewAt: Date | null;
  approvedAt: Date | null;
  mergedAt: Date | null;
  closedAt: Date | null;
  labels: string[];
}

interface Commit {
  sha: string;
  parents: string[];
  authoredAt: number;
  committedAt: number;
  author: string;
  /** Plain title, or the PR whose number the title carries (squash and merge commits). */
  title: string;
  style: "plain" | "squash" | "merge";
  pr: DemoPr | null;
  paths: string[] | null;
}

const BOT_EMAILS: Record<string, string> = {
  "dependabot[bot]": "49699333+dependabot[bot]@users.noreply.github.com",
  "renovate[bot]": "29139614+renovate[bot]@users.noreply.github.com",
};

const identity = (login: string): Person =>
  login in BOT_EMAILS ? { handle: login, name: login, email: BOT_EMAILS[login] as string } : person(login);

export class RepoGraph {
  readonly landings: Landing[] = [];
  readonly prs: DemoPr[] = [];
  private readonly commits: Commit[] = [];
  private counter = 0;

  constructor(
    private readonly rng: Rng,
    readonly fullName: string,
    private readonly salt: string,
  ) {}

  /** A 40-hex SHA, stable for a seed, repository and position in the history. */
  newSha(): string {
    return createHash("sha1")
      .update(`${this.salt}\u0000${this.fullName}\u0000${this.counter++}`)
      .digest("hex");
  }

  get tip(): Landing {
    return this.landings[this.landings.length - 1] as Landing;
  }

  /** The repository's first commit: everything before the history starts. */
  root(at: number, author: string, paths: string[] | null): Landing {
    const sha = this.newSha();
    this.commits.push({
      sha,
      parents: [],
      authoredAt: at,
      committedAt: at,
      author,
      title: "Initial commit",
      style: "plain",
      pr: null,
      paths,
    });
    const landing = { index: 0, at, sha, pr: null };
    this.landings.push(landing);
    return landing;
  }

  addPr(pr: Omit<DemoPr, "seq" | "number" | "headSha" | "mergeSha" | "landing">): DemoPr {
    const full: DemoPr = {
      ...pr,
      seq: this.prs.length,
      number: 0,
      headSha: this.newSha(),
      mergeSha: null,
      landing: null,
    };
    this.prs.push(full);
    return full;
  }

  /** The tip of main at instant `t` (the branch point of a PR started then). */
  landingAt(t: number): Landing {
    let lo = 0;
    let hi = this.landings.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.landings[mid] as Landing).at <= t) lo = mid;
      else hi = mid - 1;
    }
    return this.landings[lo] as Landing;
  }

  /** Merges `pr` into main at `at`. */
  land(pr: DemoPr, at: number): Landing {
    const base = this.tip.sha;
    const n = pr.commitTimes.length;
    const pathsOf = (i: number) => {
      if (!pr.paths) return null;
      if (n === 1) return pr.paths;
      // Each commit of a branch touches part of the PR's files, the first one always.
      const own = pr.paths.filter((_, j) => j % n === i);
      return own.length ? own : [pr.paths[0] as string];
    };
    const branchCommit = (i: number, parent: string, committedAt: number, sha: string): Commit => ({
      sha,
      parents: [parent],
      authoredAt: pr.commitTimes[i] as number,
      committedAt,
      author: pr.author,
      title: commitMessage(this.rng, pr.title, i === 0),
      style: "plain",
      pr: null,
      paths: pathsOf(i),
    });
    let mergeSha: string;
    if (pr.method === "squash" || n === 0) {
      mergeSha = this.newSha();
      this.commits.push({
        sha: mergeSha,
        parents: [base],
        authoredAt: at,
        committedAt: at,
        author: pr.author,
        title: pr.title,
        style: "squash",
        pr,
        paths: pr.paths,
      });
    } else if (pr.method === "rebase") {
      let parent = base;
      for (let i = 0; i < n; i++) {
        const c = branchCommit(i, parent, at, this.newSha());
        this.commits.push(c);
        parent = c.sha;
      }
      mergeSha = parent;
    } else {
      // The feature branch starts from main as it was at the first commit; its head is the PR's head.
      let parent = this.landingAt(pr.firstCommitAt).sha;
      for (let i = 0; i < n; i++) {
        const sha = i === n - 1 ? pr.headSha : this.newSha();
        const c = branchCommit(i, parent, pr.commitTimes[i] as number, sha);
        this.commits.push(c);
        parent = sha;
      }
      mergeSha = this.newSha();
      this.commits.push({
        sha: mergeSha,
        parents: [base, parent],
        authoredAt: at,
        committedAt: at,
        author: pr.kind === "bot" ? (pr.reviewers[0] ?? pr.author) : pr.author,
        title: pr.title,
        style: "merge",
        pr,
        paths: pr.paths,
      });
    }
    const landing: Landing = { index: this.landings.length, at, sha: mergeSha, pr };
    pr.mergeSha = mergeSha;
    pr.landing = landing.index;
    this.landings.push(landing);
    return landing;
  }

  /** The records, with PR numbers assigned in creation order; nothing created after `end`. */
  finish(end: number): { commits: DemoCommit[]; pullRequests: DemoPullRequest[] } {
    const created = this.prs
      .filter((p) => p.createdAt <= end)
      .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    created.forEach((p, i) => {
      p.number = i + 1;
    });
    for (const p of created) {
      if (p.reverts) {
        p.branch = `revert-${p.reverts.number}-${p.reverts.branch}`;
        p.body = `Reverts ${this.fullName}#${p.reverts.number}`;
      }
    }
    const commits = this.commits.map((c): DemoCommit => {
      const who = identity(c.author);
      let title = c.title;
      if (c.style === "squash" && c.pr) title = `${c.pr.title} (#${c.pr.number})`;
      if (c.style === "merge" && c.pr)
        title = `Merge pull request #${c.pr.number} from ${this.fullName.split("/")[0]}/${c.pr.branch}`;
      return {
        sha: c.sha,
        parentShas: c.parents,
        authoredAt: new Date(c.authoredAt),
        committedAt: new Date(c.committedAt),
        authorName: who.name,
        authorEmail: who.email,
        authorLogin: who.handle,
        title,
        changedPaths: c.paths,
      };
    });
    return { commits, pullRequests: created.map((p) => this.record(p, end)) };
  }

  private record(p: DemoPr, end: number): DemoPullRequest {
    const merged = p.landing !== null;
    const closed = !merged && p.closedAt !== null && p.closedAt <= end;
    const upTo = (t: number | null) => (t !== null && t <= end ? new Date(t) : null);
    const firstReviewAt = upTo(p.firstReviewAt);
    const mergedAt = merged ? new Date(p.mergeAt as number) : null;
    return {
      number: p.number,
      title: p.title,
      body: p.body,
      url: `https://github.com/${this.fullName}/pull/${p.number}`,
      authorLogin: p.author,
      state: merged ? "merged" : closed ? "closed" : "open",
      baseBranch: "main",
      headBranch: p.branch,
      headSha: p.headSha,
      mergeSha: p.mergeSha,
      mergeMethod: merged ? p.method : null,
      createdAt: new Date(p.createdAt),
      readyAt: upTo(p.readyAt),
      firstCommitAt: new Date(p.firstCommitAt),
      firstReviewAt,
      approvedAt: upTo(p.approvedAt),
      mergedAt,
      closedAt: merged ? mergedAt : closed ? new Date(p.closedAt as number) : null,
      additions: p.additions,
      deletions: p.deletions,
      changedFiles: p.changedFiles,
      commitCount: p.commitTimes.length,
      labels: p.labels,
      reviewerLogins: firstReviewAt ? p.reviewers : [],
    };
  }
}
