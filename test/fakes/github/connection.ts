import { GraphQLError } from "graphql";

/**
 * GraphQL connections with GitHub's rules: `first` or `last` is required and at most 100, cursors are opaque
 * base64. Two cursor kinds, as on GitHub: an offset (`cursor:N`) for short fixed lists, and a keyset (the sort key
 * of the last item) for lists that change between requests, so that a page after a mutation continues where the
 * previous one stopped rather than at a shifted offset.
 */

/** An error GitHub reports with a top-level `type` (NOT_FOUND, EXCESSIVE_PAGINATION…). */
export const typedError = (type: string, message: string) =>
  new GraphQLError(message, { extensions: { type } });

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Connection<T> {
  totalCount: number;
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export type Key = readonly (string | number)[];

interface Cursors<T> {
  encode(item: T, index: number): string;
  /** Index of the first item after the cursor. */
  after(cursor: string): number;
  /** Index of the first item at or after the cursor (items before it are before the cursor). */
  before(cursor: string): number;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const invalidCursor = (cursor: string) =>
  typedError("INVALID_CURSOR_ARGUMENTS", `\`${cursor}\` does not appear to be a valid cursor.`);
function unb64(cursor: string, prefix: string): string {
  const s = Buffer.from(cursor, "base64").toString("utf8");
  if (!s.startsWith(prefix)) throw invalidCursor(cursor);
  return s.slice(prefix.length);
}

/** GitHub's simple cursors: base64 of `cursor:N`, N the 1-based position. */
export function offsetCursors<T>(): Cursors<T> {
  const parse = (c: string) => {
    const n = Number(unb64(c, "cursor:"));
    if (!Number.isInteger(n) || n < 0) throw invalidCursor(c);
    return n;
  };
  return { encode: (_, i) => b64(`cursor:${i + 1}`), after: parse, before: (c) => parse(c) - 1 };
}

/** Commit history cursors look like GitHub's: `<start oid> <offset>`. */
export function historyCursors<T>(startOid: string): Cursors<T> {
  const parse = (c: string) => {
    const [oid, n] = Buffer.from(c, "base64").toString("utf8").split(" ");
    const offset = Number(n);
    if (oid !== startOid || !Number.isInteger(offset)) throw invalidCursor(c);
    return offset;
  };
  return { encode: (_, i) => b64(`${startOid} ${i + 1}`), after: parse, before: (c) => parse(c) - 1 };
}

/** Items sorted by `key` ascending (dir 1) or descending (dir -1); ties must be broken inside the key. */
function compareKeys(a: Key, b: Key, dir: 1 | -1): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return (x < y ? -1 : 1) * dir;
  }
  return 0;
}

export function keysetCursors<T>(key: (t: T) => Key, dir: 1 | -1, items: readonly T[]): Cursors<T> {
  const cmp = (a: Key, b: Key) => compareKeys(a, b, dir);
  const parse = (c: string): Key => {
    try {
      const k: unknown = JSON.parse(unb64(c, "cursor:v2:"));
      if (Array.isArray(k)) return k;
    } catch {}
    throw invalidCursor(c);
  };
  const firstIndex = (pred: (k: Key) => boolean) => {
    const i = items.findIndex((t) => pred(key(t)));
    return i === -1 ? items.length : i;
  };
  return {
    encode: (t) => b64(`cursor:v2:${JSON.stringify(key(t))}`),
    after: (c) => {
      const k = parse(c);
      return firstIndex((x) => cmp(x, k) > 0);
    },
    before: (c) => {
      const k = parse(c);
      return firstIndex((x) => cmp(x, k) >= 0);
    },
  };
}

/** Sorts a copy by key (see keysetCursors) and pages it. */
export function sortedPage<T, N>(
  field: string,
  items: readonly T[],
  key: (t: T) => Key,
  dir: 1 | -1,
  args: PageArgs,
  toNode: (t: T) => N,
): Connection<N> {
  const keyed = items.map((t) => ({ t, k: key(t) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k, dir));
  const sorted = keyed.map((x) => x.t);
  return page(field, sorted, args, keysetCursors(key, dir, sorted), toNode);
}

export function checkBounds(field: string, args: PageArgs) {
  const { first, last } = args;
  if (first == null && last == null)
    throw typedError(
      "MISSING_PAGINATION_BOUNDARIES",
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  if (first != null && last != null)
    throw typedError(
      "INVALID_ARGUMENTS",
      `Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`,
    );
  for (const [name, n] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (n == null) continue;
    if (n < 0)
      throw typedError(
        "INVALID_ARGUMENTS",
        `\`${name}\` on the \`${field}\` connection cannot be less than zero.`,
      );
    if (n > 100)
      throw typedError(
        "EXCESSIVE_PAGINATION",
        `Requesting ${n} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
      );
  }
}

export function page<T, N>(
  field: string,
  items: readonly T[],
  args: PageArgs,
  cursors: Cursors<T>,
  toNode: (t: T) => N,
): Connection<N> {
  checkBounds(field, args);
  let lo = args.after ? Math.max(0, cursors.after(args.after)) : 0;
  let hi = args.before ? Math.min(items.length, cursors.before(args.before)) : items.length;
  if (hi < lo) hi = lo;
  const windowLo = lo;
  const windowHi = hi;
  if (args.first != null) hi = Math.min(hi, lo + args.first);
  else if (args.last != null) lo = Math.max(lo, hi - args.last);
  const edges = items.slice(lo, hi).map((t, i) => ({ cursor: cursors.encode(t, lo + i), node: toNode(t) }));
  return {
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      // Like GitHub: the side we paged towards is exact; the other reports whether the cursor had items beyond it.
      hasNextPage: args.first != null ? hi < windowHi : args.before != null && windowHi < items.length,
      hasPreviousPage: args.last != null ? lo > windowLo : args.after != null && windowLo > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Pages a fixed list by position. */
export const offsetPage = <T, N>(field: string, items: readonly T[], args: PageArgs, toNode: (t: T) => N) =>
  page(field, items, args, offsetCursors<T>(), toNode);
