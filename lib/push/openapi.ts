import { z } from "zod";
import { MetricsParams } from "@/lib/api/metrics-params";
import { MAX_BODY_BYTES } from "./handler";
import { CorrectionBody, DeploymentBody, IncidentBody, IncidentPatch } from "./schemas";

/**
 * /api/v1/openapi.json, generated from the zod schemas that validate the requests: the document cannot drift from
 * what the server accepts. Request bodies are described as input (what you send), before defaults and transforms.
 */

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });

const ErrorBody = z.object({
  error: z.string().meta({ description: "A stable code, e.g. invalid_body, unauthorized, forbidden." }),
  message: z.string().meta({ description: "What is wrong and what to do about it." }),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const standardErrors = {
  "400": error("Malformed JSON, or a bad Idempotency-Key."),
  "401": error("No API token, an unknown one, or a revoked one."),
  "403": error("The token's team does not own this repository."),
  "409": error("The Idempotency-Key was used for a different request."),
  "413": error(`The body is larger than ${MAX_BODY_BYTES / 1_048_576} MiB.`),
  "415": error("The body is not JSON."),
  "422": error("A field is missing or wrong: `issues` names each one."),
};

const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Any unique string per logical request (e.g. the pipeline run id and step). A retry with the same key and body gets the first answer again, marked Idempotent-Replayed: true; nothing is written twice. Kept 24 hours.",
  schema: { type: "string", maxLength: 200 },
};

const jsonBody = (ref: string, example: unknown) => ({
  required: true,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` }, example } },
});

const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: { type: "object" } } },
});

/** A read API over a slice and period: the strict parameters of lib/api/metrics-params.ts. */
const sliceGet = (summary: string, description: string) => ({
  get: {
    summary,
    security: [],
    parameters: Object.entries(schema(MetricsParams).properties ?? {}).map(([name, s]) => ({
      name,
      in: "query",
      required: false,
      schema: s,
    })),
    responses: { "200": ok(description), "400": error("A bad parameter.") },
  },
});

/** A connector's webhook endpoint (Jenkins, PagerDuty, Opsgenie): authenticated by its sender, not a token. */
const connectorWebhook = (source: string, summary: string, description: string) => ({
  [`/api/webhooks/${source}`]: {
    post: {
      summary,
      description: `${description} A delivery received twice changes nothing.`,
      security: [],
      responses: {
        "202": ok("Stored (or ignored, with a note saying why)."),
        "200": ok("Already received."),
        "400": error("Not a payload of this sender."),
        "401": error("Missing or wrong secret or signature."),
        "413": error("Too large."),
        "503": error("No secret configured on the server, or an invalid config file."),
      },
    },
  },
});

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Throughline API",
      version: "1",
      description:
        "Push deployments and incidents from any CI/CD or incident tool, correct what sources got wrong, and read the DORA metrics. Authenticate write requests with an API token (Settings → API tokens, or `npm run tokens -- create`).",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/deployments": {
        post: {
          summary: "Report a deployment",
          description:
            "Creates a deployment, or updates the one with the same `id` in the same repository (report `in_progress` when it starts and `success` when it is live).",
          parameters: [idempotencyKey],
          requestBody: jsonBody("Deployment", {
            id: "jenkins-payments-api-1234",
            repository: "acme/payments-api",
            environment: "production",
            sha: "9fceb02d0ae598e95dc970b74767f19372d61af8",
            status: "success",
            startedAt: "2026-03-02T14:01:00Z",
            finishedAt: "2026-03-02T14:05:00Z",
            url: "https://jenkins.example.com/job/payments-api/1234/",
          }),
          responses: { "201": ok("Created."), "200": ok("Updated (same id)."), ...standardErrors },
        },
      },
      "/api/v1/incidents": {
        post: {
          summary: "Open (or update) an incident",
          parameters: [idempotencyKey],
          requestBody: jsonBody("Incident", {
            id: "PD-Q1ZT4",
            title: "Checkout errors above 5%",
            repository: "acme/payments-api",
            severity: "sev2",
            openedAt: "2026-03-02T14:20:00Z",
            causedByDeployment: "jenkins-payments-api-1234",
          }),
          responses: { "201": ok("Created."), "200": ok("Updated (same id)."), ...standardErrors },
        },
      },
      "/api/v1/incidents/{id}": {
        patch: {
          summary: "Resolve, reopen or re-link an incident",
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              description: "The id you gave the incident.",
              schema: { type: "string" },
            },
            idempotencyKey,
          ],
          requestBody: jsonBody("IncidentPatch", { status: "resolved", resolvedAt: "2026-03-02T15:02:00Z" }),
          responses: { "200": ok("Updated."), "404": error("No incident with this id."), ...standardErrors },
        },
      },
      "/api/v1/corrections": {
        post: {
          summary: "Correct a figure by hand",
          description:
            "Mark a deployment failed or not failed, exclude a deployment or a pull request from the metrics, or link/unlink an incident and a deployment. The correction records who and why, and survives every re-ingest.",
          parameters: [idempotencyKey],
          requestBody: jsonBody("Correction", {
            kind: "deployment_failed",
            deployment: 4211,
            reason: "Customer-facing regression, fixed forward by #4214",
          }),
          responses: {
            "201": ok("Created."),
            "404": error("The deployment, PR or incident does not exist."),
            ...standardErrors,
          },
        },
        get: {
          summary: "The corrections of a deployment",
          parameters: [{ name: "deployment", in: "query", required: true, schema: { type: "integer" } }],
          responses: { "200": ok("Corrections, newest first, revoked ones included."), ...standardErrors },
        },
      },
      "/api/v1/corrections/{id}": {
        delete: {
          summary: "Revoke a correction",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
          responses: {
            "200": ok("Revoked (kept in the history)."),
            "404": error("No such correction."),
            ...standardErrors,
          },
        },
      },
      "/api/v1/metrics": sliceGet(
        "DORA metrics of a slice over a period",
        "The metrics, with definitions, bands and trends.",
      ),
      "/api/v1/pipeline": sliceGet(
        "Delivery pipeline of a slice: stage times per change, CI health and where to focus",
        "Stage medians and p90s with trends, CI health, and at most three ranked focus areas (docs/improve.md).",
      ),
      "/api/v1/teams": {
        get: { summary: "Teams and their repositories", security: [], responses: { "200": ok("Teams.") } },
      },
      "/api/webhooks/github": {
        post: {
          summary: "GitHub webhook deliveries",
          description:
            "Signed with X-Hub-Signature-256 (GITHUB_WEBHOOK_SECRET). Handles push, pull_request, pull_request_review, workflow_run, deployment, deployment_status, release and issues; acknowledges and ignores other events; a redelivery changes nothing.",
          security: [],
          responses: {
            "202": ok("Stored (or ignored, or already seen)."),
            "400": error("Malformed body or headers."),
            "401": error("Missing or wrong signature."),
            "413": error("Too large."),
          },
        },
      },
      ...connectorWebhook(
        "jenkins",
        "Jenkins Notification plugin posts",
        "A shared secret (JENKINS_WEBHOOK_SECRET) as HTTP Basic auth's password or X-Throughline-Token. STARTED and COMPLETED/FINALIZED phases of a build become a deployment (jenkins.deployments rules) or a CI build.",
      ),
      ...connectorWebhook(
        "pagerduty",
        "PagerDuty webhooks v3",
        "Signed with X-PagerDuty-Signature (PAGERDUTY_WEBHOOK_SECRET; any of several v1 signatures during a rotation); de-duplicated by X-Webhook-Id. Incident events, notes and custom fields naming a cause.",
      ),
      ...connectorWebhook(
        "opsgenie",
        "Opsgenie Webhook integration (alert actions)",
        "A shared secret (OPSGENIE_WEBHOOK_SECRET) in an X-Throughline-Token custom header. Stored as incidents with opsgenie.read: alerts; acknowledged and left to the sync otherwise.",
      ),
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token: tl_…" } },
      schemas: {
        Deployment: schema(DeploymentBody),
        Incident: schema(IncidentBody),
        IncidentPatch: schema(IncidentPatch),
        Correction: schema(CorrectionBody),
        Error: schema(ErrorBody),
      },
    },
  };
}
