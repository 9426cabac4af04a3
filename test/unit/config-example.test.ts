import fs from "node:fs";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";

it("the documented example config is valid", () => {
  const config = parseConfig(
    fs.readFileSync("throughline.config.example.yaml", "utf8"),
    "throughline.config.example.yaml",
  );
  expect(config.teams.map((t) => t.slug)).toEqual(["payments", "data-platform"]);
  expect(config.deployments.rules).toHaveLength(4);
});
