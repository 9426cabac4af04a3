import {
  type Actor,
  deploymentState,
  type FakeCommit,
  type FakeDeployment,
  type FakeDeploymentStatus,
  type FakeIssue,
  type FakePullRequest,
  type FakeRelease,
  type FakeRepository,
  type FakeTag,
  fullName,
  type GitIdentity,
  isBot,
  iso,
  isoOrNull,
  latestStatus,
} from "./model";

/**
 * The objects GraphQL execution walks: a GitHub type's scalar fields as GitHub returns them (so the default
 * resolver can read them), `__typename` for abstract types, and `$`-prefixed links back to the data for the
 * fields that need arguments (connections: see resolvers.ts).
 */

export const WEB = "https://github.com";

const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** Opaque global ids shaped like GitHub's (`PR_kwDO…`); this fake can decode them (nodes(ids)). */
export const nodeId = (prefix: string, repo: FakeRepository, key: string | number) =>
  `${prefix}_kwDO${b64url(`${fullName(repo)}:${key}`)}`;

export function decodeNodeId(id: string): { prefix: string; repo: string; key: string } | null {
  const m = /^([A-Z]+)_kwDO([A-Za-z0-9_-]+)$/.exec(id);
  if (!m?.[1] || !m[2]) return null;
  const s = Buffer.from(m[2], "base64url").toString("utf8");
  const i = s.lastIndexOf(":");
  return i < 0 ? null : { prefix: m[1], repo: s.slice(0, i), key: s.slice(i + 1) };
}

/** GraphQL names a bot without the `[bot]` REST adds: `dependabot`, `github-actions`. */
export function actorView(a: Actor | null) {
  if (!a) return null;
  const bot = isBot(a);
  const login = bot ? a.login.replace(/\[bot\]$/, "") : a.login;
  return {
    __typename: bot ? "Bot" : "User",
    id: `${bot ? "BOT" : "U"}_kgDO${b64url(login)}`,
    login,
    url: bot ? `${WEB}/apps/${login}` : `${WEB}/${login}`,
    resourcePath: bot ? `/apps/${login}` : `/${login}`,
    avatarUrl: `https://avatars.githubusercontent.com/u/${login}?v=4`,
  };
}

/** `GitActor.user` is a User: null for an email GitHub cannot map, and for bots (a Bot is not a User). */
const gitActor = (who: GitIdentity, date: string) => ({
  name: who.name,
  email: who.email,
  date: iso(date),
  user: who.login && !who.login.endsWith("[bot]") ? actorView({ login: who.login, bot: false }) : null,
});

export function repoView(repo: FakeRepository) {
  return {
    __typename: "Repository",
    $repo: repo,
    id: nodeId("R", repo, "repo"),
    databaseId: repo.databaseId,
    name: repo.name,
    nameWithOwner: fullName(repo),
    url: `${WEB}/${fullName(repo)}`,
    isArchived: repo.archived,
    isPrivate: repo.isPrivate ?? true,
    isFork: false,
    createdAt: iso(repo.createdAt),
    owner: { __typename: "Organization", login: repo.owner, id: `O_kgDO${b64url(repo.owner)}` },
  };
}

export function commitView(repo: FakeRepository, c: FakeCommit) {
  const lines = c.message.split("\n");
  return {
    __typename: "Commit",
    $repo: repo,
    $commit: c,
    id: nodeId("C", repo, c.oid),
    oid: c.oid,
    abbreviatedOid: c.oid.slice(0, 7),
    authoredDate: iso(c.authoredDate),
    committedDate: iso(c.committedDate),
    message: c.message,
    messageHeadline: lines[0] ?? "",
    messageBody: lines.slice(1).join("\n").trim(),
    url: `${WEB}/${fullName(repo)}/commit/${c.oid}`,
    additions: c.additions ?? 0,
    deletions: c.deletions ?? 0,
    changedFilesIfAvailable: c.files.length,
    author: gitActor(c.author, c.authoredDate),
    committer: gitActor(c.committer ?? c.author, c.committedDate),
  };
}

export const headRefOid = (pr: FakePullRequest) => pr.headRefOid ?? pr.commits[pr.commits.length - 1] ?? "";

