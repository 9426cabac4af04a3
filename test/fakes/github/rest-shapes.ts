import { createHash } from "node:crypto";
import type { components } from "@octokit/openapi-types";
import {
  type Actor,
  actorId,
  type FakeCommit,
  type FakeJob,
  type FakeRepository,
  type FakeWorkflowRun,
  fullName,
  type GitIdentity,
  isBot,
  iso,
  isoOrNull,
} from "./model";
import { WEB } from "./views";

/**
 * REST objects in the shapes of GitHub's OpenAPI description (typed by @octokit/openapi-types, so a missing or
 * misspelt field fails the type check). API URLs point at the fake (`api`), so that following them works.
 */

type S = components["schemas"];

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

export function restUser(api: string, a: Actor): S["simple-user"] {
  const id = actorId(a);
  const u = `${api}/users/${a.login}`;
  return {
    login: a.login,
    id,
    node_id: `${isBot(a) ? "BOT" : "U"}_kgDO${Buffer.from(a.login).toString("base64url")}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: isBot(a) ? `${WEB}/apps/${a.login.replace(/\[bot\]$/, "")}` : `${WEB}/${a.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: isBot(a) ? "Bot" : "User",
    user_view_type: "public",
    site_admin: false,
  };
}

export function minimalRepository(api: string, repo: FakeRepository): S["minimal-repository"] {
  const r = `${api}/repos/${fullName(repo)}`;
  return {
    id: repo.databaseId,
    node_id: `R_kgDO${Buffer.from(fullName(repo)).toString("base64url")}`,
    name: repo.name,
    full_name: fullName(repo),
    owner: { ...restUser(api, { login: repo.owner }), type: "Organization" },
    private: repo.isPrivate ?? true,
    html_url: `${WEB}/${fullName(repo)}`,
    description: null,
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    hooks_url: `${r}/hooks`,
    default_branch: repo.defaultBranch,
    archived: repo.archived,
    disabled: false,
    visibility: repo.isPrivate === false ? "public" : "private",
    created_at: iso(repo.createdAt),
  };
}

const gitUser = (who: GitIdentity, date: string) => ({ name: who.name, email: who.email, date: iso(date) });

/** `author`/`committer`: the GitHub account of a git identity, null when the email maps to none. */
const account = (api: string, who: GitIdentity) => (who.login ? restUser(api, { login: who.login }) : null);

export function restCommit(api: string, repo: FakeRepository, c: FakeCommit): S["commit"] {
  const r = `${api}/repos/${fullName(repo)}`;
  const committer = c.committer ?? c.author;
  return {
    url: `${r}/commits/${c.oid}`,
    sha: c.oid,
    node_id: `C_kwDO${Buffer.from(`${fullName(repo)}:${c.oid}`).toString("base64url")}`,
    html_url: `${WEB}/${fullName(repo)}/commit/${c.oid}`,
    comments_url: `${r}/commits/${c.oid}/comments`,
    commit: {
      url: `${r}/git/commits/${c.oid}`,
      author: gitUser(c.author, c.authoredDate),
      committer: gitUser(committer, c.committedDate),
      message: c.message,
      comment_count: 0,
      tree: { sha: sha1(`tree ${c.oid}`), url: `${r}/git/trees/${sha1(`tree ${c.oid}`)}` },
    },
    author: account(api, c.author),
    committer: account(api, committer),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${r}/commits/${p}`,
      html_url: `${WEB}/${fullName(repo)}/commit/${p}`,
    })),
  };
}

export function diffEntry(repo: FakeRepository, head: string, path: string): S["diff-entry"] {
  const raw = `${WEB}/${fullName(repo)}/raw/${head}/${path}`;
  return {
    sha: sha1(`blob ${head} ${path}`),
    filename: path,
    status: "modified",
    additions: 0,
    deletions: 0,
    changes: 0,
    blob_url: `${WEB}/${fullName(repo)}/blob/${head}/${path}`,
    raw_url: raw,
    contents_url: `https://api.github.com/repos/${fullName(repo)}/contents/${path}?ref=${head}`,
  };
}

export function workflowRun(
  api: string,
  repo: FakeRepository,
  run: FakeWorkflowRun,
  head: FakeCommit | undefined,
  excludePullRequests: boolean,
  repository = minimalRepository(api, repo),
): S["workflow-run"] {
  const r = `${api}/repos/${fullName(repo)}`;
  const runUrl = `${r}/actions/runs/${run.id}`;
  const prs = excludePullRequests
    ? []
    : run.pullRequests.flatMap((n) => {
        const pr = repo.pullRequests.find((p) => p.number === n);
        if (!pr) return [];
        const side = (ref: string, sha: string) => ({
          ref,
          sha,
          repo: { id: repo.databaseId, url: r, name: repo.name },
        });
        return [
          {
            id: repo.databaseId * 10_000 + n,
            number: n,
            url: `${r}/pulls/${n}`,
            head: side(pr.headRefName, run.headSha),
            base: side(pr.baseRefName, repo.branches[pr.baseRefName] ?? run.headSha),
          },
        ];
      });
  return {
    id: run.id,
    name: run.name,
    node_id: `WFR_kwLO${Buffer.from(String(run.id)).toString("base64url")}`,
    check_suite_id: run.id + 1,
    check_suite_node_id: `CS_kwDO${Buffer.from(String(run.id + 1)).toString("base64url")}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: runUrl,
    html_url: `${WEB}/${fullName(repo)}/actions/runs/${run.id}`,
    pull_requests: prs,
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    actor: restUser(api, run.actor),
    triggering_actor: restUser(api, run.actor),
    run_started_at: iso(run.runStartedAt),
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${r}/check-suites/${run.id + 1}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${runUrl}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${r}/actions/workflows/${run.workflowId}`,
    head_commit: head
      ? {
          id: head.oid,
          tree_id: sha1(`tree ${head.oid}`),
          message: head.message,
          timestamp: iso(head.committedDate),
          author: { name: head.author.name, email: head.author.email },
          committer: {
            name: (head.committer ?? head.author).name,
            email: (head.committer ?? head.author).email,
          },
        }
      : null,
    repository,
    head_repository: repository,
    display_title: run.displayTitle,
  };
}

export function job(api: string, repo: FakeRepository, run: FakeWorkflowRun, j: FakeJob): S["job"] {
  const r = `${api}/repos/${fullName(repo)}`;
  return {
    id: j.id,
    run_id: run.id,
    run_url: `${r}/actions/runs/${run.id}`,
    run_attempt: run.runAttempt,
    node_id: `CR_kwDO${Buffer.from(String(j.id)).toString("base64url")}`,
    head_sha: run.headSha,
    url: `${r}/actions/jobs/${j.id}`,
    html_url: `${WEB}/${fullName(repo)}/actions/runs/${run.id}/job/${j.id}`,
    status: j.status,
    conclusion: j.conclusion,
    created_at: iso(j.createdAt),
    started_at: iso(j.startedAt),
    completed_at: isoOrNull(j.completedAt),
    name: j.name,
    steps: [],
    check_run_url: `${r}/check-runs/${j.id}`,
    labels: ["ubuntu-latest"],
    runner_id: j.status === "queued" ? null : 1,
    runner_name: j.status === "queued" ? null : "GitHub Actions 1",
    runner_group_id: j.status === "queued" ? null : 0,
    runner_group_name: j.status === "queued" ? null : "GitHub Actions",
    workflow_name: run.name,
    head_branch: run.headBranch,
  };
}
