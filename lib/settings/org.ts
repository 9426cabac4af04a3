import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { orgSettings } from "@/lib/db/schema";
import type { WeekStart } from "@/lib/domain/vocabulary";
import { markAllForDerive } from "@/lib/metrics/derive";
import { isTimeZone } from "@/lib/metrics/period";

export type OrgSettings = typeof orgSettings.$inferSelect;

/** The settings row, created with defaults on first read. */
export async function getOrgSettings(db: Db): Promise<OrgSettings> {
  const [row] = await db.select().from(orgSettings).where(eq(orgSettings.id, 1));
  if (row) return row;
  await db.insert(orgSettings).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(orgSettings).where(eq(orgSettings.id, 1));
  return created as OrgSettings;
}

export const OrgSettingsInput = z.object({
  name: z.string().trim().min(1, "Give the organisation a name").max(100),
  timeZone: z.string().trim().refine(isTimeZone, "Not a time zone: use an IANA name such as Europe/Berlin"),
  weekStart: z.coerce
    .number()
    .int()
    .min(1)
    .max(7)
    .transform((n) => n as WeekStart),
  incidentLinkWindowHours: z.coerce
    .number()
    .int("Whole hours")
    .min(0, "0 (never link by time) or more")
    .max(720, "At most 720 hours (30 days)"),
});
export type OrgSettingsInput = z.infer<typeof OrgSettingsInput>;

export async function updateOrgSettings(db: Db, input: OrgSettingsInput): Promise<OrgSettings> {
  const before = await getOrgSettings(db);
  await db.update(orgSettings).set(input).where(eq(orgSettings.id, 1));
  // The incident window changes which deployment an incident is blamed on: every repository re-derives.
  if (before.incidentLinkWindowHours !== input.incidentLinkWindowHours) await markAllForDerive(db);
  return getOrgSettings(db);
}
