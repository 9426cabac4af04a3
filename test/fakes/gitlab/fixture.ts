import { sha } from "@/test/fixtures/sha";
import { type FakeCommit, type FakeJob, type FakeUser, GitLabModel } from "./model";

/**
 * A small GitLab organisation: group `acme` with subgroup `acme/platform`.
 * - `acme/platform/api`: a merge-commit MR (!1), a squash MR (!2), a bot MR fast-forwarded (!3), a revert MR (!4);
 *   deployments to staging and production, one failed; three pipelines; an incident issue that names its cause,
 *   a labelled issue and an ordinary issue.
 * - `acme/web`: no environments; a release rule, a job rule and a pipeline-source rule make its deployments.
 */

export const ALICE: FakeUser = { username: "alice" };
export const BOB: FakeUser = { username: "bob" };
export const RENOVATE: FakeUser = { username: "renovate-bot", bot: true };

export const GITLAB_YAML = `
teams:
  - slug: platform
    name: Platform
    repositories: [acme/platform/api, acme/web]
gitlab:
  groups: [acme]
  projects: [acme/gone]
  since: 2026-01-01
deployments:
  rules:
    - { repositories: [acme/web], release: "v*", environment: production }
    - { repositories: [acme/web], job: "deploy-*", environment: staging }
    - { repositories: [acme/web], source: schedule, environment: nightly }
incidents:
  labels: [incident]
`;

const commit = (
  label: string,
  parents: string[],
  at: string,
  title = label,
  author = "Alice",
): FakeCommit => ({
  id: sha(label),
  parent_ids: parents.map(sha),
  title,
  author_name: author,
  author_email: `${author.toLowerCase()}@example.com`,
  authored_date: at,
  committed_date: at,
});

