import { createHash } from "node:crypto";
import { type DemoOptions, type DemoRepository, demoRepositories } from "@/lib/demo/generate";
import { person } from "@/lib/demo/words";
import { WEB_FLOW } from "./builder";
import {
  type Actor,
  addDeploymentStatus,
  type FakeCommit,
  type FakeDeploymentStatus,
  type FakePullRequest,
  type FakeRepository,
  type FakeReview,
  type GitIdentity,
  iso,
} from "./model";

/**
 * One demo repository (lib/demo) as GitHub would hold it, to run the ingest against a realistic history at scale
 * (24 months of the default demo: acme/payments-api has ~2,100 PRs, ~3,600 deployments, ~7,800 CI runs).
 *
 * The demo keeps what derive needs, not everything GitHub has, so some of it is reconstructed:
 * - a squash-merged or unmerged PR's own commits: `commitCount` commits from `firstCommitAt` until it was ready,
 *   the last one being its head SHA; a rebase-merged PR's originals are copies of the replayed commits with their
 *   author dates as commit dates (GitHub lists the originals on the PR);
 * - reviews: a COMMENTED review at the first review and an APPROVED one at the approval, by the first reviewer;
 * - a PR's files: those of its landing commit(s) (an unmerged PR has none);
 * - incidents become issues labelled `incident` and their severity, numbered after the PRs;
 * - a deployment's service (monorepos) is in its `payload` and `description`.
 */

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
const ms = (d: Date | null | undefined) => d?.getTime() ?? null;