export function pullRequestView(repo: FakeRepository, pr: FakePullRequest) {
  return {
    __typename: "PullRequest",
    $repo: repo,
    $pr: pr,
    id: nodeId("PR", repo, pr.number),
    databaseId: repo.databaseId * 10_000 + pr.number,
    number: pr.number,
    title: pr.title,
    body: pr.body ?? "",
    url: `${WEB}/${fullName(repo)}/pull/${pr.number}`,
    permalink: `${WEB}/${fullName(repo)}/pull/${pr.number}`,
    state: pr.state,
    isDraft: pr.isDraft,
    merged: pr.state === "MERGED",
    closed: pr.state !== "OPEN",
    createdAt: iso(pr.createdAt),
    updatedAt: iso(pr.updatedAt),
    mergedAt: isoOrNull(pr.mergedAt),
    closedAt: isoOrNull(pr.closedAt),
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changedFiles ?? pr.files.length,
    baseRefName: pr.baseRefName,
    headRefName: pr.headRefName,
    headRefOid: headRefOid(pr),
    author: actorView(pr.author),
  };
}

export function deploymentStatusView(repo: FakeRepository, d: FakeDeployment, s: FakeDeploymentStatus) {
  return {
    __typename: "DeploymentStatus",
    id: nodeId("DES", repo, `${d.databaseId}/${d.statuses.indexOf(s)}`),
    state: s.state,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.createdAt),
    logUrl: s.logUrl ?? null,
    environmentUrl: s.environmentUrl ?? null,
    description: s.description ?? null,
    creator: actorView(d.creator),
  };
}

export function deploymentView(repo: FakeRepository, d: FakeDeployment) {
  const latest = latestStatus(d);
  return {
    __typename: "Deployment",
    $repo: repo,
    $deployment: d,
    id: nodeId("DE", repo, d.databaseId),
    databaseId: d.databaseId,
    environment: d.environment,
    originalEnvironment: d.environment,
    latestEnvironment: d.environment,
    commitOid: d.sha,
    task: d.task,
    description: d.description ?? null,
    payload: d.payload ?? "{}",
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt ?? latest?.createdAt ?? d.createdAt),
    state: deploymentState(d),
    creator: actorView(d.creator),
    latestStatus: latest ? deploymentStatusView(repo, d, latest) : null,
  };
}

export function issueView(repo: FakeRepository, i: FakeIssue) {
  return {
    __typename: "Issue",
    $repo: repo,
    $issue: i,
    id: nodeId("I", repo, i.number),
    databaseId: repo.databaseId * 10_000 + i.number,
    number: i.number,
    title: i.title,
    body: i.body ?? "",
    url: `${WEB}/${fullName(repo)}/issues/${i.number}`,
    state: i.state,
    stateReason: i.state === "CLOSED" ? "COMPLETED" : null,
    closed: i.state === "CLOSED",
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
    closedAt: isoOrNull(i.closedAt),
    author: actorView(i.author),
  };
}

export function releaseView(repo: FakeRepository, r: FakeRelease) {
  return {
    __typename: "Release",
    $repo: repo,
    $release: r,
    id: nodeId("RE", repo, r.databaseId),
    databaseId: r.databaseId,
    name: r.name,
    tagName: r.tagName,
    createdAt: iso(r.createdAt),
    publishedAt: isoOrNull(r.publishedAt),
    isDraft: r.isDraft,
    isPrerelease: r.isPrerelease,
    url: `${WEB}/${fullName(repo)}/releases/tag/${encodeURIComponent(r.tagName)}`,
    // Release.author is a User in GitHub's schema: a release made by a bot has none here (a guess).
    author: isBot(r.author) ? null : actorView(r.author),
  };
}

/** A ref: `target` is an oid (a branch or a lightweight tag) or a tag object (an annotated tag). */
export function refView(
  repo: FakeRepository,
  prefix: "refs/heads/" | "refs/tags/",
  name: string,
  target: string | FakeTag,
) {
  return {
    __typename: "Ref",
    $repo: repo,
    $target: target,
    id: nodeId("REF", repo, `${prefix}${name}`),
    name,
    prefix,
  };
}

export function tagView(repo: FakeRepository, t: FakeTag & Required<Pick<FakeTag, "annotated">>) {
  return {
    __typename: "Tag",
    $repo: repo,
    $tag: t,
    id: nodeId("TAG", repo, t.annotated.oid),
    oid: t.annotated.oid,
    abbreviatedOid: t.annotated.oid.slice(0, 7),
    name: t.name,
    message: t.annotated.message,
    tagger: gitActor({ ...t.annotated.tagger, login: null }, t.annotated.tagger.date),
  };
}

export const labelView = (repo: FakeRepository, name: string) => ({
  __typename: "Label",
  id: nodeId("LA", repo, name),
  name,
  color: "ededed",
  url: `${WEB}/${fullName(repo)}/labels/${encodeURIComponent(name)}`,
});
