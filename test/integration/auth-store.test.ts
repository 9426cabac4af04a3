import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { audit, listAudit } from "@/lib/audit";
import {
  checkAdminPassword,
  ensureAdminPassword,
  hashPassword,
  resetAdminPassword,
  verifyPassword,
} from "@/lib/auth/password";
import { createSession, endSession, findSession, hashToken } from "@/lib/auth/sessions";
import { queryRows } from "@/lib/db/rows";
import { describeDb } from "@/test/helpers/db";

const ANA = {
  subject: "oidc:ana",
  provider: "oidc" as const,
  name: "Ana",
  email: "ana@example.com",
  role: "viewer" as const,
};

describeDb("sessions, the admin password and the audit log", ({ db }) => {
  it("a session is found by its cookie value only, and the database holds only a hash of it", async () => {
    const { token } = await createSession(db(), ANA, 12);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(await findSession(db(), token)).toEqual({
      subject: "oidc:ana",
      provider: "oidc",
      name: "Ana",
      email: "ana@example.com",
      role: "viewer",
    });
    const rows = await queryRows<{ token_hash: string }>(db(), sql`select token_hash from sessions`);
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);
    // A tampered value, a truncated one, or nothing: no one.
    expect(await findSession(db(), `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(await findSession(db(), token.slice(0, 20))).toBeNull();
    expect(await findSession(db(), undefined)).toBeNull();
  });

  it("an expired session signs no one in; sign-out ends a session", async () => {
    const short = await createSession(db(), ANA, 0.0001); // 0.36 s
    const long = await createSession(db(), { ...ANA, subject: "oidc:bo", name: "Bo" }, 12);
    await new Promise((r) => setTimeout(r, 500));
    expect(await findSession(db(), short.token)).toBeNull();
    expect((await findSession(db(), long.token))?.name).toBe("Bo");
    await endSession(db(), long.token);
    expect(await findSession(db(), long.token)).toBeNull();
  });

  it("the admin password is created once, kept as a scrypt hash, and checked", async () => {
    const first = await ensureAdminPassword(db());
    expect(first).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await ensureAdminPassword(db())).toBeNull(); // printed only the first time
    const [row] = await queryRows<{ password_hash: string }>(
      db(),
      sql`select password_hash from local_admin`,
    );
    expect(row?.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row?.password_hash).not.toContain(first as string);
    expect(await checkAdminPassword(db(), first as string)).toBe(true);
    expect(await checkAdminPassword(db(), `${first}x`)).toBe(false);
    const second = await resetAdminPassword(db());
    expect(await checkAdminPassword(db(), first as string)).toBe(false);
    expect(await checkAdminPassword(db(), second)).toBe(true);
  });

  it("audit entries list newest first, page back, and filter by action", async () => {
    const actor = { name: "Ana <ana@example.com>", subject: "oidc:ana" };
    for (let i = 1; i <= 5; i++)
      await audit(db(), actor, i % 2 ? "team.update" : "token.create", `t${i}`, { i });
    const all = await listAudit(db());
    expect(all.map((e) => e.target)).toEqual(["t5", "t4", "t3", "t2", "t1"]);
    expect(all[0]).toMatchObject({
      actor: actor.name,
      actorSubject: "oidc:ana",
      action: "team.update",
      details: { i: 5 },
    });
    const older = await listAudit(db(), { before: all[1]?.id, limit: 2 });
    expect(older.map((e) => e.target)).toEqual(["t3", "t2"]);
    expect((await listAudit(db(), { action: "token.create" })).map((e) => e.target)).toEqual(["t4", "t2"]);
  });
});

it("password hashes verify only their own password and differ per salt", async () => {
  const a = await hashPassword("correct horse");
  const b = await hashPassword("correct horse");
  expect(a).not.toBe(b);
  expect(await verifyPassword("correct horse", a)).toBe(true);
  expect(await verifyPassword("correct horsf", a)).toBe(false);
  expect(await verifyPassword("correct horse", "md5$abc")).toBe(false);
});
