import { expect, it } from "vitest";
import { seedDemo } from "@/lib/demo/seed";
import { getDashboard } from "@/lib/metrics/dashboard";
import { focusOf, pipelineOf } from "@/lib/pipeline";
import { describeDb } from "@/test/helpers/db";

/**
 * The report's "Where to focus" reads the current period alone (focusOf); it must be the page the pipeline view
 * shows (pipelineOf, both periods), for the org and a team, over a long and a short period.
 */
describeDb("Where to focus from the current period alone", ({ db }) => {
  it("equals the pipeline's focus areas", async () => {
    await seedDemo(db(), { anchor: "2026-11-20", months: 3 });
    const now = new Date("2026-11-20T12:00:00Z");
    const periods = [
      {
        period: { from: "2026-09-01", to: "2026-11-20", days: 81 },
        previous: { from: "2026-06-12", to: "2026-08-31", days: 81 },
      },
      {
        period: { from: "2026-10-01", to: "2026-10-31", days: 31 },
        previous: { from: "2026-09-01", to: "2026-09-30", days: 30 },
      },
    ];
    let areas = 0;
    for (const team of [null, "payments", "data-platform"]) {
      for (const p of periods) {
        const d = await getDashboard(db(), { slice: { team }, ...p, now });
        const focus = await focusOf(db(), d, now);
        expect(focus, `${team ?? "org"} ${p.period.from}`).toEqual((await pipelineOf(db(), d, now)).focus);
        areas += focus.length;
      }
    }
    expect(areas).toBeGreaterThan(0);
  }, 600_000);
});
