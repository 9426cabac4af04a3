import { sha } from "@/test/fixtures/sha";
import { JenkinsModel } from "./index";

/** The Jenkins of the connector tests, and the config that reads it. */

export const JENKINS_YAML = `
teams:
  - { slug: payments, name: Payments, repositories: [acme/Payments-API] }
jenkins:
  since: 2026-02-01
  exclude: ["old/*"]
  repositories:
    - { job: "legacy/*", repository: acme/legacy }
  deployments:
    - { job: "payments/deploy", parameter: "ENV=prod", environment: production }
    - { job: "payments/deploy", parameter: "ENV=staging", environment: staging }
`;

export const PAYMENTS = "git@github.com:acme/payments-api.git";
const USER_CAUSE = "hudson.model.Cause$UserIdCause";

/**
 * A Jenkins with folders (one nested five deep), a multibranch pipeline with 150 builds on main (two pages of
 * `allBuilds`, the oldest before the horizon), a parameterised deploy job, a freestyle job mapped by config, a job
 * that checks nothing out and an excluded folder.
 */
export function jenkinsFixture(): JenkinsModel {
  const m = new JenkinsModel();
  m.job("payments/api", "multibranch");
  const deploy = (at: string, env: string, s: string, extra: object = {}) =>
    m.build("payments/deploy", { at, parameters: { ENV: env }, sha: s, remote: PAYMENTS, ...extra });
  deploy("2026-03-02T10:00:00Z", "prod", sha("p1"), { durationMs: 300_000, queueMs: 30_000 });
  deploy("2026-03-03T09:00:00Z", "staging", sha("p2"), { durationMs: 240_000 });
  deploy("2026-03-04T10:00:00Z", "prod", sha("p2"), { durationMs: 180_000, result: "FAILURE" });
  deploy("2026-03-04T12:00:00Z", "prod", sha("p2"), {
    durationMs: 300_000,
    queueMs: 90_000,
    causes: [USER_CAUSE],
  });
  deploy("2026-03-05T08:00:00Z", "prod", sha("p3"), { building: true });
  for (let k = 0; k < 150; k++) {
    m.build("payments/api/main", {
      at: new Date(Date.parse("2026-01-20T00:00:00Z") + k * 6 * 3_600_000).toISOString(),
      sha: sha(`main-${k + 1}`),
      branch: "main",
      remote: PAYMENTS,
      durationMs: 120_000,
      queueMs: 5_000,
      result: (k + 1) % 10 === 0 ? "FAILURE" : "SUCCESS",
    });
  }
  m.build("payments/api/feature%2Fcheckout", {
    at: "2026-03-01T09:00:00Z",
    sha: sha("f1"),
    branch: "feature/checkout",
    remote: PAYMENTS,
    result: "UNSTABLE",
  });
  m.job("platform/tools/ci/nightly/lint", "freestyle");
  m.build("platform/tools/ci/nightly/lint", {
    at: "2026-03-01T02:00:00Z",
    sha: sha("l1"),
    remote: "https://github.com/acme/platform-tools.git",
  });
  m.job("legacy/build", "freestyle");
  m.build("legacy/build", {
    at: "2026-03-01T12:00:00Z",
    sha: null,
    changes: [sha("g0"), sha("g1")],
    remote: "ssh://git@bitbucket.example.com:7999/old/legacy-monolith.git",
  });
  m.job("tools/no-scm", "freestyle");
  m.build("tools/no-scm", { at: "2026-03-01T12:00:00Z", sha: null });
  m.build("old/ignored", { at: "2026-03-01T12:00:00Z", sha: sha("o1") });
  return m;
}
