import { schema } from "@octokit/graphql-schema";
import { buildClientSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import * as queries from "@/lib/ingest/github/queries";

/** Every GraphQL document the ingest sends must be valid against GitHub's published schema. */
describe("GitHub GraphQL documents", () => {
  const github = buildClientSchema(schema.json as never);
  const documents = Object.entries(queries).flatMap(([name, value]) =>
    typeof value === "string" && value.trim().startsWith("query") ? [[name, value] as const] : [],
  );

  it("covers every document", () => {
    expect(documents.map(([n]) => n).sort()).toEqual([
      "DEPLOYMENTS",
      "DEPLOYMENT_NODES",
      "HISTORY",
      "ISSUES",
      "ORG_REPOSITORIES",
      "PATH_HISTORY",
      "PR_COMMITS",
      "PULL_REQUESTS",
      "RELEASES",
      "TAGS",
    ]);
  });

  for (const [name, text] of [...documents, ["probeQuery(10)", queries.probeQuery(10)] as const]) {
    it(`${name} is valid`, () => {
      expect(validate(github, parse(text)).map((e) => e.message)).toEqual([]);
    });
  }
});
