import { getDb } from "@/lib/db";
import { deleteCorrection } from "@/lib/push/routes";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/corrections/{id}: revoke a correction (it stays in the history). */
export async function DELETE(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return deleteCorrection(await getDb(), request, id);
}
