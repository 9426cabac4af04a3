/**
 * Jenkins' `tree=` parameter, as Jenkins applies it (Stapler's TreeString): a comma-separated list of properties,
 * each optionally with `[…]` naming the properties of its value and `{M,N}` slicing an array (M inclusive, N
 * exclusive; `{M,}`, `{,N}` and `{N}` too). Properties the object does not have are left out; `null` stays `null`;
 * `_class` is always there.
 */

export interface TreeNode {
  name: string;
  children: TreeNode[] | null;
  range: { from: number; to: number | null } | null;
}

export function parseTree(spec: string): TreeNode[] {
  let i = 0;
  const list = (): TreeNode[] => {
    const out: TreeNode[] = [];
    for (;;) {
      const start = i;
      while (i < spec.length && !",[]{}".includes(spec[i] as string)) i++;
      const node: TreeNode = { name: spec.slice(start, i).trim(), children: null, range: null };
      if (spec[i] === "[") {
        i++;
        node.children = list();
        if (spec[i] !== "]") throw new Error(`tree: expected ] at ${i}`);
        i++;
      }
      if (spec[i] === "{") {
        const end = spec.indexOf("}", i);
        if (end < 0) throw new Error("tree: unclosed {");
        node.range = range(spec.slice(i + 1, end));
        i = end + 1;
      }
      if (!node.name) throw new Error(`tree: empty property at ${start}`);
      out.push(node);
      if (spec[i] === ",") {
        i++;
        continue;
      }
      return out;
    }
  };
  const nodes = list();
  if (i !== spec.length) throw new Error(`tree: unexpected '${spec[i]}' at ${i}`);
  return nodes;
}

function range(text: string): { from: number; to: number | null } {
  const m = /^\s*(\d*)\s*(,?)\s*(\d*)\s*$/.exec(text);
  if (!m) throw new Error(`tree: bad range {${text}}`);
  if (!m[2]) return { from: Number(m[1]), to: Number(m[1]) + 1 }; // {N}: just the Nth
  return { from: m[1] ? Number(m[1]) : 0, to: m[3] ? Number(m[3]) : null };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function applyTree(value: unknown, nodes: TreeNode[] | null): Json {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => applyTree(v, nodes));
  if (typeof value !== "object") return value as Json;
  const obj = value as Record<string, unknown>;
  if (!nodes) return obj as { [k: string]: Json };
  const out: Record<string, Json> = {};
  if (typeof obj._class === "string") out._class = obj._class;
  for (const n of nodes) {
    if (!(n.name in obj) || obj[n.name] === undefined) continue;
    let v = obj[n.name];
    if (Array.isArray(v) && n.range) v = v.slice(n.range.from, n.range.to ?? undefined);
    out[n.name] = applyTree(v, n.children);
  }
  return out;
}
