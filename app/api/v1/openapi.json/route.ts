import { openApiDocument } from "@/lib/push/openapi";

export const dynamic = "force-dynamic";

/** GET /api/v1/openapi.json: the API, described from the schemas that validate it. */
export function GET(request: Request): Response {
  return Response.json(openApiDocument(new URL(request.url).origin));
}
