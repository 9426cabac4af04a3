import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { applyConfig } from "@/lib/config/apply";
import { queryRows } from "@/lib/db/rows";
import { upsertDeployments, upsertRepositories } from "@/lib/ingest/store";
import { deriveRepositories } from "@/lib/metrics/derive";
import { getOrgSettings } from "@/lib/settings/org";
import { describeDb } from "@/test/helpers/db";
import { config } from "@/test/helpers/github";

describeDb("applying throughline.config.yaml", ({ db }) => {
  it("applies the organisation block to a brand-new database (no settings row yet)", async () => {
    await db().execute(sql`delete from org_settings`);
    await applyConfig(
      db(),
      config(`
organisation: { name: Acme, timeZone: Europe/Berlin, weekStart: sunday, incidentLinkWindowHours: 12,
                rollbackWindowHours: 48, revertWindowHours: 72 }
`),
    );
    expect(await getOrgSettings(db())).toMatchObject({
      name: "Acme",
      timeZone: "Europe/Berlin",
      weekStart: 7,
      incidentLinkWindowHours: 12,
      rollbackWindowHours: 48,
      revertWindowHours: 72,
    });
  });

  it("a new window re-derives every repository; the same config again does not", async () => {
    await upsertRepositories(db(), [{ fullName: "acme/api", source: "github" }]);
    await deriveRepositories(db());
    const marked = async () =>
      (
        await queryRows<{ n: number }>(
          db(),
          sql`select count(*)::int as n from repositories where needs_derive`,
        )
      )[0]?.n;
    const cfg = config("organisation: { rollbackWindowHours: 24 }");
    await applyConfig(db(), cfg);
    expect(await marked()).toBe(1);
    await deriveRepositories(db());
    await applyConfig(db(), cfg);
    expect(await marked()).toBe(0);
  });

  it("line rules name the release line of stored GitHub deployments when they change, once", async () => {
    await upsertRepositories(db(), [{ fullName: "acme/vite", source: "github" }]);
    const tag = (name: string) => ({
      repository: "acme/vite",
      environment: "production",
      sha: "a".repeat(40),
      ref: name,
      status: "success" as const,
      createdAt: "2026-03-02T10:00:00Z",
      finishedAt: "2026-03-02T10:00:00Z",
      source: "github" as const,
      externalId: `tag:${name}`,
    });
    await upsertDeployments(db(), [tag("vite@5.0.0"), tag("plugin-legacy@1.0.0"), tag("v2.3.1")]);
    const lines = async () =>
      Object.fromEntries(
        (
          await queryRows<{ ref: string; line: string | null }>(db(), sql`select ref, line from deployments`)
        ).map((r) => [r.ref, r.line]),
      );
    await applyConfig(db(), config(`deployments: { lines: [{ tag: "*@*", line: package }] }`));
    expect(await lines()).toEqual({
      "vite@5.0.0": "vite",
      "plugin-legacy@1.0.0": "plugin-legacy",
      "v2.3.1": null,
    });
    await applyConfig(
      db(),
      config(
        `deployments: { lines: [{ tag: "*@*", line: package }, { tagRegex: "^v(\\\\d+)\\\\.", line: "v$1" }] }`,
      ),
    );
    expect((await lines())["v2.3.1"]).toBe("v2");
    await applyConfig(db(), config("deployments: { lines: [] }"));
    expect(Object.values(await lines())).toEqual([null, null, null]);
  });

  it("rejects a line rule that names no selector or a broken regular expression, with its line", () => {
    expect(() => config(`deployments: { lines: [{ line: package }] }`)).toThrow(
      /deployments\.lines\[0\]: a line rule needs exactly one of tag, tagRegex or branch/,
    );
    expect(() => config(`deployments: { rules: [{ tagRegex: "v(", environment: production }] }`)).toThrow(
      /deployments\.rules\[0\]\.tagRegex: 'v\(' is not a valid regular expression/,
    );
  });
});
