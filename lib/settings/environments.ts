import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { environments } from "@/lib/db/schema";
import { ENVIRONMENT_TIERS } from "@/lib/domain/vocabulary";
import { markAllForDerive } from "@/lib/metrics/derive";

export const EnvironmentTierInput = z.object({
  name: z.string().min(1),
  tier: z.enum(ENVIRONMENT_TIERS, { error: "Choose production, staging, testing, development or other" }),
});

/** A tier decides which environments the default dashboards pool, and which deliveries count once per tier. */
export async function setEnvironmentTier(db: Db, input: z.input<typeof EnvironmentTierInput>): Promise<void> {
  const { name, tier } = EnvironmentTierInput.parse(input);
  const updated = await db
    .update(environments)
    .set({ tier, tierConfirmed: true })
    .where(eq(environments.name, name))
    .returning({ name: environments.name });
  if (updated.length === 0) throw new Error(`unknown environment '${name}'`);
  await markAllForDerive(db);
}
