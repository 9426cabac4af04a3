import { type Key, sortedPage, typedError } from "./connection";
import {
  anyLabel,
  branchRef,
  dirOf,
  gitObject,
  lower,
  type Order,
  pageArgs,
  peel,
  type RefV,
  type RepoV,
  tagRef,
  type Views,
} from "./context";
import { Git } from "./git";
import { ms } from "./model";
import { deploymentView, issueView, pullRequestView, refView, releaseView } from "./views";

/** `Repository`'s connections and lookups, with GitHub's orders and filters. */
export const Repository: Views<RepoV> = {
  pullRequests: ({ $repo: repo }, a) => {
    const states = a.states as string[] | null | undefined;
    const labels = lower(a.labels);
    const prs = repo.pullRequests.filter(
      (p) =>
        (!states || states.includes(p.state)) &&
        anyLabel(p.labels, labels) &&
        (a.headRefName == null || p.headRefName === a.headRefName) &&
        (a.baseRefName == null || p.baseRefName === a.baseRefName),
    );
    const order = a.orderBy as Order;
    const key = (p: (typeof prs)[number]): Key =>
      order?.field === "UPDATED_AT"
        ? [ms(p.updatedAt), p.number]
        : order?.field === "CREATED_AT"
          ? [ms(p.createdAt), p.number]
          : [p.number];
    return sortedPage("pullRequests", prs, key, dirOf(order), pageArgs(a), (p) => pullRequestView(repo, p));
  },
  pullRequest: ({ $repo: repo }, a) => {
    const pr = repo.pullRequests.find((p) => p.number === a.number);
    if (!pr)
      throw typedError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${a.number}.`);
    return pullRequestView(repo, pr);
  },
  issue: ({ $repo: repo }, a) => {
    const issue = repo.issues.find((i) => i.number === a.number);
    if (!issue)
      throw typedError("NOT_FOUND", `Could not resolve to an Issue with the number of ${a.number}.`);
    return issueView(repo, issue);
  },
  deployments: ({ $repo: repo }, a) => {
    const envs = a.environments as string[] | null | undefined;
    const ds = repo.deployments.filter((d) => !envs || envs.includes(d.environment));
    const order = a.orderBy as Order;
    return sortedPage(
      "deployments",
      ds,
      (d) => [ms(d.createdAt), d.databaseId],
      dirOf(order),
      pageArgs(a),
      (d) => deploymentView(repo, d),
    );
  },
  issues: ({ $repo: repo }, a) => {
    const f = (a.filterBy ?? {}) as {
      labels?: string[] | null;
      since?: string | null;
      states?: string[] | null;
    };
    const labels = lower(a.labels) ?? lower(f.labels);
    const states = (a.states ?? f.states) as string[] | null | undefined;
    const since = f.since ? ms(f.since) : null;
    const issues = repo.issues.filter(
      (i) =>
        (!states || states.includes(i.state)) &&
        anyLabel(i.labels, labels) &&
        (since === null || ms(i.updatedAt) >= since),
    );
    const order = a.orderBy as Order;
    const key = (i: (typeof issues)[number]): Key =>
      order?.field === "UPDATED_AT"
        ? [ms(i.updatedAt), i.number]
        : order?.field === "CREATED_AT"
          ? [ms(i.createdAt), i.number]
          : [i.number];
    return sortedPage("issues", issues, key, dirOf(order), pageArgs(a), (i) => issueView(repo, i));
  },
  releases: ({ $repo: repo }, a) => {
    const order = a.orderBy as Order;
    const key = (r: (typeof repo.releases)[number]): Key =>
      order?.field === "NAME" ? [r.name ?? r.tagName, r.databaseId] : [ms(r.createdAt), r.databaseId];
    return sortedPage("releases", repo.releases, key, dirOf(order, "DESC"), pageArgs(a), (r) =>
      releaseView(repo, r),
    );
  },
  refs: ({ $repo: repo }, a, ctx) => {
    const git = Git.of(ctx.git, repo);
    const query = typeof a.query === "string" ? a.query : "";
    const order = a.orderBy as Order;
    const dir = order ? dirOf(order) : a.direction === "DESC" ? -1 : 1;
    type Item = { name: string; date: number; view: () => RefV };
    let items: Item[] = [];
    if (a.refPrefix === "refs/tags/")
      items = repo.tags.map((t) => ({
        name: t.name,
        // TAG_COMMIT_DATE: "the underlying commit date": the committer date of the commit the tag points at.
        date: ms(git.commit(peel(t))?.committedDate ?? "1970-01-01T00:00:00Z"),
        view: () => tagRef(repo, t),
      }));
    else if (a.refPrefix === "refs/heads/")
      items = Object.entries(repo.branches).map(([name, oid]) => ({
        name,
        date: ms(git.commit(oid)?.committedDate ?? "1970-01-01T00:00:00Z"),
        view: () => refView(repo, "refs/heads/", name, oid),
      }));
    items = items.filter((i) => i.name.includes(query));
    const key = (i: Item): Key => (order?.field === "TAG_COMMIT_DATE" ? [i.date, i.name] : [i.name]);
    return sortedPage("refs", items, key, dir, pageArgs(a), (i) => i.view());
  },
  object: ({ $repo: repo }, a, ctx) => {
    const git = Git.of(ctx.git, repo);
    const expression = typeof a.oid === "string" ? a.oid : String(a.expression ?? "");
    return gitObject(repo, git.resolve(expression));
  },
  defaultBranchRef: ({ $repo: repo }) => branchRef(repo, repo.defaultBranch),
  ref: ({ $repo: repo }, a) => {
    const q = String(a.qualifiedName);
    const tag = repo.tags.find((t) => q === `refs/tags/${t.name}`);
    if (tag) return tagRef(repo, tag);
    return branchRef(repo, q.startsWith("refs/heads/") ? q.slice(11) : q);
  },
};
