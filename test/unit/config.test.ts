import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config/load";

const problems = (text: string) => {
  try {
    parseConfig(text, "throughline.config.yaml");
  } catch (error) {
    if (error instanceof ConfigError)
      return error.message
        .split("\n")
        .slice(1)
        .map((l) => l.trim());
    throw error;
  }
  return [];
};

describe("throughline.config.yaml", () => {
  it("parses a full config with defaults", () => {
    const c = parseConfig(`
organisation: { name: Acme, timeZone: Europe/Berlin, weekStart: sunday }
teams:
  - slug: payments
    name: Payments
    repositories: [acme/payments-api]
    services:
      - { repository: acme/platform, name: billing, paths: [services/billing/] }
github:
  orgs: [acme]
  exclude: [acme/sandbox-*]
  since: 2026-01-01
deployments:
  environments:
    - { match: "prd", name: production, tier: production }
    - { match: "github-pages", ignore: true }
  rules:
    - { workflow: "Deploy*", branch: main, environment: production }
    - { tag: "v*", environment: production, repositories: [acme/mobile] }
incidents: { labels: [incident, sev1] }
bots: [acme-release-bot]
`);
    expect(c.teams[0]?.services[0]?.paths).toEqual(["services/billing/"]);
    expect(c.github?.syncIntervalMinutes).toBe(60);
    expect(c.deployments.environments[1]).toMatchObject({ match: "github-pages", ignore: true });
    expect(c.incidents.labels).toEqual(["incident", "sev1"]);
  });

  it("an empty file is a valid (empty) config", () => {
    expect(parseConfig("").teams).toEqual([]);
  });

  it("names the line and the field of every problem", () => {
    expect(
      problems(`teams:
  - slug: Payments Team
    name: Payments
    repos: [acme/x]
github:
  repositories: [acme]
deployments:
  rules:
    - { workflow: deploy, tag: "v*", environment: production }
`),
    ).toEqual([
      "throughline.config.yaml:2:11 teams[0].slug: lower-case letters, digits and single hyphens, e.g. payments-core",
      "throughline.config.yaml:4:5 teams[0]: unknown setting 'repos'",
      "throughline.config.yaml:6:18 github.repositories[0]: owner/name, e.g. acme/payments-api",
      "throughline.config.yaml:9:7 deployments.rules[0]: a deployment rule needs exactly one of workflow (optionally with job), job, source (optionally with job), release, tag or tagRegex",
    ]);
  });

  it("GitLab's pipeline-source rule: alone or with a job, never with a GitHub workflow", () => {
    const rules = (rule: string) => problems(`deployments:\n  rules:\n    - ${rule}\n`);
    expect(rules("{ source: schedule, environment: production }")).toEqual([]);
    expect(rules('{ source: "web", job: "deploy-*", environment: production }')).toEqual([]);
    expect(rules("{ source: schedule, workflow: deploy, environment: production }")).toEqual([
      "throughline.config.yaml:3:17 deployments.rules[0].source: source is a GitLab pipeline source: it does not combine with workflow (GitHub Actions)",
    ]);
    expect(rules('{ source: schedule, tag: "v*", environment: production }')).toHaveLength(1);
  });

  it("reports a missing required field at its parent, and YAML syntax errors at their line", () => {
    expect(problems("teams:\n  - slug: web\n")).toEqual([
      "throughline.config.yaml:2:5 teams[0].name: is required",
    ]);
    expect(problems("teams: [\n  {slug: web\n")[0]).toMatch(/^throughline\.config\.yaml:\d+:\d+ /);
  });

  it("refuses a token in the file: tokens come from the environment", () => {
    expect(problems("github:\n  token: ghp_abc\n")).toEqual([
      "throughline.config.yaml:2:3 github: unknown setting 'token'",
    ]);
  });
});
