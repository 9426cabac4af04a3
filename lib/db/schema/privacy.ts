import { sql } from "drizzle-orm";
import { check, index, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

/**
 * People who asked to be forgotten (docs/adr/0023-privacy-erasure.md). Each row is one identity value (an e-mail,
 * a login or a name) as its HMAC-SHA256 under the server's secret key, never the value itself: the table can say
 * "this value was erased" to every ingest path, and cannot tell anyone what the value was. `pseudonym` is what
 * the value is written as everywhere; `erasure` is the pseudonym of the identity the request named, shared by every
 * value that request covered (the CLI's and Settings' list shows only these).
 */
export const erasedIdentities = pgTable(
  "erased_identities",
  {
    /** Hex HMAC-SHA256 of the normalised value (lib/privacy/pseudonym.ts). */
    hash: text().primaryKey(),
    kind: text().$type<"email" | "login" | "name">().notNull(),
    pseudonym: text().notNull(),
    erasure: text().notNull(),
    /** Which key made the hash (an HMAC of a fixed label): a server with another key refuses to write (mask.ts). */
    keyCheck: text().notNull(),
    erasedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    // Serves the list of erasures (one line per request).
    index("erased_identities_erasure_idx").on(t.erasure),
    check("erased_identities_kind_ck", sql`${t.kind} in ('email', 'login', 'name')`),
    check("erased_identities_hash_ck", sql`${t.hash} ~ '^[0-9a-f]{64}$'`),
  ],
);
