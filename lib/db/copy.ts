import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import type { Db } from "./index";

/**
 * Bulk upserts through COPY, on postgres.js only (PGlite has no COPY FROM STDIN through the driver): inside the
 * caller's transaction, the rows are copied into a temporary table and upserted from there in one statement. For
 * 100,000 commits PostgreSQL spends about a quarter less than on `jsonb_to_recordset`, and Node less than on
 * building the JSON (docs/benchmarks.md § Local git ingest).
 *
 * A COPY must never fail: postgres.js 3.4.9 never settles a COPY the server rejects, which hangs the transaction
 * and leaks its connection (porsager/postgres#1173). So the target is an unconstrained temporary table (no
 * unique or foreign key to violate), and any value PostgreSQL could refuse (a NUL character, a year outside
 * 1–9999, a non-finite number) sends the whole batch down the jsonb path instead, where it fails cleanly.
 *
 * Returns false when the rows were not written (not postgres.js, or not copyable): the caller then uses
 * insertRows (bulk.ts), which gives the same result.
 */

type ColumnKey<T extends PgTable> = Extract<keyof T["_"]["columns"], string>;
type Row<T extends PgTable> = { [K in ColumnKey<T>]?: unknown };

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The postgres.js client behind a drizzle database or transaction; null on PGlite. */
function postgresJsClient(db: Db): Sql | null {
  const client = (db._.session as unknown as { client?: unknown }).client;
  // Duck-typed so that this module never loads a driver: PGlite's client has no `unsafe`.
  return client && typeof (client as Sql).unsafe === "function" ? (client as Sql) : null;
}

function columnOf(table: PgTable, key: string): { name: string; type: string } {
  const column = (table as unknown as Record<string, PgColumn | undefined>)[key];
  if (!column || !getTableConfig(table).columns.includes(column))
    throw new Error(`copy: ${getTableConfig(table).name} has no column ${key}`);
  return { name: column.keyAsName ? toSnakeCase(key) : column.name, type: column.getSQLType() };
}

class NotCopyable extends Error {}

/** COPY text format: backslash, tab, newline and carriage return escaped; `\N` is NULL. */
function copyEscape(text: string): string {
  if (text.includes("\u0000")) throw new NotCopyable();
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      )
    : text;
}

function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text = String(value);
  return /^[^",\\{}\s]+$/.test(text) && text.toUpperCase() !== "NULL"
    ? text
    : `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** toISOString writes other years as ±YYYYYY, which PostgreSQL does not read. */
const YEAR_ONE = new Date("0001-01-01T00:00:00Z").getTime();
const YEAR_10000 = new Date("+010000-01-01T00:00:00Z").getTime();

function field(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) {
    const t = value.getTime();
    if (!(t >= YEAR_ONE && t < YEAR_10000)) throw new NotCopyable();
    return value.toISOString();
  }
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NotCopyable();
    return String(value);
  }
  if (typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return copyEscape(`{${value.map(arrayElement).join(",")}}`);
  if (typeof value === "object") {
    const json = JSON.stringify(value);
    if (json.includes("\\u0000")) throw new NotCopyable(); // jsonb refuses it
    return copyEscape(json);
  }
  return copyEscape(String(value));
}

/** The rows in COPY text format, in chunks; null when a value could make the COPY fail. */
function copyText(rows: Iterable<Record<string, unknown>>, keys: readonly string[]): string[] | null {
  const text: string[] = [];
  let chunk = "";
  try {
    for (const row of rows) {
      for (let i = 0; i < keys.length; i++) chunk += (i ? "\t" : "") + field(row[keys[i] as string]);
      chunk += "\n";
      if (chunk.length > 1 << 16) {
        text.push(chunk);
        chunk = "";
      }
    }
  } catch (error) {
    if (error instanceof NotCopyable) return null;
    throw error;
  }
  if (chunk) text.push(chunk);
  return text;
}

export async function copyUpsert<T extends PgTable>(
  db: Db,
  table: T,
  rows: readonly Row<T>[],
  options: {
    /** Column keys of the unique key to upsert on. */
    conflict: ColumnKey<T>[];
    /** On conflict: update these columns (default: every other column given), or do nothing. */
    update?: ColumnKey<T>[] | "nothing";
  },
): Promise<boolean> {
  if (!postgresJsClient(db)) return false;
  if (rows.length === 0) return true;
  const keys = Object.keys(rows[0] as object);
  const cols = keys.map((key) => ({ key, ...columnOf(table, key) }));
  const name = getTableConfig(table).name;
  const staging = ident(`tl_copy_${name}`);
  const list = cols.map((c) => ident(c.name)).join(", ");
  const target = options.conflict.map((k) => ident(columnOf(table, k).name)).join(", ");
  const updates =
    options.update === "nothing"
      ? []
      : (options.update?.map((k) => columnOf(table, k).name) ??
        cols.filter((c) => !options.conflict.includes(c.key as ColumnKey<T>)).map((c) => c.name));
  const onConflict = updates.length
    ? `do update set ${updates.map((n) => `${ident(n)} = excluded.${ident(n)}`).join(", ")}`
    : "do nothing";
  // One statement may not upsert the same key twice ("cannot affect row a second time"): the last row wins.
  const unique = new Map<string, Row<T>>();
  for (const row of rows) unique.set(options.conflict.map((k) => String(row[k])).join("\u0000"), row);
  const text = copyText(unique.values() as Iterable<Record<string, unknown>>, keys);
  if (!text) return false;
  // A savepoint of the caller's transaction (or a transaction): COPY and the upsert must share its connection.
  await db.transaction(async (tx) => {
    const client = postgresJsClient(tx) as Sql;
    await client.unsafe(
      `create temp table if not exists ${staging} (${cols.map((c) => `${ident(c.name)} ${c.type}`).join(", ")}) on commit drop`,
    );
    await client.unsafe(`truncate ${staging}`);
    await pipeline(
      Readable.from(text),
      await client.unsafe(`copy ${staging} (${list}) from stdin`).writable(),
    );
    await client.unsafe(
      `insert into ${ident(name)} (${list}) select ${list} from ${staging} on conflict (${target}) ${onConflict}`,
    );
  });
  return true;
}
