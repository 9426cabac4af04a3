import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { orgSettings } from "@/lib/db/schema";
import type { WeekStart } from "@/lib/domain/vocabulary";
import { markAllForDerive } from "@/lib/metrics/derive";
import { isTimeZone } from "@/lib/metrics/period";
import { rebuildRollups, rollupZone } from "@/lib/metrics/rollups";

export type OrgSettings = typeof orgSettings.$inferSelect;

/** The settings row, created with defaults on first read. */
export async function getOrgSettings(db: Db): Promise<OrgSettings> {
  const [row] = await db.select().from(orgSettings).where(eq(orgSettings.id, 1));
  if (row) return row;
  await db.insert(orgSettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(orgSettings).where(eq(orgSettings.id, 1));
  return created as OrgSettings;
}

const hours = (max: number, maxText: string, zero: string) =>
  z.coerce
    .number()
    .int("Whole hours")
    .min(0, `0 (${zero}) or more`)
    .max(max, `At most ${max} hours (${maxText})`);

export const OrgSettingsInput = z.object({
  name: z.string().trim().min(1, "Give the organisation a name").max(100),
  timeZone: z.string().trim().refine(isTimeZone, "Not a time zone: use an IANA name such as Europe/Berlin"),
  weekStart: z.coerce
    .number()
    .int()
    .min(1)
    .max(7)
    .transform((n) => n as WeekStart),
  incidentLinkWindowHours: hours(720, "30 days", "never link by time"),
  rollbackWindowHours: hours(8_760, "a year", "no redeploy counts as a rollback"),
  revertWindowHours: hours(8_760, "a year", "no revert counts as a failure"),
});
export type OrgSettingsInput = z.infer<typeof OrgSettingsInput>;

/** The settings derive reads: changing one re-derives every repository. */
const DERIVE_INPUTS = ["incidentLinkWindowHours", "rollbackWindowHours", "revertWindowHours"] as const;

/**
 * Writes some or all of the settings (the row is created on a fresh database: the config file may be applied
 * before anything else ran), and marks every repository for derive when a setting derive reads changed.
 */
export async function setOrgSettings(db: Db, given: Partial<OrgSettingsInput>): Promise<OrgSettings> {
  const input = Object.fromEntries(
    Object.entries(given).filter(([, v]) => v !== undefined),
  ) as Partial<OrgSettingsInput>;
  const before = await getOrgSettings(db);
  if (Object.keys(input).length > 0) await db.update(orgSettings).set(input).where(eq(orgSettings.id, 1));
  if (DERIVE_INPUTS.some((k) => input[k] !== undefined && input[k] !== before[k])) await markAllForDerive(db);
  // Rollup days are local days: a new zone rebuilds them, when built (until then figures come from the rows).
  if (input.timeZone !== undefined && input.timeZone !== before.timeZone && (await rollupZone(db)) !== null) {
    await rebuildRollups(db);
  }
  return getOrgSettings(db);
}

export const updateOrgSettings = (db: Db, input: OrgSettingsInput): Promise<OrgSettings> =>
  setOrgSettings(db, input);
