import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { copyUpsert } from "@/lib/db/copy";
import { queryRows } from "@/lib/db/rows";
import { commits } from "@/lib/db/schema";
import { upsertRepositories } from "@/lib/ingest/store";
import { describeDb } from "@/test/helpers/db";

const sha = (n: number) => n.toString(16).padStart(40, "0");
const odd = [
  "tab\there",
  "new\nline",
  "back\\slash",
  'quote"d',
  "NULL",
  "{braces}",
  "comma,s",
  "  spaced  ",
  "Zoë 山田 🚀",
  "",
];

function rows(repositoryId: number) {
  return odd.map((text, i) => ({
    repositoryId,
    sha: sha(i + 1),
    parentShas: i === 0 ? [] : i === 5 ? [sha(i), sha(1)] : [sha(i)],
    authoredAt: new Date(Date.UTC(2026, 2, 2, 9, 0, i, 250)),
    committedAt: new Date(Date.UTC(2026, 2, 2, 10, i)),
    authorName: text,
    authorEmail: `${i}@example.com`,
    authorLogin: i % 3 ? null : text,
    isBot: i % 2 === 0,
    title: text,
    changedPaths: i % 4 === 0 ? null : [text, "src/a b.ts", "NULL", 'x"y', "a\\b", ""],
  }));
}

const read = (db: Db, repositoryId: number) =>
  queryRows<Record<string, unknown>>(
    db,
    sql`select sha, parent_shas, authored_at::text, committed_at::text, author_name, author_email, author_login, is_bot,
               title, changed_paths from commits where repository_id = ${repositoryId} order by sha`,
  );

/** COPY (postgres.js) and jsonb (insertRows) must store exactly the same values, whatever the text holds. */
describeDb("bulk upserts through COPY", ({ db, backend }) => {
  it("stores what insertRows stores, updates on conflict, keeps the last of duplicates", async () => {
    const ids = await upsertRepositories(db(), [
      { fullName: "acme/copy", source: "git" },
      { fullName: "acme/json", source: "git" },
    ]);
    const viaCopy = ids.get("acme/copy") as number;
    const viaJson = ids.get("acme/json") as number;
    const copied = await db().transaction((tx) =>
      copyUpsert(tx, commits, rows(viaCopy), { conflict: ["repositoryId", "sha"] }),
    );
    expect(copied).toBe(backend === "postgres"); // PGlite: the caller falls back to insertRows
    if (!copied) return;
    await insertRows(db(), commits, rows(viaJson), { conflict: ["repositoryId", "sha"] });
    const stored = await read(db(), viaCopy);
    expect(stored).toEqual(await read(db(), viaJson));
    expect(stored[1]).toMatchObject({
      author_name: "new\nline",
      changed_paths: ["new\nline", "src/a b.ts", "NULL", 'x"y', "a\\b", ""],
    });
    expect(stored[4]).toMatchObject({ author_name: "NULL", author_login: null, changed_paths: null });

    const changed = rows(viaCopy).map((r) => ({ ...r, title: `${r.title}!` }));
    await db().transaction((tx) =>
      copyUpsert(tx, commits, changed.slice(0, 2), { conflict: ["repositoryId", "sha"], update: "nothing" }),
    );
    expect((await read(db(), viaCopy)).map((r) => r.title)).toEqual(odd);
    await db().transaction((tx) =>
      copyUpsert(tx, commits, [...changed, { ...changed[0], title: "last wins" }] as typeof changed, {
        conflict: ["repositoryId", "sha"],
      }),
    );
    expect((await read(db(), viaCopy)).map((r) => r.title)).toEqual([
      "last wins",
      ...odd.slice(1).map((t) => `${t}!`),
    ]);
  });

  it("leaves values a COPY could choke on to insertRows (a hung COPY would leak its connection)", async () => {
    const ids = await upsertRepositories(db(), [{ fullName: "acme/odd", source: "git" }]);
    const id = ids.get("acme/odd") as number;
    const base = rows(id).slice(0, 1);
    for (const bad of [
      { ...base[0], sha: sha(99), title: "nul \u0000 inside" },
      { ...base[0], sha: sha(98), authoredAt: new Date("+010000-01-01T00:00:00Z") },
    ]) {
      const copied = await db().transaction((tx) =>
        copyUpsert(tx, commits, [bad] as typeof base, { conflict: ["repositoryId", "sha"] }),
      );
      expect(copied).toBe(false);
    }
  });
});
