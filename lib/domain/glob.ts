/** `*` matches any run of characters, `?` one; everything else is literal; case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "i");
}

export function matchesGlob(value: string, glob: string): boolean {
  return globToRegExp(glob).test(value);
}

/** True when `value` matches any of the globs; an absent list matches everything. */
export function matchesAny(value: string, globs: readonly string[] | undefined): boolean {
  return !globs || globs.some((g) => matchesGlob(value, g));
}

/**
 * A name pattern from the config: written `/…/`, a regular expression (case-sensitive, unanchored unless it says
 * so); otherwise a glob as above.
 */
export function matchesPattern(value: string, pattern: string): boolean {
  if (pattern.length > 2 && pattern.startsWith("/") && pattern.endsWith("/")) {
    return new RegExp(pattern.slice(1, -1)).test(value);
  }
  return matchesGlob(value, pattern);
}