export function gitlabFixture(): GitLabModel {
  const m = new GitLabModel();
  const api = m.addProject("acme/platform/api");
  api.commits = [
    commit("m4", ["b1", "r1"], "2026-02-07T11:00:00Z", "Merge branch 'revert-checkout' into 'main'"),
    commit("r1", ["b1"], "2026-02-07T10:00:00Z", 'Revert "Add checkout"'),
    commit("b1", ["sq2"], "2026-02-06T08:00:00Z", "Bump lodash", "Renovate"),
    commit("sq2", ["m1"], "2026-02-05T10:00:00Z", "Add checkout"),
    commit("m1", ["c1", "f2"], "2026-02-03T12:00:00Z", "Merge branch 'login' into 'main'"),
    commit("f2", ["f1"], "2026-02-02T10:00:00Z", "Login form"),
    commit("f1", ["c1"], "2026-02-02T08:00:00Z", "Login model"),
    commit("c1", [], "2026-02-01T09:00:00Z", "Initial commit"),
  ];
  const approve = (who: FakeUser, at: string) => ({
    createdAt: at,
    system: true,
    body: "approved this merge request",
    author: who,
  });
  const comment = (who: FakeUser, at: string, body = "Looks good, one question") => ({
    createdAt: at,
    system: false,
    body,
    author: who,
  });
  api.mergeRequests = [
    {
      iid: 1,
      title: "Login",
      state: "merged",
      createdAt: "2026-02-02T11:00:00Z",
      updatedAt: "2026-02-03T12:00:05Z",
      mergedAt: "2026-02-03T12:00:00Z",
      closedAt: null,
      sourceBranch: "login",
      diffHeadSha: sha("f2"),
      mergeCommitSha: sha("m1"),
      author: ALICE,
      commits: [
        { sha: sha("f2"), authoredDate: "2026-02-02T10:00:00Z" },
        { sha: sha("f1"), authoredDate: "2026-02-02T08:00:00Z" },
      ],
      notes: [
        comment(ALICE, "2026-02-02T11:30:00Z", "self note: not a review"),
        comment(BOB, "2026-02-02T15:00:00Z"),
        approve(BOB, "2026-02-03T09:00:00Z"),
      ],
    },
    {
      iid: 2,
      title: "Add checkout",
      state: "merged",
      createdAt: "2026-02-04T12:00:00Z",
      updatedAt: "2026-02-05T10:00:05Z",
      mergedAt: "2026-02-05T10:00:00Z",
      sourceBranch: "checkout",
      diffHeadSha: sha("s2"),
      squashCommitSha: sha("sq2"),
      squash: true,
      author: BOB,
      labels: ["feature"],
      commits: [
        { sha: sha("s2"), authoredDate: "2026-02-04T11:00:00Z" },
        { sha: sha("s1"), authoredDate: "2026-02-04T09:00:00Z" },
      ],
      notes: [approve(ALICE, "2026-02-05T09:00:00Z")],
    },
    {
      iid: 3,
      title: "Bump lodash",
      state: "merged",
      createdAt: "2026-02-06T08:05:00Z",
      updatedAt: "2026-02-06T09:00:05Z",
      mergedAt: "2026-02-06T09:00:00Z",
      sourceBranch: "renovate/lodash",
      diffHeadSha: sha("b1"),
      author: RENOVATE,
      commits: [{ sha: sha("b1"), authoredDate: "2026-02-06T08:00:00Z" }],
      notes: [],
    },
    {
      iid: 4,
      title: 'Revert "Add checkout"',
      description: "This reverts merge request !2",
      state: "merged",
      createdAt: "2026-02-07T10:05:00Z",
      updatedAt: "2026-02-07T11:00:05Z",
      mergedAt: "2026-02-07T11:00:00Z",
      sourceBranch: "revert-checkout",
      diffHeadSha: sha("r1"),
      mergeCommitSha: sha("m4"),
      author: ALICE,
      commits: [{ sha: sha("r1"), authoredDate: "2026-02-07T10:00:00Z" }],
      notes: [comment(BOB, "2026-02-07T10:30:00Z"), approve(BOB, "2026-02-07T10:40:00Z")],
    },
  ];
  api.pipelines = [
    {
      id: 501,
      iid: 1,
      sha: sha("m1"),
      ref: "main",
      source: "push",
      status: "success",
      createdAt: "2026-02-03T12:00:10Z",
      startedAt: "2026-02-03T12:01:00Z",
      finishedAt: "2026-02-03T12:06:00Z",
      updatedAt: "2026-02-03T12:06:00Z",
    },
    {
      id: 502,
      iid: 2,
      sha: sha("sq2"),
      ref: "main",
      source: "push",
      status: "failed",
      createdAt: "2026-02-05T10:00:10Z",
      startedAt: "2026-02-05T10:00:40Z",
      finishedAt: "2026-02-05T10:04:00Z",
      updatedAt: "2026-02-05T10:04:00Z",
    },
    {
      id: 503,
      iid: 3,
      sha: sha("m4"),
      ref: "main",
      source: "push",
      status: "running",
      createdAt: "2026-02-07T11:00:10Z",
      startedAt: "2026-02-07T11:00:30Z",
      updatedAt: "2026-02-07T11:00:30Z",
    },
  ];
  // Jobs of the pipelines: a build and a test stage; the failed pipeline's test job was retried once.
  const job = (
    id: number,
    pipelineId: number,
    label: string,
    name: string,
    stage: string,
    status: FakeJob["status"],
    queued: number,
    started: string | null,
    finished: string | null,
  ): FakeJob => ({
    id,
    name,
    stage,
    status,
    ref: "main",
    sha: sha(label),
    pipelineId,
    created_at: api.pipelines.find((x) => x.id === pipelineId)?.createdAt as string,
    started_at: started,
    finished_at: finished,
    queued_duration: started ? queued : null,
  });
  api.jobs = [
    job(8001, 501, "m1", "build", "build", "success", 40, "2026-02-03T12:01:00Z", "2026-02-03T12:02:00Z"),
    job(8002, 501, "m1", "rspec", "test", "success", 30, "2026-02-03T12:02:30Z", "2026-02-03T12:06:00Z"),
    job(8003, 502, "sq2", "build", "build", "success", 20, "2026-02-05T10:00:40Z", "2026-02-05T10:01:40Z"),
    job(8004, 502, "sq2", "rspec", "test", "failed", 10, "2026-02-05T10:01:50Z", "2026-02-05T10:02:50Z"),
    job(8005, 502, "sq2", "rspec", "test", "failed", 5, "2026-02-05T10:03:00Z", "2026-02-05T10:04:00Z"),
    job(8006, 503, "m4", "build", "build", "running", 20, "2026-02-07T11:00:30Z", null),
  ];
  m.environment(api, "staging", "staging");
  m.environment(api, "production", "production");
  const deploy = (id: number, env: string, label: string, status: "success" | "failed", at: string) => ({
    id,
    iid: id,
    ref: "main",
    sha: sha(label),
    created_at: at,
    updated_at: at.replace(":00Z", ":30Z"),
    status,
    environment: env,
    deployable: {
      id: 9000 + id,
      name: `deploy-${env}`,
      started_at: at,
      finished_at: at.replace(":00Z", ":30Z"),
    },
  });
  api.deployments = [
    deploy(1, "staging", "sq2", "success", "2026-02-05T11:00:00Z"),
    deploy(2, "production", "sq2", "success", "2026-02-05T12:00:00Z"),
    deploy(3, "production", "b1", "failed", "2026-02-06T10:00:00Z"),
    deploy(4, "production", "m4", "success", "2026-02-07T12:00:00Z"),
  ];
  api.issues = [
    {
      iid: 5,
      title: "Checkout returns 500",
      description: `Customers cannot pay.\n\ncaused by: ${sha("sq2").slice(0, 10)}`,
      state: "closed",
      issue_type: "incident",
      created_at: "2026-02-05T13:00:00Z",
      updated_at: "2026-02-05T15:00:00Z",
      closed_at: "2026-02-05T15:00:00Z",
    },
    {
      iid: 6,
      title: "Typo in the footer",
      state: "opened",
      created_at: "2026-02-05T14:00:00Z",
      updated_at: "2026-02-05T14:00:00Z",
    },
    {
      iid: 7,
      title: "Login slow",
      state: "opened",
      labels: ["incident", "sev2"],
      created_at: "2026-02-07T13:00:00Z",
      updated_at: "2026-02-07T13:00:00Z",
    },
  ];

  const web = m.addProject("acme/web");
  web.commits = [
    commit("w2", ["w1"], "2026-02-10T10:00:00Z", "Header"),
    commit("w1", [], "2026-02-09T10:00:00Z", "Initial commit"),
  ];
  web.releases = [
    {
      tag_name: "v1.0.0",
      created_at: "2026-02-09T12:00:00Z",
      released_at: "2026-02-09T12:00:00Z",
      sha: sha("w1"),
    },
  ];
  const webPipeline = (
    id: number,
    label: string,
    ref: string,
    source: string,
    status: string,
    at: string,
  ) => ({
    id,
    iid: id - 600,
    sha: sha(label),
    ref,
    source,
    status,
    createdAt: at,
    startedAt: at,
    finishedAt: at.replace(":00:00Z", ":06:00Z"),
    updatedAt: at.replace(":00:00Z", ":06:00Z"),
  });
  web.pipelines = [
    webPipeline(601, "w2", "main", "push", "failed", "2026-02-10T10:00:00Z"),
    webPipeline(602, "w9", "feature", "push", "success", "2026-02-10T11:00:00Z"),
    // A nightly scheduled pipeline: the source rule makes it a deployment to "nightly".
    webPipeline(603, "w2", "main", "schedule", "success", "2026-02-11T02:00:00Z"),
  ];
  web.jobs = [
    {
      id: 7001,
      name: "deploy-staging",
      status: "success",
      ref: "main",
      sha: sha("w2"),
      pipelineId: 601,
      created_at: "2026-02-10T10:01:00Z",
      started_at: "2026-02-10T10:02:00Z",
      finished_at: "2026-02-10T10:05:00Z",
    },
    {
      id: 7002,
      name: "deploy-staging",
      status: "success",
      ref: "feature",
      sha: sha("w9"),
      pipelineId: 602,
      created_at: "2026-02-10T11:01:00Z",
      started_at: "2026-02-10T11:02:00Z",
      finished_at: "2026-02-10T11:05:00Z",
    },
    {
      id: 7003,
      name: "test",
      status: "failed",
      ref: "main",
      sha: sha("w2"),
      pipelineId: 601,
      created_at: "2026-02-10T10:01:00Z",
      started_at: "2026-02-10T10:01:10Z",
      finished_at: "2026-02-10T10:01:50Z",
    },
  ];
  m.addProject("other/elsewhere"); // not in a configured group
  return m;
}
