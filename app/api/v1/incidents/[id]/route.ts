import { getDb } from "@/lib/db";
import { patchIncidentById } from "@/lib/push/routes";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/incidents/{id}: resolve, reopen or re-link an incident by the id you gave it. */
export async function PATCH(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return patchIncidentById(await getDb(), request, id);
}
