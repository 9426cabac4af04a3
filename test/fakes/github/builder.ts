import { actor, HOUR, identity, MINUTE, RepoBase, type Time, t, WEB_FLOW, type Who } from "./builder-base";
import type {
  FakeCommit,
  FakeData,
  FakePullRequest,
  FakeRepository,
  FakeReview,
  GitIdentity,
  MergeMethod,
  ReviewState,
} from "./model";
import { iso } from "./model";

export { type DeployOptions, identity, type RunOptions, type Time, WEB_FLOW, type Who } from "./builder-base";

/**
 * Realistic, correct histories in a few lines. PRs land on the default branch the way GitHub lands them (a squash
 * commit, a two-parent merge commit, or the branch's commits replayed), their own commits stay in the repository,
 * PR and issue numbers share one sequence, and oids are deterministic (sha1 of the repository and a counter).
 *
 *   const b = repoBuilder("acme/api", { start: "2026-03-01T09:00:00Z" });
 *   const pr = b.squashPR({ title: "Add refunds", commits: 3, mergedAt: "2026-03-02T15:00:00Z" });
 *   b.deploy({ env: "production", at: "2026-03-02T16:00:00Z" });
 *   const fake = await startFakeGitHub({ data: fakeData(b) });
 *
 * Unset times follow a clock that starts at `start` and moves past everything created.
 */

export interface PROptions {
  number?: number;
  title?: string;
  body?: string | null;
  author?: Who;
  branch?: string;
  base?: string;
  /** How many commits the branch has (default 1, or as many as `authoredAt` times). */
  commits?: number;
  /** The first commit's time (the rest 30 minutes apart), or each commit's. */
  authoredAt?: Time | Time[];
  createdAt?: Time;
  /** After createdAt: the PR was opened as a draft and marked ready then (a ReadyForReviewEvent). */
  readyAt?: Time;
  /** An open PR that is still a draft. */
  draft?: boolean;
  /** A COMMENTED review; null: none. Default 2 h after the PR is ready. */
  reviewedAt?: Time | null;
  /** An APPROVED review; null: none. Default at reviewedAt. */
  approvedAt?: Time | null;
  reviewer?: Who;
  /** Replaces the reviews above. */
  reviews?: { author?: Who; state: ReviewState; at: Time }[];
  /** Default 1 h after approval (merged PRs only). */
  mergedAt?: Time;
  closedAt?: Time;
  /** Who presses the merge button (the merge commit's author); default the PR's author. */
  mergedBy?: Who;
  method?: MergeMethod;
  labels?: string[];
  files?: string[];
  additions?: number;
  deletions?: number;
}
export class RepoBuilder extends RepoBase {
  squashPR = (o: PROptions = {}) => this.pullRequest({ ...o, method: "squash" });
  mergePR = (o: PROptions = {}) => this.pullRequest({ ...o, method: "merge" });
  rebasePR = (o: PROptions = {}) => this.pullRequest({ ...o, method: "rebase" });
  /** Never merged; still open unless `closedAt`. */
  openPR = (o: Omit<PROptions, "method" | "mergedAt"> = {}) => this.pullRequest({ ...o, method: undefined });

  /** A Dependabot bump: bot author, `dependencies` label, approved by a human, squashed by default. */
  botPR(o: PROptions = {}): FakePullRequest {
    const n = o.number ?? this.nextNumber;
    return this.pullRequest({
      author: "dependabot[bot]",
      title: `Bump lodash from 4.17.${n} to 4.17.${n + 1}`,
      branch: `dependabot/npm_and_yarn/lodash-4.17.${n + 1}`,
      labels: ["dependencies"],
      files: ["package.json", "package-lock.json"],
      mergedBy: o.reviewer ?? "octo-reviewer",
      body: "Bumps [lodash](https://github.com/lodash/lodash).",
      method: "squash",
      ...o,
    });
  }

  /** GitHub's revert button: branch `revert-<n>-<branch>`, title `Revert "<title>"`. */
  revertPR(of: FakePullRequest, o: PROptions = {}): FakePullRequest {
    return this.pullRequest({
      title: `Revert "${of.title}"`,
      branch: `revert-${of.number}-${of.headRefName}`,
      body: `Reverts ${this.repo.owner}/${this.repo.name}#${of.number}`,
      files: of.files,
      method: "squash",
      ...o,
    });
  }

