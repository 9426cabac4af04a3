import { expect, it } from "vitest";
import { upsertRepositories } from "@/lib/ingest/store";
import { createTeam, getTeam, listTeams, setTeamRepositories, TeamError, updateTeam } from "@/lib/teams";
import { describeDb } from "@/test/helpers/db";

describeDb("teams", ({ db }) => {
  it("lists teams with how many repositories and members each has", async () => {
    const a = await createTeam(db(), {
      slug: "alpha",
      name: "Alpha",
      members: ["ana", "Bo@Example.com", "ana"],
    });
    await createTeam(db(), { slug: "beta", name: "Beta" });
    const repos = await upsertRepositories(db(), [
      { fullName: "acme/one", source: "ui" },
      { fullName: "acme/two", source: "ui" },
      { fullName: "acme/three", source: "ui", teamSlug: "beta" },
    ]);
    await setTeamRepositories(db(), a, [repos.get("acme/one") as number, repos.get("acme/two") as number]);
    const list = await listTeams(db());
    expect(list.map((t) => [t.slug, t.repositories, t.members])).toEqual([
      ["alpha", 2, 2],
      ["beta", 1, 0],
    ]);
    const alpha = await getTeam(db(), "alpha");
    expect(alpha?.members.map((m) => m.handle)).toEqual(["ana", "bo@example.com"]);
    expect(alpha?.repositories.map((r) => r.fullName)).toEqual(["acme/one", "acme/two"]);
  });

  it("moving repositories releases the ones no longer listed", async () => {
    const a = await createTeam(db(), { slug: "alpha", name: "Alpha" });
    const repos = await upsertRepositories(db(), [
      { fullName: "acme/one", source: "ui", teamSlug: "alpha" },
      { fullName: "acme/two", source: "ui", teamSlug: "alpha" },
    ]);
    await setTeamRepositories(db(), a, [repos.get("acme/two") as number]);
    expect((await getTeam(db(), "alpha"))?.repositories.map((r) => r.fullName)).toEqual(["acme/two"]);
  });

  it("rejects duplicate slugs and bad input with messages for the field", async () => {
    const a = await createTeam(db(), { slug: "alpha", name: "Alpha" });
    await createTeam(db(), { slug: "beta", name: "Beta" });
    await expect(createTeam(db(), { slug: "alpha", name: "Again" })).rejects.toThrow(TeamError);
    await expect(updateTeam(db(), a, { slug: "beta", name: "Alpha" })).rejects.toThrow(
      "Another team already uses the slug 'beta'",
    );
    await expect(createTeam(db(), { slug: "Not A Slug", name: "x" })).rejects.toThrow(/Lower-case letters/);
  });
});
