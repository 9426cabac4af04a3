import { historyCursors, offsetPage, page } from "./connection";
import {
  type CommitV,
  type DeploymentV,
  gitObject,
  type PrV,
  pageArgs,
  peel,
  type RefV,
  stub,
  type TagV,
  tagRef,
  type Views,
} from "./context";
import { Git, touches } from "./git";
import { type FakeCommit, fullName, iso, ms } from "./model";
import {
  actorView,
  commitView,
  deploymentStatusView,
  type issueView,
  labelView,
  refView,
  type releaseView,
  repoView,
} from "./views";

/** The connections and links of the objects under a repository: commits, PRs, deployments, releases, refs. */

export const Commit: Views<CommitV> = {
  history: ({ $repo: repo, $commit: c }, a, ctx) => {
    const since = a.since ? ms(String(a.since)) : null;
    const until = a.until ? ms(String(a.until)) : null;
    const path = typeof a.path === "string" ? a.path : null;
    const emails = (a.author as { emails?: string[] } | null)?.emails ?? null;
    // git log --since/--until compare committer dates; a path keeps the commits that change something under it.
    const commits = Git.of(ctx.git, repo)
      .log(c.oid)
      .filter(
        (x) =>
          (since === null || ms(x.committedDate) >= since) &&
          (until === null || ms(x.committedDate) <= until) &&
          (path === null || touches(x, path)) &&
          (!emails || emails.includes(x.author.email)),
      );
    return page("history", commits, pageArgs(a), historyCursors(c.oid), (x) => commitView(repo, x));
  },
  parents: ({ $repo: repo, $commit: c }, a, ctx) => {
    const git = Git.of(ctx.git, repo);
    return offsetPage("parents", c.parents, pageArgs(a), (oid) =>
      commitView(repo, git.commit(oid) ?? stub(oid, c)),
    );
  },
  repository: ({ $repo: repo }) => repoView(repo),
};

export const PullRequest: Views<PrV> = {
  commits: ({ $repo: repo, $pr: pr }, a, ctx) => {
    const git = Git.of(ctx.git, repo);
    const commits = pr.commits.map((oid) => git.commit(oid)).filter((c): c is FakeCommit => c !== undefined);
    return offsetPage("commits", commits, pageArgs(a), (c) => ({
      __typename: "PullRequestCommit",
      id: `PURC_kwDO${pr.number}_${c.oid}`,
      url: `https://github.com/${fullName(repo)}/pull/${pr.number}/commits/${c.oid}`,
      commit: commitView(repo, c),
    }));
  },
  reviews: ({ $repo: repo, $pr: pr }, a) => {
    const states = a.states as string[] | null | undefined;
    const reviews = pr.reviews
      .filter(
        (r) => (!states || states.includes(r.state)) && (a.author == null || r.author?.login === a.author),
      )
      .sort((x, y) => ms(x.submittedAt) - ms(y.submittedAt));
    return offsetPage("reviews", reviews, pageArgs(a), (r) => ({
      __typename: "PullRequestReview",
      state: r.state,
      submittedAt: r.state === "PENDING" ? null : iso(r.submittedAt),
      createdAt: iso(r.submittedAt),
      author: actorView(r.author),
      url: `https://github.com/${fullName(repo)}/pull/${pr.number}`,
    }));
  },
  labels: ({ $repo: repo, $pr: pr }, a) =>
    offsetPage("labels", pr.labels, pageArgs(a), (l) => labelView(repo, l)),
  files: ({ $pr: pr }, a) =>
    offsetPage("files", pr.files, pageArgs(a), (path) => ({
      __typename: "PullRequestChangedFile",
      path,
      additions: 0,
      deletions: 0,
      changeType: "MODIFIED",
    })),
  mergeCommit: ({ $repo: repo, $pr: pr }, _, ctx) => {
    const c = pr.mergeCommit ? Git.of(ctx.git, repo).commit(pr.mergeCommit) : undefined;
    return c ? commitView(repo, c) : null;
  },
  potentialMergeCommit: () => null,
  repository: ({ $repo: repo }) => repoView(repo),
  timelineItems: ({ $pr: pr }, a) => {
    // The events this data can tell: drafts marked ready, reviews, the merge or the close.
    const events: { type: string; at: string; view: Record<string, unknown> }[] = [];
    if (pr.readyForReviewAt)
      events.push({
        type: "READY_FOR_REVIEW_EVENT",
        at: pr.readyForReviewAt,
        view: { __typename: "ReadyForReviewEvent" },
      });
    for (const r of pr.reviews)
      events.push({
        type: "PULL_REQUEST_REVIEW",
        at: r.submittedAt,
        view: {
          __typename: "PullRequestReview",
          state: r.state,
          author: actorView(r.author),
          submittedAt: iso(r.submittedAt),
        },
      });
    if (pr.mergedAt)
      events.push({ type: "MERGED_EVENT", at: pr.mergedAt, view: { __typename: "MergedEvent" } });
    else if (pr.closedAt)
      events.push({ type: "CLOSED_EVENT", at: pr.closedAt, view: { __typename: "ClosedEvent" } });
    const types = a.itemTypes as string[] | null | undefined;
    const since = a.since ? ms(String(a.since)) : null;
    const kept = events
      .filter((e) => (!types || types.includes(e.type)) && (since === null || ms(e.at) >= since))
      .sort((x, y) => ms(x.at) - ms(y.at))
      .slice(typeof a.skip === "number" ? a.skip : 0);
    const conn = offsetPage("timelineItems", kept, pageArgs(a), (e) => ({
      id: `${e.type}_${pr.number}_${e.at}`,
      createdAt: iso(e.at),
      actor: actorView(pr.author),
      ...e.view,
    }));
    return {
      ...conn,
      filteredCount: kept.length,
      pageCount: conn.nodes.length,
      updatedAt: iso(pr.updatedAt),
    };
  },
};

