import { expect, it } from "vitest";
import { seedDemo } from "@/lib/demo/seed";
import { demoToLoad } from "@/lib/server/demo-on-start";
import { createTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

/** The demo a first start loads in the background (lib/server/boot.ts) while the server answers with its progress. */
describeDb("the demo on a first start", ({ db }) => {
  it("loads into an empty database with its progress, letting the event loop run between steps", async () => {
    expect(await demoToLoad(db())).toBe("load");
    // PGlite runs in this thread: without a pause between steps no request (no timer) ran until the load ended.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const progress: Array<[number, number]> = [];
    const result = await seedDemo(db(), {
      anchor: "2026-11-20",
      months: 1,
      onProgress: (done, total) => progress.push([done, total]),
    }).finally(() => clearInterval(timer));
    expect(ticks).toBeGreaterThanOrEqual(result.repositories);
    expect(progress[0]).toEqual([0, result.repositories]);
    expect(progress.at(-1)).toEqual([result.repositories, result.repositories]);
    expect(progress).toHaveLength(result.repositories + 1);
    expect(await demoToLoad(db())).toBeNull();
  }, 300_000); // a month of twenty repositories: a minute on a busy 2-core machine

  it("loads again after an interrupted load, and never over data of your own", async () => {
    await createTeam(db(), { slug: "payments", name: "Payments", members: [] }, "demo");
    expect(await demoToLoad(db())).toBe("reload");
    await createTeam(db(), { slug: "platform", name: "Platform", members: [] });
    expect(await demoToLoad(db())).toBeNull();
  });
});
