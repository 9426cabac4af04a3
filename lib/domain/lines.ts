import { matchesGlob } from "./glob";

/**
 * Naming release lines from a deployment's ref (a tag or a branch), for the cases the commit graph cannot tell
 * apart (docs/metrics.md § Release lines): per-package tags of a monorepo, release branches.
 *
 * A rule selects refs by a tag glob, a tag regular expression or a branch glob, and names the line:
 *   package   the part before the last `@`: `plugin-legacy@5.4.0` → `plugin-legacy`, `@scope/ui@1.2.0` → `@scope/ui`
 *   major     the version's major: `v2.3.5` → `2.x`, `plugin@5.4.0` → `plugin@5.x`
 *   minor     the version's minor: `v2.3.5` → `2.3.x`
 *   anything else, a name of its own; `$1`…`$9` are the groups of `tagRegex`
 * A branch rule without `line` names the line after the branch (`release/2.x`).
 */
export interface LineRule {
  tag?: string;
  tagRegex?: string;
  branch?: string;
  line?: string;
}

export const LINE_STYLES = ["package", "major", "minor"] as const;

/** The line `ref` belongs to under the first rule that selects it; null when none does. */
export function lineOf(rules: readonly LineRule[], ref: string | null | undefined): string | null {
  if (!ref) return null;
  for (const rule of rules) {
    const name = nameBy(rule, ref);
    if (name !== undefined) return name;
  }
  return null;
}

/** undefined: the rule does not select the ref; null: it selects it but cannot name a line from it. */
function nameBy(rule: LineRule, ref: string): string | null | undefined {
  if (rule.branch !== undefined) return matchesGlob(ref, rule.branch) ? (rule.line ?? ref) : undefined;
  let groups: string[] = [];
  if (rule.tagRegex !== undefined) {
    const m = new RegExp(rule.tagRegex).exec(ref);
    if (!m) return undefined;
    groups = m.slice(1).map((g) => g ?? "");
  } else if (rule.tag === undefined || !matchesGlob(ref, rule.tag)) {
    return undefined;
  }
  const style = rule.line ?? (groups.length ? "$1" : "package");
  if (style === "package") {
    const at = ref.lastIndexOf("@");
    return at > 0 ? ref.slice(0, at) : null;
  }
  if (style === "major" || style === "minor") return versionLine(ref, style);
  const named = style.replace(/\$([1-9])/g, (_, n: string) => groups[Number(n) - 1] ?? "");
  return named.trim() || null;
}

function versionLine(ref: string, style: "major" | "minor"): string | null {
  const at = ref.lastIndexOf("@");
  const prefix = at > 0 ? ref.slice(0, at + 1) : "";
  const m = /(\d+)(?:\.(\d+))?/.exec(ref.slice(at + 1));
  if (!m) return null;
  if (style === "major" || m[2] === undefined) return `${prefix}${m[1]}.x`;
  return `${prefix}${m[1]}.${m[2]}.x`;
}

/** Why a regular expression cannot be used (null: it can). */
export function regexProblem(source: string): string | null {
  if (!source.trim()) return "is empty";
  try {
    new RegExp(source);
    return null;
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
}
