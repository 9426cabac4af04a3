import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/push/openapi";
import { CorrectionBody, DeploymentBody, IncidentBody, IncidentPatch } from "@/lib/push/schemas";

const doc = openApiDocument("http://localhost:3000");
type Operation = {
  requestBody?: { content: { "application/json": { schema: { $ref: string }; example: unknown } } };
};

describe("/api/v1/openapi.json", () => {
  it("describes every push endpoint, with a bearer scheme and an error shape", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/corrections",
      "/api/v1/corrections/{id}",
      "/api/v1/deployments",
      "/api/v1/incidents",
      "/api/v1/incidents/{id}",
      "/api/v1/metrics",
      "/api/v1/pipeline",
      "/api/v1/teams",
      "/api/webhooks/github",
      "/api/webhooks/jenkins",
      "/api/webhooks/opsgenie",
      "/api/webhooks/pagerduty",
    ]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      "Correction",
      "Deployment",
      "Error",
      "Incident",
      "IncidentPatch",
    ]);
  });

  it("each documented example is accepted by the schema that validates the request", () => {
    const schemas = {
      Deployment: DeploymentBody,
      Incident: IncidentBody,
      IncidentPatch,
      Correction: CorrectionBody,
    };
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p) as Operation[]);
    const withBodies = operations.filter((o) => o.requestBody);
    expect(withBodies).toHaveLength(4);
    for (const o of withBodies) {
      const body = o.requestBody?.content["application/json"];
      const name = body?.schema.$ref.split("/").at(-1) as keyof typeof schemas;
      const parsed = schemas[name].safeParse(body?.example);
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it("the JSON Schemas name required fields and the allowed values", () => {
    const deployment = doc.components.schemas.Deployment as {
      required: string[];
      properties: Record<string, { enum?: string[] }>;
    };
    expect(deployment.required.sort()).toEqual(["environment", "repository", "sha"]);
    expect(deployment.properties.status?.enum).toContain("success");
    expect((doc.components.schemas.Correction as { required: string[] }).required.sort()).toEqual([
      "kind",
      "reason",
    ]);
  });
});
