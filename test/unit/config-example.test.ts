import fs from "node:fs";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { matchesPattern } from "@/lib/domain/glob";

it("the documented example config is valid", () => {
  const config = parseConfig(
    fs.readFileSync("throughline.config.example.yaml", "utf8"),
    "throughline.config.example.yaml",
  );
  expect(config.teams.map((t) => t.slug)).toEqual(["payments", "data-platform"]);
  expect(config.deployments.rules).toHaveLength(6);
  expect(config.deployments.rules[4]?.tagRegex).toBe("^\\d+\\.\\d+\\.\\d+$");
  expect(config.deployments.lines).toEqual([
    { tag: "*@*", line: "package", repositories: ["acme/ui-kit"] },
    { branch: "release/*" },
  ]);
  expect(config.organisation).toMatchObject({ rollbackWindowHours: 168, revertWindowHours: 168 });
  expect(config.jenkins?.deployments).toHaveLength(3);
  expect(matchesPattern("platform/deploy-eu", config.jenkins?.deployments[2]?.job ?? "")).toBe(true);
  expect(config.pagerduty?.services).toHaveLength(2);
  expect(config.gitlab).toMatchObject({ groups: ["acme-gl"], projects: ["other-group/tools/cli"] });
  expect(config.opsgenie).toMatchObject({ region: "eu", read: "incidents", causeProperty: "caused_by" });
});