export function fromDemo(demo: DemoRepository, options: { databaseId?: number } = {}): FakeRepository {
  const full = demo.repository.fullName;
  const [owner = "", name = ""] = full.split("/");
  const databaseId = options.databaseId ?? 100_000 + (Number.parseInt(sha1(full).slice(0, 8), 16) % 99_000);
  const commits: FakeCommit[] = demo.commits.map((c) => ({
    oid: c.sha,
    parents: c.parentShas,
    authoredDate: iso(c.authoredAt),
    committedDate: iso(c.committedAt),
    author: { name: c.authorName ?? "", email: c.authorEmail ?? "", login: c.authorLogin ?? null },
    // Squash and merge commits, and rebased ones (committed later than authored), are made by GitHub.
    ...(c.committedAt.getTime() !== c.authoredAt.getTime() ||
    /\(#\d+\)$|^Merge pull request #/.test(c.title ?? "")
      ? { committer: WEB_FLOW }
      : {}),
    message: c.title ?? "",
    files: c.changedPaths ?? [],
  }));
  const byOid = new Map(commits.map((c) => [c.oid, c]));
  const head = commits[commits.length - 1]?.oid ?? "";
  const repo: FakeRepository = {
    owner,
    name,
    databaseId,
    defaultBranch: demo.repository.defaultBranch,
    archived: demo.repository.archived,
    createdAt: commits[0]?.authoredDate ?? iso(0),
    branches: { [demo.repository.defaultBranch]: head },
    commits,
    pullRequests: [],
    deployments: [],
    workflowRuns: [],
    releases: [],
    tags: [],
    issues: [],
  };

  // The default branch's first-parent history, oldest first: where a PR's branch forked.
  const mainline: FakeCommit[] = [];
  for (let c = byOid.get(head); c; c = byOid.get(c.parents[0] ?? "")) mainline.unshift(c);
  const mainlineAt = mainline.map((c) => Date.parse(c.committedDate));
  const forkPoint = (at: number) => {
    // The last mainline commit at or before `at` (binary search: demo histories have thousands).
    let lo = 0;
    let hi = mainline.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((mainlineAt[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return mainline[lo]?.oid ?? "";
  };
  const people = new Map<string, GitIdentity>();
  for (const c of commits) if (c.author.login) people.set(c.author.login, c.author);
  const who = (login: string): GitIdentity => {
    const p = person(login);
    return people.get(login) ?? { name: p.name, email: p.email, login };
  };
  const walk = (from: string | null | undefined, n: number) => {
    const out: FakeCommit[] = [];
    for (let c = byOid.get(from ?? ""); c && out.length < n; c = byOid.get(c.parents[0] ?? ""))
      out.unshift(c);
    return out;
  };

  for (const p of demo.pullRequests) {
    const login = p.authorLogin ?? "ghost";
    const n = p.commitCount ?? 1;
    const method = p.mergeMethod ?? null;
    let own: FakeCommit[];
    let files: string[] = [];
    if (method === "merge") {
      own = walk(p.headSha, n);
      files = byOid.get(p.mergeSha ?? "")?.files ?? [];
    } else {
      const replayed = method === "rebase" ? walk(p.mergeSha, n) : [];
      files =
        method === "rebase"
          ? [...new Set(replayed.flatMap((c) => c.files))]
          : (byOid.get(p.mergeSha ?? "")?.files ?? []);
      // The branch's own commits, no longer reachable from the default branch.
      const from = ms(p.firstCommitAt) ?? p.createdAt.getTime();
      const to = Math.max(from, (ms(p.readyAt) ?? p.createdAt.getTime()) - 5 * 60_000);
      let parent = forkPoint(from);
      own = Array.from({ length: n }, (_, i) => {
        const model = replayed[i];
        const at = model
          ? Date.parse(model.authoredDate)
          : n === 1
            ? from
            : from + Math.round(((to - from) * i) / (n - 1));
        const c: FakeCommit = {
          oid: i === n - 1 && p.headSha ? p.headSha : sha1(`${full}\u0000pr-${p.number}\u0000${i}`),
          parents: [parent],
          authoredDate: iso(at),
          committedDate: iso(at),
          author: model?.author ?? who(login),
          message: model?.message ?? (i === 0 ? p.title : `Address review comments (${i})`),
          files: model?.files ?? files.filter((_, j) => j % n === i),
        };
        parent = c.oid;
        commits.push(c);
        return c;
      });
    }
    const reviewer: Actor | null = p.reviewerLogins?.[0] ? { login: p.reviewerLogins[0] } : null;
    const reviews: FakeReview[] = [];
    const first = ms(p.firstReviewAt);
    const approved = ms(p.approvedAt);
    if (reviewer && first !== null && (approved === null || first < approved))
      reviews.push({ author: reviewer, state: "COMMENTED", submittedAt: iso(first) });
    if (reviewer && approved !== null)
      reviews.push({ author: reviewer, state: "APPROVED", submittedAt: iso(approved) });
    const times = [p.createdAt, p.readyAt, p.firstReviewAt, p.approvedAt, p.mergedAt, p.closedAt].map(ms);
    const ready = ms(p.readyAt);
    const pr: FakePullRequest = {
      number: p.number,
      title: p.title,
      body: p.body ?? null,
      author: { login, bot: login.endsWith("[bot]") },
      state: p.state === "merged" ? "MERGED" : p.state === "closed" ? "CLOSED" : "OPEN",
      isDraft: p.state === "open" && ready === null,
      createdAt: iso(p.createdAt),
      updatedAt: iso(Math.max(...times.filter((x): x is number => x !== null))),
      mergedAt: p.mergedAt ? iso(p.mergedAt) : null,
      closedAt: p.closedAt ? iso(p.closedAt) : null,
      baseRefName: p.baseBranch ?? demo.repository.defaultBranch,
      headRefName: p.headBranch ?? `pr-${p.number}`,
      headRefOid: p.headSha ?? undefined,
      commits: own.map((c) => c.oid),
      mergeCommit: p.mergeSha ?? null,
      mergeMethod: method,
      additions: p.additions ?? 0,
      deletions: p.deletions ?? 0,
      changedFiles: p.changedFiles ?? files.length,
      files,
      labels: p.labels,
      reviews,
      readyForReviewAt: ready !== null && ready > p.createdAt.getTime() ? iso(ready) : null,
    };
    repo.pullRequests.push(pr);
    if (pr.state === "OPEN" && p.headSha) repo.branches[pr.headRefName] = p.headSha;
  }

  const human =
    demo.pullRequests.find((p) => p.authorLogin && !p.authorLogin.endsWith("[bot]"))?.authorLogin ??
    "octo-dev";
  const events: { at: number; d: FakeRepository["deployments"][number]; s: FakeDeploymentStatus }[] = [];
  demo.deployments.forEach((d, i) => {
    const deployment = {
      databaseId: (databaseId % 200_000) * 10_000 + i + 1,
      environment: d.environment,
      sha: d.sha,
      ref: d.ref ?? null,
      task: "deploy",
      createdAt: iso(d.createdAt),
      creator: { login: d.trigger === "manual" ? human : "github-actions[bot]" },
      description: d.service ?? null,
      payload: JSON.stringify(d.service ? { service: d.service } : {}),
      productionEnvironment: d.environment !== "staging",
      statuses: [],
    };
    repo.deployments.push(deployment);
    const logUrl = `https://github.com/${full}/actions/runs/${d.externalId}`;
    const status = (state: FakeDeploymentStatus["state"], at: Date) =>
      events.push({
        at: at.getTime(),
        d: deployment,
        s: { state, createdAt: iso(at), logUrl, environmentUrl: null },
      });
    status("IN_PROGRESS", d.startedAt);
    status(d.status === "success" ? "SUCCESS" : "FAILURE", d.finishedAt);
  });
  // In time order, so that a success inactivates the deployments before it (GitHub's auto_inactive).
  events.sort((a, b) => a.at - b.at);
  for (const e of events) addDeploymentStatus(repo, e.d, e.s);

  const prByHead = new Map(repo.pullRequests.map((p) => [p.headRefOid ?? "", p]));
  const runNumbers = new Map<string, number>();
  demo.ciBuilds.forEach((b, i) => {
    const started = b.startedAt ?? new Date(0);
    const pr = b.event === "pull_request" ? prByHead.get(b.sha) : undefined;
    const runNumber = (runNumbers.get(b.workflow) ?? 0) + 1;
    runNumbers.set(b.workflow, runNumber);
    const id = databaseId * 100_000 + i + 1;
    const status = b.status === "completed" ? "completed" : "in_progress";
    const conclusion = b.conclusion === "success" || b.conclusion === "failure" ? b.conclusion : null;
    repo.workflowRuns.push({
      id,
      name: b.workflow,
      path: `.github/workflows/${b.workflow}.yml`,
      workflowId: b.workflow === "deploy" ? 2_002 : 2_001,
      runNumber,
      runAttempt: 1,
      headBranch: b.branch ?? null,
      headSha: b.sha,
      event: b.event ?? "push",
      status,
      conclusion,
      createdAt: iso(started.getTime() - 3_000),
      updatedAt: iso(b.finishedAt ?? started),
      runStartedAt: iso(started),
      actor: { login: pr?.author?.login ?? human },
      displayTitle: pr?.title ?? byOid.get(b.sha)?.message ?? b.workflow,
      pullRequests: pr ? [pr.number] : [],
      jobs: [
        {
          id: id * 10,
          name: b.workflow === "deploy" ? "deploy" : "build",
          status,
          conclusion,
          createdAt: iso(started),
          startedAt: iso(started),
          completedAt: b.finishedAt ? iso(b.finishedAt) : null,
        },
      ],
    });
  });

  const lastNumber = Math.max(0, ...repo.pullRequests.map((p) => p.number));
  demo.incidents.forEach((inc, i) => {
    const closedAt = inc.resolvedAt ? iso(inc.resolvedAt) : null;
    repo.issues.push({
      number: lastNumber + i + 1,
      title: inc.title ?? "Incident",
      body: inc.url ? `Status page: ${inc.url}` : null,
      author: { login: "octo-oncall" },
      state: closedAt ? "CLOSED" : "OPEN",
      createdAt: iso(inc.openedAt),
      updatedAt: closedAt ?? iso(inc.openedAt),
      closedAt,
      labels: ["incident", ...(inc.severity ? [inc.severity] : [])],
    });
  });
  return repo;
}

/** One repository of a demo organisation, by name (e.g. "acme/payments-api"). */
export function demoRepository(fullName: string, options: DemoOptions = {}): DemoRepository {
  for (const r of demoRepositories(options)) if (r.repository.fullName === fullName) return r;
  throw new Error(`the demo has no repository ${fullName}`);
}