export const Deployment: Views<DeploymentV> = {
  statuses: ({ $repo: repo, $deployment: d }, a) =>
    // Newest first, as GitHub lists them.
    offsetPage("statuses", [...d.statuses].reverse(), pageArgs(a), (s) => deploymentStatusView(repo, d, s)),
  commit: ({ $repo: repo, $deployment: d }, _, ctx) => {
    const c = Git.of(ctx.git, repo).commit(d.sha);
    return c ? commitView(repo, c) : null;
  },
  ref: ({ $repo: repo, $deployment: d }) => {
    if (d.ref === null) return null;
    const tag = repo.tags.find((t) => t.name === d.ref);
    return tag ? tagRef(repo, tag) : refView(repo, "refs/heads/", d.ref, repo.branches[d.ref] ?? d.sha);
  },
  repository: ({ $repo: repo }) => repoView(repo),
};

export const Release: Views<ReturnType<typeof releaseView>> = {
  tagCommit: ({ $repo: repo, $release: r }, _, ctx) => {
    const tag = repo.tags.find((t) => t.name === r.tagName);
    const c = tag ? Git.of(ctx.git, repo).commit(peel(tag)) : undefined;
    return c ? commitView(repo, c) : null;
  },
  tag: ({ $repo: repo, $release: r }) => {
    const tag = repo.tags.find((t) => t.name === r.tagName);
    return tag ? tagRef(repo, tag) : null;
  },
};

export const Ref: Views<RefV> = {
  target: ({ $repo: repo, $target: target }, _, ctx) => {
    const git = Git.of(ctx.git, repo);
    return gitObject(repo, typeof target === "string" ? git.commit(target) : target);
  },
  repository: ({ $repo: repo }) => repoView(repo),
};

export const Tag: Views<TagV> = {
  target: ({ $repo: repo, $tag: t }, _, ctx) => {
    const c = Git.of(ctx.git, repo).commit(t.target);
    return c ? commitView(repo, c) : null;
  },
  repository: ({ $repo: repo }) => repoView(repo),
};

export const Issue: Views<ReturnType<typeof issueView>> = {
  labels: ({ $repo: repo, $issue: i }, a) =>
    offsetPage("labels", i.labels, pageArgs(a), (l) => labelView(repo, l)),
  repository: ({ $repo: repo }) => repoView(repo),
};
