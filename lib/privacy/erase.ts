import { count as countRows, desc, inArray, min, sql } from "drizzle-orm";
import { z } from "zod";
import { type Actor, audit } from "@/lib/audit";
import type { Db } from "@/lib/db";
import { erasedIdentities } from "@/lib/db/schema";
import { textProblem } from "@/lib/validation/input";
import { discoverPerson } from "./discover";
import {
  identityHash,
  keyCheckOf,
  normaliseIdentity,
  PrivacyKeyChangedError,
  privacyKey,
  pseudonymOf,
} from "./pseudonym";
import { type Pseudonyms, rewritePerson } from "./rewrite";

/**
 * "Forget me" (issue 14 §8, docs/adr/0023-privacy-erasure.md): one transaction finds everything that names the
 * person, rewrites it as pseudonyms, records the erased values as HMACs only (so later syncs write the pseudonyms,
 * lib/privacy/mask.ts) and writes an audit entry that holds the pseudonym and who asked, never the values.
 */

const noBadText = (v: string, ctx: z.RefinementCtx) => {
  const problem = textProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};

export const EraseInput = z.union([
  z.strictObject({
    email: z
      .string()
      .trim()
      .min(3, "give the person's e-mail address")
      .max(320, "at most 320 characters")
      .superRefine(noBadText)
      .refine((v) => /^[^\s@]+@[^\s@]+$/.test(v), "is not an e-mail address (name@example.com)"),
  }),
  z.strictObject({
    login: z
      .string()
      .trim()
      .min(1, "give the person's login")
      .max(100, "at most 100 characters")
      .superRefine(noBadText)
      .refine((v) => !/[\s@]/.test(v), "is not a login (no spaces or @; to erase an address, use email)"),
  }),
]);
export type EraseInput = z.infer<typeof EraseInput>;

export class PrivacyError extends Error {
  constructor(
    message: string,
    /** 400: the request is wrong; 404: nobody by that identity is known. */
    readonly status: 400 | 404,
  ) {
    super(message);
    this.name = "PrivacyError";
  }
}

export interface Erasure {
  /** The pseudonym the request is known by from now on (`erased-3f9a1c2b04d1`). */
  erasure: string;
  /** Nothing was left to change: the person had already been erased. */
  alreadyErased: boolean;
  /** How many distinct values were erased, by kind (never the values). */
  values: { emails: number; logins: number; names: number };
  /** Rows changed, per table. */
  rows: Record<string, number>;
}

const describe = (i: EraseInput) => ("email" in i ? `e-mail address ${i.email}` : `login ${i.login}`);

export async function erasePerson(db: Db, input: unknown, actor: Actor, key?: Buffer): Promise<Erasure> {
  const parsed = EraseInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "identity";
    throw new PrivacyError(
      issue?.code === "invalid_union"
        ? "name exactly one person: --email <address> or --login <login>"
        : `${field}: ${issue?.message}`,
      400,
    );
  }
  const who = parsed.data;
  const k = key ?? privacyKey();
  const named = "email" in who ? who.email : who.login;
  const erasure = pseudonymOf(named, k);
  return db.transaction(async (tx) => {
    // Hashes made with two keys could not all be recognised by one server: an erasure uses the key of the others.
    const [other] = await tx
      .select({ keyCheck: erasedIdentities.keyCheck })
      .from(erasedIdentities)
      .where(sql`${erasedIdentities.keyCheck} <> ${keyCheckOf(k)}`)
      .limit(1);
    if (other) throw new PrivacyKeyChangedError();
    const person = await discoverPerson(tx, who);
    const p: Pseudonyms = { email: new Map(), login: new Map(), name: new Map(), erasure };
    for (const kind of ["email", "login", "name"] as const)
      for (const v of person.raw[kind]) p[kind].set(v, pseudonymOf(v, k));
    const rows = await rewritePerson(tx, person, p);
    const changed = Object.values(rows).reduce((a, b) => a + b, 0);
    const hash = identityHash(named, k);
    if (changed === 0) {
      const [known] = await tx
        .select({ erasure: erasedIdentities.erasure })
        .from(erasedIdentities)
        .where(inArray(erasedIdentities.hash, [hash]));
      if (known) return { erasure: known.erasure, alreadyErased: true, values: tally(person), rows };
      throw new PrivacyError(`no one with the ${describe(who)} is known here: nothing was changed`, 404);
    }
    const values = new Map<string, { kind: "email" | "login" | "name"; pseudonym: string }>();
    values.set(hash, { kind: "email" in who ? "email" : "login", pseudonym: erasure });
    for (const e of person.emails)
      values.set(identityHash(e, k), { kind: "email", pseudonym: pseudonymOf(e, k) });
    for (const l of person.logins)
      values.set(identityHash(l, k), { kind: "login", pseudonym: pseudonymOf(l, k) });
    for (const kind of ["email", "login", "name"] as const)
      for (const [v, ps] of p[kind]) values.set(identityHash(v, k), { kind, pseudonym: ps });
    await tx
      .insert(erasedIdentities)
      .values([...values].map(([h, v]) => ({ hash: h, ...v, erasure, keyCheck: keyCheckOf(k) })))
      .onConflictDoNothing();
    const result = { erasure, alreadyErased: false, values: tally(person), rows };
    await audit(tx, actor, "privacy.erase", erasure, { values: result.values, rows });
    return result;
  });
}

const tally = (person: { emails: Set<string>; logins: Set<string>; raw: { name: Set<string> } }) => ({
  emails: person.emails.size,
  logins: person.logins.size,
  names: new Set([...person.raw.name].map(normaliseIdentity)).size,
});

export interface ErasureListEntry {
  erasure: string;
  erasedAt: Date;
  values: number;
}

/** Erasures, newest first: pseudonyms and counts only (the table holds nothing else). */
export async function listErasures(db: Db, limit = 200): Promise<ErasureListEntry[]> {
  const rows = await db
    .select({
      erasure: erasedIdentities.erasure,
      erasedAt: min(erasedIdentities.erasedAt),
      values: countRows(),
    })
    .from(erasedIdentities)
    .groupBy(erasedIdentities.erasure)
    .orderBy(desc(sql`max(${erasedIdentities.erasedAt})`))
    .limit(limit);
  return rows.map((r) => ({ erasure: r.erasure, erasedAt: r.erasedAt as Date, values: r.values }));
}
