import type { Db } from "@/lib/db";
import * as routes from "@/lib/push/routes";

type Json = Record<string, unknown>;

/** Calls a push API endpoint as an HTTP client would (a real Request), on a test database. */
export function pushClient(db: Db, token: string | null) {
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Request(`http://localhost${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
  const send = async (response: Promise<Response>) => {
    const r = await response;
    return { status: r.status, headers: r.headers, body: (await r.json()) as Json };
  };
  return {
    postDeployment: (body: unknown, headers?: Record<string, string>) =>
      send(routes.postDeployment(db, request("POST", "/api/v1/deployments", body, headers))),
    postIncident: (body: unknown, headers?: Record<string, string>) =>
      send(routes.postIncident(db, request("POST", "/api/v1/incidents", body, headers))),
    patchIncident: (id: string, body: unknown) =>
      send(
        routes.patchIncidentById(
          db,
          request("PATCH", `/api/v1/incidents/${encodeURIComponent(id)}`, body),
          encodeURIComponent(id),
        ),
      ),
    postCorrection: (body: unknown) =>
      send(routes.postCorrection(db, request("POST", "/api/v1/corrections", body))),
    getCorrections: (deployment: number | string) =>
      send(routes.getCorrections(db, request("GET", `/api/v1/corrections?deployment=${deployment}`))),
    deleteCorrection: (id: number | string) =>
      send(routes.deleteCorrection(db, request("DELETE", `/api/v1/corrections/${id}`), String(id))),
  };
}