  pullRequest(o: PROptions & { method: MergeMethod | undefined }): FakePullRequest {
    const number = this.takeNumber(o.number);
    const author = actor(o.author ?? "octo-dev");
    const title = o.title ?? `Change ${number}`;
    const branch = o.branch ?? `${author.login}/change-${number}`;
    const first = o.authoredAt;
    const times = Array.isArray(first)
      ? first.map(t)
      : Array.from({ length: o.commits ?? 1 }, (_, i) => t(first ?? this.clock) + i * 30 * MINUTE);
    const files = o.files ?? [`src/change-${number}.ts`];
    // Each commit of the branch changes part of the PR's files, the first one always.
    const filesOf = (i: number) => {
      const own = files.filter((_, j) => j % times.length === i);
      return own.length > 0 ? own : files.slice(0, 1);
    };
    let parent = this.landingAt(times[0] ?? this.clock);
    const commits = times.map((at, i) => {
      const c = this.addCommit({
        parents: [parent],
        authoredDate: iso(at),
        committedDate: iso(at),
        author: identity(author),
        message: i === 0 ? title : `Address review comments (${i})`,
        files: filesOf(i),
      });
      parent = c.oid;
      return c;
    });
    const lastCommit = times[times.length - 1] ?? this.clock;
    const createdAt = t(o.createdAt ?? lastCommit + 10 * MINUTE);
    const readyAt = o.readyAt !== undefined && t(o.readyAt) > createdAt ? t(o.readyAt) : null;
    const reviews = this.reviews(
      o,
      readyAt ?? createdAt,
      o.method && o.mergedAt !== undefined ? t(o.mergedAt) : null,
    );
    // The PR's last activity before it merges or closes.
    const settled = Math.max(createdAt, readyAt ?? 0, ...reviews.map((r) => t(r.submittedAt)));
    const pr: FakePullRequest = {
      number,
      title,
      body: o.body === undefined ? `Implements ${title.toLowerCase()}.` : o.body,
      author,
      state: "OPEN",
      isDraft: false,
      createdAt: iso(createdAt),
      updatedAt: iso(settled),
      mergedAt: null,
      closedAt: null,
      baseRefName: o.base ?? this.repo.defaultBranch,
      headRefName: branch,
      commits: commits.map((c) => c.oid),
      mergeCommit: null,
      mergeMethod: null,
      additions: o.additions ?? 12 * commits.length + 4 * files.length,
      deletions: o.deletions ?? 3 * commits.length,
      files,
      labels: o.labels ?? [],
      reviews,
      readyForReviewAt: readyAt === null ? null : iso(readyAt),
    };
    this.repo.pullRequests.push(pr);
    if (o.method) {
      const mergedAt = t(o.mergedAt ?? settled + HOUR);
      this.landPR(pr, o.method, commits, mergedAt, identity(o.mergedBy ?? author));
      const updated = iso(Math.max(mergedAt, settled));
      Object.assign(pr, {
        state: "MERGED",
        mergedAt: iso(mergedAt),
        closedAt: iso(mergedAt),
        updatedAt: updated,
      });
      this.clock = Math.max(this.clock, mergedAt + 30 * MINUTE);
    } else if (o.closedAt !== undefined) {
      Object.assign(pr, {
        state: "CLOSED",
        closedAt: iso(o.closedAt),
        updatedAt: iso(Math.max(t(o.closedAt), settled)),
      });
      this.clock = Math.max(this.clock, t(o.closedAt) + 30 * MINUTE);
    } else {
      pr.isDraft = o.draft ?? false;
      this.repo.branches[branch] = parent;
      this.clock = Math.max(this.clock, t(pr.updatedAt) + 30 * MINUTE);
    }
    return pr;
  }

  /** Reviews asked for, or by default (merged PRs) one approval 2 h after ready, before the merge. */
  private reviews(o: PROptions, ready: number, merged: number | null): FakeReview[] {
    if (o.reviews)
      return o.reviews.map((r) => ({
        author: actor(r.author ?? "octo-reviewer"),
        state: r.state,
        submittedAt: iso(r.at),
      }));
    const reviewer = actor(o.reviewer ?? "octo-reviewer");
    // Only merged PRs get a review by default; an open PR gets the ones asked for.
    const defaults = o.method !== undefined;
    const byDefault = Math.min(
      ready + 2 * HOUR,
      merged === null ? Number.POSITIVE_INFINITY : (ready + merged) / 2,
    );
    const reviewed =
      o.reviewedAt === null
        ? null
        : o.reviewedAt !== undefined
          ? t(o.reviewedAt)
          : defaults
            ? Math.round(byDefault)
            : null;
    const approved = o.approvedAt === null ? null : o.approvedAt !== undefined ? t(o.approvedAt) : reviewed;
    const out: FakeReview[] = [];
    if (reviewed !== null && (approved === null || reviewed < approved))
      out.push({ author: reviewer, state: "COMMENTED", submittedAt: iso(reviewed) });
    if (approved !== null) out.push({ author: reviewer, state: "APPROVED", submittedAt: iso(approved) });
    return out;
  }

  private landPR(
    pr: FakePullRequest,
    method: MergeMethod,
    commits: FakeCommit[],
    at: number,
    merger: GitIdentity,
  ) {
    const all = [...new Set(commits.flatMap((c) => c.files))];
    const when = iso(at);
    if (method === "rebase") {
      let parent = this.head;
      for (const { oid: _, ...c } of commits)
        parent = this.addCommit({ ...c, parents: [parent], committedDate: when, committer: WEB_FLOW }).oid;
      pr.mergeCommit = parent;
    } else {
      const squash = method === "squash";
      const c = this.addCommit({
        parents: squash ? [this.head] : [this.head, pr.commits[pr.commits.length - 1] ?? this.head],
        authoredDate: when,
        committedDate: when,
        author: squash ? identity(pr.author ?? "ghost") : merger,
        committer: WEB_FLOW,
        message: squash
          ? `${pr.title} (#${pr.number})\n\n${commits.map((x) => `* ${x.message}`).join("\n")}`
          : `Merge pull request #${pr.number} from ${this.repo.owner}/${pr.headRefName}\n\n${pr.title}`,
        files: all,
      });
      pr.mergeCommit = c.oid;
    }
    pr.mergeMethod = method;
    this.land(pr.mergeCommit, at);
  }
}

export const repoBuilder = (fullName: string, options?: ConstructorParameters<typeof RepoBuilder>[1]) =>
  new RepoBuilder(fullName, options);

/** The data for a fake: repositories (builders or plain), organisations derived from their owners. */
export function fakeData(...repos: (RepoBuilder | FakeRepository)[]): FakeData {
  const repositories = repos.map((r) => (r instanceof RepoBuilder ? r.repo : r));
  const organizations: Record<string, string[]> = {};
  for (const r of repositories) organizations[r.owner] = [...(organizations[r.owner] ?? []), r.name];
  return { repositories, organizations };
}
