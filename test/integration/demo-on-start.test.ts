import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { orgSettings } from "@/lib/db/schema";
import { demoToLoad } from "@/lib/server/demo-on-start";
import { getOrgSettings } from "@/lib/settings/org";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

/**
 * Whether a first start loads the demo (lib/server/boot.ts, scripts/start.ts). The load itself, its progress and its
 * pauses for the event loop are tested where the demo is seeded once (demo.test.ts): it is the suite's heaviest fixture.
 */
describeDb("the demo on a first start", ({ db }) => {
  it("loads into an empty database, again after an interrupted load, never over data of your own", async () => {
    expect(await demoToLoad(db())).toBe("load");
    await createTeam(db(), { slug: "payments", name: "Payments", members: [] }, "demo");
    expect(await demoToLoad(db())).toBe("reload");
    await createTeam(db(), { slug: "platform", name: "Platform", members: [] });
    expect(await demoToLoad(db())).toBeNull();
  });

  it("does not load it once loaded or after the user removed it", async () => {
    await getOrgSettings(db());
    for (const state of ["loaded", "removed"] as const) {
      await db().update(orgSettings).set({ demoState: state }).where(eq(orgSettings.id, 1));
      expect(await demoToLoad(db())).toBeNull();
    }
  });
});
