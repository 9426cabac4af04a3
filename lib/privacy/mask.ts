import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import {
  identityHash,
  isPseudonym,
  keyCheckOf,
  PrivacyKeyChangedError,
  privacyKey,
  pseudonymOf,
} from "./pseudonym";

/**
 * What every write of a person's identity goes through (the ingest store's commits and pull requests, team
 * members): a value someone asked to have erased is written as its pseudonym, never as itself, whichever source
 * brings it back (a full re-sync, a webhook, a push, the config file).
 */
export interface IdentityMask {
  erased(value: string | null | undefined): boolean;
  /** The pseudonym of any value (erased or not): used for the other fields of a row that names an erased person. */
  pseudonym(value: string): string;
}

/**
 * The mask for a batch of values, or null when nobody was ever erased: then no key is needed (a server that
 * never erased anyone runs without THROUGHLINE_SECRET_KEY) and the cost is one indexed probe per batch.
 */
export async function identityMask(
  db: Db,
  values: Iterable<string | null | undefined>,
  key?: Buffer,
): Promise<IdentityMask | null> {
  const [any] = await queryRows<{ key_check: string }>(
    db,
    sql`select key_check from erased_identities limit 1`,
  );
  if (!any) return null;
  // Erasures exist: without the key they were made with, writing would put the erased values back. Refuse.
  const k = key ?? privacyKey();
  if (any.key_check !== keyCheckOf(k)) throw new PrivacyKeyChangedError();
  const hashes = new Map<string, string>();
  const hashOf = (v: string) => {
    const known = hashes.get(v);
    if (known !== undefined) return known;
    const h = identityHash(v, k);
    hashes.set(v, h);
    return h;
  };
  for (const v of values) if (v?.trim() && !isPseudonym(v)) hashOf(v);
  const erased = new Set<string>();
  if (hashes.size) {
    const rows = await queryRows<{ hash: string }>(
      db,
      sql`select hash from erased_identities
          where hash in (select jsonb_array_elements_text(${JSON.stringify([...new Set(hashes.values())])}::jsonb))`,
    );
    for (const r of rows) erased.add(r.hash);
  }
  return {
    erased: (v) => !!v && v.trim() !== "" && !isPseudonym(v) && erased.has(hashOf(v)),
    pseudonym: (v) => (v.trim() === "" || isPseudonym(v) ? v : pseudonymOf(v, k)),
  };
}

export interface Who {
  name: string;
  email: string;
  login: string | null;
}

/** One person's identity on a row (a commit's author). Any erased part erases the whole identity. */
export function maskPerson(mask: IdentityMask | null, who: Who): Who {
  if (!mask) return who;
  const person = mask.erased(who.email) || mask.erased(who.login);
  const hide = (v: string) => (v && (person || mask.erased(v)) ? mask.pseudonym(v) : v);
  return { name: hide(who.name), email: hide(who.email), login: who.login === null ? null : hide(who.login) };
}

/** Logins (reviewers, team handles): each erased one as its pseudonym, duplicates dropped, order kept. */
export function maskLogins(mask: IdentityMask | null, logins: readonly string[]): string[] {
  if (!mask) return [...logins];
  return [...new Set(logins.map((l) => (mask.erased(l) ? mask.pseudonym(l) : l)))];
}
