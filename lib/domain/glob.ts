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
