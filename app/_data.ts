import { cache } from "react";
import { getDb } from "@/lib/db";
import { getOrgSettings } from "@/lib/settings/org";
import { getTeam } from "@/lib/teams";

/**
 * Per-request memoised reads shared by a layout, its page and generateMetadata (React cache lasts one request):
 * PGlite runs one query at a time, so every duplicate read is latency.
 */
export const orgSettings = cache(async () => getOrgSettings(await getDb()));
export const teamBySlug = cache(async (slug: string) => getTeam(await getDb(), slug));
