import { z } from "zod";
import { CORRECTION_KINDS } from "@/lib/db/schema/corrections";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/vocabulary";
import { inSaneRange, isWebUrl, MAX_INT, YEAR_MESSAGE } from "@/lib/validation/input";

/**
 * Request bodies of the push API (README § Push API). The same schemas validate requests, name the field that is
 * wrong in 422 answers, and generate /api/v1/openapi.json: one description of the API, not two.
 */

const instant = z.iso
  .datetime({
    offset: true,
    error: "must be an ISO 8601 date-time with a time zone, e.g. 2026-03-02T14:05:00Z",
  })
  // Only a well-formed date-time has a year to judge; a malformed one already has its message.
  .refine((s) => !/^\d{4}-/.test(s) || inSaneRange(s), YEAR_MESSAGE)
  .transform((s) => new Date(s));
/** Our numeric ids are PostgreSQL integers: a larger number names nothing and is refused here, not by the database. */
const dbId = z.number().int().positive().max(MAX_INT, `must be at most ${MAX_INT}`);
const fullSha = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, "must be a full commit SHA (40 hexadecimal characters)");
const repository = z
  .string()
  .trim()
  .regex(/^[^/\s]+(\/[^/\s]+)+$/, "must be owner/name, e.g. acme/payments-api")
  .meta({
    description: "The repository, as owner/name. Created on first use if unknown.",
    example: "acme/payments-api",
  });
const service = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, "must be a service name: lower-case letters, digits and . _ -")
  .meta({ description: "A path-mapped service of a monorepo; omit for the repository's own service." });
const url = z
  .url({ error: "must be an absolute URL" })
  .max(2_000)
  .refine(isWebUrl, "must be an http:// or https:// URL");
const yourId = (what: string) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(300, "at most 300 characters")
    .meta({ description: `Your id for this ${what}; a later request with the same id updates it.` });
/** Our numeric id (as returned by the API), or your own id. */
const deploymentRef = z
  .union([dbId, yourId("deployment")])
  .meta({ description: "A deployment: the numeric `id` Throughline returned, or the `id` you gave it." });

export const DeclaredCommit = z.union([
  fullSha,
  z.strictObject({
    sha: fullSha,
    authoredAt: instant.meta({ description: "Author time: where the change's lead time starts." }),
    committedAt: instant.optional(),
    parents: z.array(fullSha).max(16).optional(),
    authorName: z.string().max(200).optional(),
    authorEmail: z.string().max(320).optional(),
    title: z.string().max(300).optional(),
  }),
]);

export const DeploymentBody = z
  .strictObject({
    id: yourId("deployment").optional(),
    repository,
    service: service.optional(),
    environment: z.string().trim().min(1, "must not be empty").max(100).meta({ example: "production" }),
    sha: fullSha.meta({ description: "The commit that was deployed." }),
    status: z
      .enum(DEPLOYMENT_STATUSES)
      .default("success")
      .meta({ description: "Default success. Only successful deployments count as deployments." }),
    startedAt: instant.optional(),
    finishedAt: instant
      .optional()
      .meta({ description: "When it went live (success) or ended; default: when the request arrives." }),
    url: url.optional().meta({ description: "A link to the pipeline run." }),
    ref: z.string().max(300).optional(),
    kind: z
      .enum(["rollback", "hotfix"])
      .optional()
      .meta({ description: "Say so when this deployment is a rollback or a hotfix." }),
    trigger: z.enum(["ci", "manual"]).default("ci"),
    commits: z
      .array(DeclaredCommit)
      .max(5_000, "at most 5,000 commits per deployment")
      .optional()
      .meta({
        description:
          "The commits this deployment shipped, when your CI/CD knows them and Throughline does not read the repository. " +
          "A SHA alone counts only if the commit is known; an object with authoredAt is enough on its own.",
      }),
    fixes: deploymentRef
      .optional()
      .meta({ description: "This deployment remediates that (failed) deployment." }),
  })
  .refine((d) => !d.startedAt || !d.finishedAt || d.startedAt <= d.finishedAt, {
    message: "must not be after finishedAt",
    path: ["startedAt"],
  });
export type DeploymentBody = z.output<typeof DeploymentBody>;

const incidentFields = {
  title: z.string().trim().max(300).optional(),
  url: url.optional(),
  severity: z.string().trim().max(50).optional().meta({ example: "sev2" }),
  repository: repository.optional(),
  service: service.optional(),
  openedAt: instant.optional().meta({ description: "Default: when the request arrives." }),
  resolvedAt: instant.nullable().optional().meta({ description: "When service was restored; null reopens." }),
  causedByDeployment: deploymentRef.nullable().optional(),
  causedBySha: fullSha.nullable().optional().meta({ description: "The commit that caused it, if known." }),
  restoredByDeployment: deploymentRef.nullable().optional(),
};

export const IncidentBody = z
  .strictObject({ id: yourId("incident"), ...incidentFields })
  .refine((i) => i.repository || typeof i.causedByDeployment === "number", {
    message: "name the repository (or the causing deployment by its numeric id)",
    path: ["repository"],
  })
  .refine((i) => !i.service || i.repository, {
    message: "a service needs its repository",
    path: ["service"],
  });
export type IncidentBody = z.output<typeof IncidentBody>;

export const IncidentPatch = z
  .strictObject({
    ...incidentFields,
    status: z
      .enum(["open", "resolved"])
      .optional()
      .meta({ description: "Shorthand: resolved sets resolvedAt to now (unless given); open clears it." }),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "send at least one field to change" });
export type IncidentPatch = z.output<typeof IncidentPatch>;

export const CorrectionBody = z
  .strictObject({
    kind: z.enum(CORRECTION_KINDS),
    deployment: dbId.optional(),
    pullRequest: z.strictObject({ repository, number: dbId }).optional(),
    incident: dbId.optional(),
    reason: z
      .string()
      .trim()
      .min(3, "say why (at least 3 characters): the reason is shown next to the figure")
      .max(500, "at most 500 characters"),
  })
  .superRefine((c, ctx) => {
    // Each kind names exactly its targets: a field of another kind is refused, not silently ignored.
    const fields = c.kind.startsWith("incident_")
      ? (["incident", "deployment"] as const)
      : c.kind === "pull_request_excluded"
        ? (["pullRequest"] as const)
        : (["deployment"] as const);
    for (const field of ["deployment", "pullRequest", "incident"] as const) {
      const wanted = (fields as readonly string[]).includes(field);
      if (wanted && c[field] === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `required for ${c.kind}` });
      if (!wanted && c[field] !== undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `not allowed for ${c.kind}` });
    }
  });
export type CorrectionBody = z.output<typeof CorrectionBody>;
