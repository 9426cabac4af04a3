import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";

/**
 * What a hostile or clumsy client sends, for the property-based tests of issue 14: NUL, lone surrogates, far dates,
 * integers beyond the column type, script URLs, %-escapes that are no UTF-8, repository names in another casing.
 */
export const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\uD800",
    "x\uDC00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2026-03-02T10:00:00Z",
    "2026-03-02",
    "99999999999999999999",
    "2147483648",
    "-1",
    "0",
    "1e3",
    "javascript:alert(1)",
    "data:text/html,x",
    "https://ci.example/1",
    "%E0%A4%A",
    "%00",
    "ACME/Checkout-Web",
    "acme/pay",
    "payments",
    "production",
    "__proto__",
    "constructor",
    "a".repeat(40),
    "x".repeat(600),
    "",
  ),
);

/** Any JSON value, hostile strings and numbers beyond every column type included. */
export const value: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.constantFrom(0, -1, 2_147_483_648, 1e20, 1.5, Number.MAX_SAFE_INTEGER, null, true),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);

/** A raw query-string or path piece, not encoded: it may hold `%`-escapes that decode to nothing. */
export const piece = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom(
    "%00",
    "%E0%A4%A",
    "%ED%A0%80",
    "%",
    "%%",
    "%FF",
    "9999-12-31",
    "0001-01-01",
    "2026-01-01",
    "2026-03-31",
    "99999999999999999999",
    "2147483648",
    "-5",
    "0",
    "1",
    "+",
    "payments",
    "PAYMENTS",
    "acme/pay",
    "ACME/Pay",
    "production",
    "day",
    "week",
    "month",
    "quarter",
    "last-30-days",
    "2026-Q1",
    "pdf",
    "csv",
    "json",
    "zip",
    "a4",
  ),
);

/** A query string of `keys` (plus a few nobody expects), each value a raw piece: repeated and empty keys too. */
export function queryString(keys: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(
        keys.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...keys) }, piece) : piece,
        piece,
      ),
      {
        maxLength: 5,
      },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k.replace(/[#&=]/g, "")}=${v.replace(/[#&]/g, "")}`).join("&"));
}

/** A value put at one place of a valid payload (or that place deleted): the mappers meet one bad field at a time. */
export function mutated(payload: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(payload);
  if (paths.length === 0) return fc.constant(payload);
  const one = fc
    .tuple(fc.nat({ max: paths.length - 1 }), fc.option(value, { nil: undefined, freq: 6 }))
    .map(([i, replacement]) => {
      const copy = structuredClone(payload) as Record<string, unknown>;
      const path = paths[i] as (string | number)[];
      let at: Record<string | number, unknown> = copy;
      for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
      const last = path.at(-1) as string | number;
      if (replacement === undefined) delete at[last];
      else at[last] = replacement;
      return copy;
    });
  // Now and then the payload as it is: what lies behind validation is reached too.
  return fc.oneof({ weight: 4, arbitrary: one }, { weight: 1, arbitrary: fc.constant(payload) });
}

function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    const inner = entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
    return prefix.length ? [prefix, ...inner] : inner;
  }
  return prefix.length ? [prefix] : [];
}

let tables: string[] | null = null;

/**
 * Rows in every table, as one comparable string: a refused request (4xx) must leave it unchanged. One exception by
 * design: a webhook delivery the store refused (400) is recorded as `failed` in the delivery log, so that an admin
 * sees why and the sender's redelivery may claim it again; only the other deliveries are counted.
 */
export async function tableCounts(db: Db): Promise<string> {
  tables ??= (
    await queryRows<{ name: string }>(
      db,
      sql`select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename`,
    )
  ).map((r) => r.name);
  const rows = await queryRows(
    db,
    sql.raw(
      `select ${tables
        .map(
          (t) =>
            `(select count(*)::int from ${t}${t === "webhook_deliveries" ? " where status <> 'failed'" : ""}) as ${t}`,
        )
        .join(", ")}`,
    ),
  );
  return JSON.stringify(rows[0]);
}

/** Headers a client can send: a value `Headers` refuses (a NUL, a newline) is one no client can send either. */
export function headersOf(entries: Iterable<readonly [string, string]>): Headers {
  const headers = new Headers();
  for (const [name, v] of entries) {
    try {
      headers.set(name, v);
    } catch {
      // not a valid header name or value: no HTTP client can send it
    }
  }
  return headers;
}
