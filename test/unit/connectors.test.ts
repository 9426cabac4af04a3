import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config/load";
import { causedByShaField, causedByShaIn } from "@/lib/domain/incidents";
import { buildsTree, jobPath, jobsTree } from "@/lib/ingest/jenkins/api";
import { branchName, buildFact, classify, repositoryFromRemote } from "@/lib/ingest/jenkins/map";
import { jobFromUrl, NotificationPayload, notificationFacts } from "@/lib/ingest/jenkins/webhook";
import { opsgenieBaseUrl } from "@/lib/ingest/opsgenie/api";
import { epochToIso } from "@/lib/ingest/opsgenie/webhook";
import { excluded, listFilters } from "@/lib/ingest/pagerduty/map";
import { applyTree, parseTree } from "@/test/fakes/jenkins/tree";
import { sha } from "@/test/fixtures/sha";

const problems = (text: string) => {
  try {
    parseConfig(text);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
  }
};

describe("caused by: <sha>", () => {
  it("finds a named commit in free text and in a field", () => {
    expect(causedByShaIn("Rolled back. Caused by: 1A2B3C4D5")).toBe("1a2b3c4d5");
    expect(causedByShaIn("root cause commit 0123abc")).toBe("0123abc");
    expect(causedByShaIn("caused by the database")).toBeNull();
    expect(causedByShaIn("caused by: 12345")).toBeNull(); // too short to be a SHA
    expect(causedByShaField(` ${sha("x")} `)).toBe(sha("x"));
    expect(causedByShaField("see INC-42")).toBeNull();
    expect(causedByShaField(42)).toBeNull();
  });
});

describe("Jenkins", () => {
  it("writes tree= queries: nested levels and a range of allBuilds", () => {
    expect(jobsTree(2)).toBe(
      "jobs[_class,name,lastBuild[number],jobs[_class,name,lastBuild[number],jobs[name]]]",
    );
    expect(buildsTree(100, 200)).toMatch(/^allBuilds\[number,url,result,.*\]\{100,200\}$/);
    expect(jobPath("payments/api/feature%2Fx")).toBe("job/payments/job/api/job/feature%252Fx");
  });

  it("the fake applies tree= as Jenkins does: fields, nesting, {M,N} ranges, _class kept", () => {
    const nodes = parseTree("jobs[name,builds[number]{1,3}],missing");
    const value = {
      _class: "hudson.model.Hudson",
      jobs: [
        { _class: "x.Job", name: "a", color: "blue", builds: [{ number: 3 }, { number: 2 }, { number: 1 }] },
      ],
    };
    expect(applyTree(value, nodes)).toEqual({
      _class: "hudson.model.Hudson",
      jobs: [{ _class: "x.Job", name: "a", builds: [{ number: 2 }, { number: 1 }] }],
    });
    expect(applyTree({ list: [1, 2, 3, 4] }, parseTree("list{2}"))).toEqual({ list: [3] });
    expect(applyTree({ list: [1, 2, 3, 4] }, parseTree("list{,2}"))).toEqual({ list: [1, 2] });
  });

  it("names a repository after the git remote a build checked out", () => {
    expect(repositoryFromRemote("git@github.com:acme/payments-api.git")).toBe("acme/payments-api");
    expect(repositoryFromRemote("https://github.com/acme/api")).toBe("acme/api");
    expect(repositoryFromRemote("https://gitlab.example.com/group/sub/api.git/")).toBe("sub/api");
    expect(repositoryFromRemote("ssh://git@bitbucket.example.com:7999/proj/repo.git")).toBe("proj/repo");
    expect(repositoryFromRemote("git.internal.example.net:/git/plusnet/SalesApp")).toBe("plusnet/SalesApp");
    expect(repositoryFromRemote("file:///api.git")).toBeNull();
    expect(repositoryFromRemote(null)).toBeNull();
    expect(branchName("refs/remotes/origin/main")).toBe("main");
    expect(branchName("origin/release/2.1")).toBe("release/2.1");
  });

  it("a deployment rule matches the job and, when it says so, a parameter (glob)", () => {
    const config = parseConfig(`
jenkins:
  deployments:
    - { job: "deploy-*", parameter: "REGION=eu-*", environment: prod-eu }
    - { job: "/^deploy-(api|web)$/", environment: staging, repository: acme/web }
`);
    const base = buildFact("deploy-api", {
      number: 3,
      result: "SUCCESS",
      building: false,
      timestamp: Date.parse("2026-03-01T10:00:00Z"),
      duration: 60_000,
      actions: [
        {
          lastBuiltRevision: { SHA1: sha("d"), branch: [{ name: "origin/main" }] },
          remoteUrls: ["git@h:acme/api.git"],
        },
        { parameters: [{ name: "REGION", value: "eu-west-1" }] },
        { causes: [{ _class: "hudson.model.Cause$UserIdCause" }] },
      ],
    });
    const eu = classify(config, base);
    expect(eu).toMatchObject({
      kind: "deployment",
      record: { environment: "prod-eu", repository: "acme/api", trigger: "manual" },
    });
    const us = classify(config, { ...base, parameters: { REGION: "us-east-1" } });
    expect(us).toMatchObject({
      kind: "deployment",
      record: { environment: "staging", repository: "acme/web" },
    });
    const ci = classify(config, { ...base, job: "build-api" });
    expect(ci).toMatchObject({
      kind: "build",
      repository: "acme/api",
      record: { externalId: "build-api#3" },
    });
  });

  it("reads a Notification plugin payload: full job name from its URL, phases, parameters", () => {
    expect(jobFromUrl("job/payments/job/api/job/feature%252Fx/", "feature%2Fx")).toBe(
      "payments/api/feature%2Fx",
    );
    expect(jobFromUrl(undefined, "deploy")).toBe("deploy");
    const completed = NotificationPayload.parse({
      name: "deploy",
      url: "job/payments/job/deploy/",
      build: {
        number: 9,
        phase: "COMPLETED",
        status: "FAILURE",
        timestamp: Date.parse("2026-03-01T10:05:00Z"),
        duration: 300_000,
        scm: { commit: sha("n"), branch: "origin/main", url: "git@github.com:acme/a.git" },
        parameters: { ENV: "prod", FLAG: true },
      },
    });
    expect(notificationFacts(completed)).toMatchObject({
      job: "payments/deploy",
      building: false,
      result: "FAILURE",
      startedAt: new Date("2026-03-01T10:00:00Z"),
      finishedAt: new Date("2026-03-01T10:05:00Z"),
      branch: "main",
      parameters: { ENV: "prod", FLAG: "true" },
    });
    expect(notificationFacts({ ...completed, build: { ...completed.build, phase: "QUEUED" } })).toBeNull();
  });
});

