import type { Db } from "@/lib/db";
import { decodeSegment, parseId } from "@/lib/validation/input";
import { listViaApi, pushCorrection, revokeViaApi } from "./corrections";
import { pushDeployment } from "./deployments";
import { handleAuthorized, handlePush } from "./handler";
import { HttpError } from "./http";
import { patchIncident, pushIncident } from "./incidents";
import { CorrectionBody, DeploymentBody, IncidentBody, IncidentPatch } from "./schemas";

/** The push API's endpoints over a database handle: app/api/v1/* call these; tests call them on both databases. */

export const postDeployment = (db: Db, request: Request) =>
  handlePush(db, request, DeploymentBody, pushDeployment);

export const postIncident = (db: Db, request: Request) => handlePush(db, request, IncidentBody, pushIncident);

/** `rawId` is the path segment as the route received it (still percent-encoded). */
export const patchIncidentById = (db: Db, request: Request, rawId: string) =>
  handlePush(db, request, IncidentPatch, (ctx) => {
    const id = decodeSegment(rawId);
    if (id === null)
      throw new HttpError(400, "invalid_parameters", "the incident id in the path does not decode");
    return patchIncident(ctx, id);
  });

export const postCorrection = (db: Db, request: Request) =>
  handlePush(db, request, CorrectionBody, pushCorrection);

export const getCorrections = (db: Db, request: Request) =>
  handleAuthorized(db, request, (caller) => {
    const deployment = parseId(new URL(request.url).searchParams.get("deployment"));
    if (deployment === null) {
      throw new HttpError(
        400,
        "invalid_parameters",
        "deployment: give the numeric id of a deployment, ?deployment=123",
      );
    }
    return listViaApi(db, caller, deployment);
  });

export const deleteCorrection = (db: Db, request: Request, id: string) =>
  handleAuthorized(db, request, (caller) => {
    const correction = parseId(id);
    if (correction === null)
      throw new HttpError(404, "not_found", `there is no correction ${id.slice(0, 40)}`);
    return revokeViaApi(db, caller, correction);
  });
