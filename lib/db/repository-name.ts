import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Repository names are case-insensitive on GitHub and GitLab (`ACME/Checkout-Web` is `acme/checkout-web`): every
 * lookup by name compares lower-cased, which the unique index `repositories_full_name_lower_uq` serves.
 */
export const sameRepository = (column: AnyPgColumn | SQL, fullName: string): SQL =>
  sql`lower(${column}) = lower(${fullName})`;

/** The key two spellings of one repository share. */
export const repositoryKey = (fullName: string): string => fullName.toLowerCase();
