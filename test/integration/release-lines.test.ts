import { afterAll, beforeAll, expect, it } from "vitest";
import { ingestGitRepository } from "@/lib/ingest/git";
import { getDashboard } from "@/lib/metrics/dashboard";
import { period } from "@/lib/metrics/period";
import { fakeData, fakeRepositoryFromGit, startFakeGitHub } from "@/test/fakes/github";
import { buildLibrary, type Library, RELEASE_TAGS } from "@/test/fixtures/library";
import { describeDb } from "@/test/helpers/db";
import { config, sync } from "@/test/helpers/github";
import { byTag, changeRows } from "@/test/helpers/lines";

const H = 3_600;
const MARCH = period("2026-03-01", "2026-03-31");

/**
 * docs/metrics.md § Worked example: a library with two release lines. The same real git history is read by the
 * local git ingest and by the GitHub sync (a fake GitHub serving that repository), and both give the figures
 * computed by hand there.
 */
describeDb("a library with two release lines (docs/metrics.md § Worked example)", ({ db }) => {
  let lib: Library;
  beforeAll(() => {
    lib = buildLibrary();
  });
  afterAll(() => lib?.repo.remove());

  const sources: [string, () => Promise<void>][] = [
    [
      "local git ingest",
      async () => {
        await ingestGitRepository(db(), {
          path: lib.repo.dir,
          repo: "acme/lib",
          deployTagsRegex: RELEASE_TAGS,
        });
      },
    ],
    [
      "GitHub sync",
      async () => {
        const fake = await startFakeGitHub({
          data: fakeData(fakeRepositoryFromGit(lib.repo.dir, "acme/lib")),
        });
        try {
          const s = await sync(
            db(),
            fake,
            config(`
github: { repositories: [acme/lib], since: 2026-01-01 }
deployments:
  rules: [{ tagRegex: "${RELEASE_TAGS.replaceAll("\\", "\\\\")}", environment: production }]
`),
          );
          expect(s.repositories[0]).toMatchObject({ ok: true });
        } finally {
          await fake.close();
        }
      },
    ],
  ];

  for (const [source, load] of sources) {
    it(`${source}: maintenance releases fail nothing and ship only their own changes`, async () => {
      await load();
      const d = await byTag(db(), "acme/lib");
      expect(Object.keys(d)).toEqual(["1.0.0", "1.1.0", "2.0.0", "2.1.0", "1.1.1", "1.1.2", "2.2.0"]);
      const summary = Object.fromEntries(
        Object.entries(d).map(([tag, r]) => [
          tag,
          [r.kind, r.follows, r.line_start, r.change_count, r.is_failed],
        ]),
      );
      expect(summary).toEqual({
        "1.0.0": ["normal", null, "1.0.0", 0, false],
        "1.1.0": ["normal", "1.0.0", "1.0.0", 2, false],
        "2.0.0": ["normal", "1.1.0", "1.0.0", 2, false],
        "2.1.0": ["normal", "2.0.0", "1.0.0", 4, false], // f, g, and h with its merge j
        "1.1.1": ["normal", "1.1.0", "1.1.1", 1, false], // h, shipped before by 2.1.0: once in lead time
        "1.1.2": ["normal", "1.1.1", "1.1.1", 1, false],
        "2.2.0": ["normal", "2.1.0", "1.0.0", 1, false],
      });
      // 11 change rows for the 10 commits shipped (the old time-ordered rule wrote 15, and failed 2.1.0)
      expect(await changeRows(db(), "acme/lib")).toBe(11);

      const m = (
        await getDashboard(db(), { slice: { repo: "acme/lib" }, period: MARCH, granularity: "month" })
      ).metrics;
      expect(m.deploymentFrequency.current.deployments).toBe(6);
      expect(m.deploymentFrequency.current.perWeek).toBeCloseTo((6 / 31) * 7, 10);
      // c 68,400; e, g, k 90,000; i 165,600; b, d 176,400; f 435,600; h 1,126,800
      expect(m.changeLeadTime.current).toMatchObject({ changes: 9, median: 46 * H, p75: 49 * H });
      expect(m.changeLeadTime.current.p90).toBeCloseTo(573_840, 6); // 435,600 + 0.2 × 691,200
      expect(m.changeFailureRate.current).toEqual({ rate: 0, numerator: 0, deployments: 6 });
      expect(m.reworkRate.current).toEqual({ rate: 0, numerator: 0, deployments: 6 });
      expect(m.recoveryTime.current).toMatchObject({ recovered: 0, unrecovered: 0 });
    });
  }

  it("the data-quality notes name the release lines", async () => {
    await sources[0]?.[1]();
    const dash = await getDashboard(db(), {
      slice: { repo: "acme/lib" },
      period: MARCH,
      granularity: "month",
    });
    const note = dash.quality.find((n) => n.code === "release_lines");
    expect(note?.message).toMatch(
      /^Deployments in this period come from 2 release lines \(started by 1\.0\.0, 1\.1\.1\)/,
    );
  });
});
