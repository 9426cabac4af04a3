import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { apiTokens, teams } from "@/lib/db/schema";

/**
 * API tokens for the push API. A token is 32 random bytes, shown once at creation; the database keeps only its
 * SHA-256 (a fast hash is right for a high-entropy secret: there is nothing to brute-force) and a short prefix to
 * recognise it in lists. A token acts for the whole organisation or for one team's repositories and services.
 */

const PREFIX = "tl_";

export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  teamId: number | null;
  teamSlug: string | null;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who is calling the push API: the token's id and scope, for checks and for "created by" on what it writes. */
export interface ApiCaller {
  tokenId: number;
  name: string;
  teamId: number | null;
  teamSlug: string | null;
}

export const ApiTokenInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "give the token a name, e.g. the pipeline that uses it")
    .max(80, "at most 80 characters"),
  team: z
    .string()
    .trim()
    .transform((s) => (s === "" ? null : s))
    .nullish(),
});

export class ApiTokenError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiTokenError";
  }
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function newToken(): string {
  return `${PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** Creates a token; the returned `token` is the only time it exists outside the caller's hands. */
export async function createApiToken(
  db: Db,
  input: z.input<typeof ApiTokenInput>,
  createdBy: string,
): Promise<{ token: string; row: ApiTokenRow }> {
  const parsed = ApiTokenInput.parse(input);
  let teamId: number | null = null;
  if (parsed.team) {
    const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, parsed.team));
    if (!team) throw new ApiTokenError("team", `there is no team '${parsed.team}'`);
    teamId = team.id;
  }
  const token = newToken();
  const [row] = await db
    .insert(apiTokens)
    .values({
      name: parsed.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, PREFIX.length + 6),
      teamId,
      createdBy,
    })
    .returning({ id: apiTokens.id });
  const [created] = await listApiTokens(db, { id: (row as { id: number }).id });
  return { token, row: created as ApiTokenRow };
}

export async function listApiTokens(db: Db, where: { id?: number } = {}): Promise<ApiTokenRow[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      teamId: apiTokens.teamId,
      teamSlug: teams.slug,
      createdBy: apiTokens.createdBy,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(teams, eq(teams.id, apiTokens.teamId))
    .where(where.id !== undefined ? eq(apiTokens.id, where.id) : undefined)
    .orderBy(sql`${apiTokens.revokedAt} is not null`, desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes by id or by the prefix shown in lists. Revoked tokens stay listed (who made them, when used last). */
export async function revokeApiToken(db: Db, idOrPrefix: number | string): Promise<ApiTokenRow> {
  const match =
    typeof idOrPrefix === "number" ? eq(apiTokens.id, idOrPrefix) : eq(apiTokens.prefix, idOrPrefix.trim());
  const rows = await db.select({ id: apiTokens.id }).from(apiTokens).where(match);
  if (rows.length === 0) throw new ApiTokenError("token", `no API token ${idOrPrefix}`);
  if (rows.length > 1) throw new ApiTokenError("token", `${idOrPrefix} matches several tokens: use the id`);
  const id = (rows[0] as { id: number }).id;
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  return (await listApiTokens(db, { id }))[0] as ApiTokenRow;
}

export type Authentication = { ok: true; caller: ApiCaller } | { ok: false; message: string };

/**
 * Checks an `Authorization: Bearer tl_…` header. The lookup is by hash (an index probe, no timing signal about
 * stored tokens); the final comparison is constant-time anyway. Last use is written at most once a minute.
 */
export async function authenticateApiToken(db: Db, header: string | null): Promise<Authentication> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) {
    return { ok: false, message: "send an API token: Authorization: Bearer tl_… (Settings → API tokens)" };
  }
  const token = match[1] as string;
  if (!token.startsWith(PREFIX)) return { ok: false, message: "this is not a Throughline API token" };
  const hash = hashToken(token);
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      tokenHash: apiTokens.tokenHash,
      teamId: apiTokens.teamId,
      teamSlug: teams.slug,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .leftJoin(teams, eq(teams.id, apiTokens.teamId))
    .where(eq(apiTokens.tokenHash, hash));
  if (!row || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) {
    return { ok: false, message: "unknown API token" };
  }
  if (row.revokedAt) return { ok: false, message: "this API token was revoked" };
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiTokens.id, row.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(Date.now() - 60_000))),
      ),
    );
  return {
    ok: true,
    caller: { tokenId: row.id, name: row.name, teamId: row.teamId, teamSlug: row.teamSlug },
  };
}