describe("PagerDuty and Opsgenie", () => {
  const pd = parseConfig(`
pagerduty:
  urgencies: [high]
  priorities: [P1]
  services: [ { id: PAPI, repository: acme/api }, { name: "Check*", repository: acme/checkout } ]
`).pagerduty;
  if (!pd) throw new Error("no pagerduty section");

  it("filters PagerDuty incidents by service, urgency and priority; ids go to the server when all rules have one", () => {
    const svc = { id: "PAPI", summary: "API" };
    expect(excluded(pd, { service: svc, urgency: "high", priority: { id: "x", summary: "P1" } })).toBeNull();
    expect(
      excluded(pd, {
        service: { id: "PCHK", summary: "Checkout web" },
        urgency: "high",
        priority: { id: "x", summary: "P1" },
      }),
    ).toBeNull();
    expect(excluded(pd, { service: svc, urgency: "low", priority: { id: "x", summary: "P1" } })).toMatch(
      /urgency low/,
    );
    expect(excluded(pd, { service: svc, urgency: "high", priority: null })).toBe(
      "priority (none) is not in pagerduty.priorities",
    );
    expect(listFilters(pd)).toEqual({ "service_ids[]": undefined, "urgencies[]": ["high"] });
  });

  it("Opsgenie: the region picks the host; webhook times in s, ms, µs or ns", () => {
    expect(opsgenieBaseUrl({ region: "eu" })).toBe("https://api.eu.opsgenie.com");
    expect(opsgenieBaseUrl({ region: "us" })).toBe("https://api.opsgenie.com");
    expect(opsgenieBaseUrl({ region: "eu", apiUrl: "http://127.0.0.1:9" })).toBe("http://127.0.0.1:9");
    const at = "2026-03-04T10:45:00.000Z";
    const ms = Date.parse(at);
    for (const v of [ms / 1000, ms, ms * 1000, ms * 1_000_000, String(ms), at])
      expect(epochToIso(v)).toBe(at);
    expect(epochToIso(null)).toBeNull();
  });
});

describe("connector config sections", () => {
  it("say what is wrong, on which line", () => {
    expect(
      problems(`
jenkins:
  deployments:
    - { job: "/[unclosed/", environment: production }
    - { job: deploy, parameter: ENV, environment: production }
`),
    ).toEqual([
      "4 jenkins.deployments[0].job: a glob such as payments/* or a valid regular expression written /…/",
      "5 jenkins.deployments[1].parameter: NAME=value, e.g. ENV=prod (the value may be a glob)",
    ]);
    expect(problems("pagerduty: { services: [ { id: P1, name: x, repository: a/b } ] }")).toEqual([
      "1 pagerduty.services[0]: a PagerDuty service rule needs exactly one of id or name",
    ]);
    expect(problems("opsgenie: { read: alerts, map: [ { tag: x, repository: a/b } ] }")).toEqual([
      "1 opsgenie.priorities: read: alerts needs priorities: which alert priorities are incidents, e.g. [P1, P2]",
    ]);
    expect(problems("opsgenie: { region: asia, map: [ { tag: x, repository: a/b } ] }")[0]).toMatch(
      /opsgenie.region/,
    );
  });
});
