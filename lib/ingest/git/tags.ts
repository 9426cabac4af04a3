/**
 * Tags from `git for-each-ref refs/tags`. An annotated tag is a tag object: it went out at its **tagger** time and
 * names its commit through `%(*objectname)` (peeled once). A lightweight tag is just a name for a commit: its time is
 * the commit's committer time. Fields are NUL-separated and refs newline-terminated: ref names cannot contain
 * either (git check-ref-format).
 */
export const TAG_FIELDS = [
  "%(refname:strip=2)",
  "%(objecttype)",
  "%(objectname)",
  "%(*objecttype)",
  "%(*objectname)",
  "%(taggerdate:unix)",
  "%(committerdate:unix)",
  "%(*committerdate:unix)",
] as const;
export const TAG_ARGS = ["for-each-ref", `--format=${TAG_FIELDS.join("%00")}`, "refs/tags"] as const;

export interface GitTag {
  name: string;
  /** The commit the tag names. */
  sha: string;
  /** Tagger time (annotated), else the commit's committer time. */
  at: Date;
  annotated: boolean;
}

export interface TagListing {
  tags: GitTag[];
  /** Annotated tags of tags (rare): the caller peels them with `git rev-parse`. */
  nested: { name: string; taggerAt: Date | null }[];
}

/** Tags naming a tree or a blob are skipped: they cannot be deployments. */
export function parseTags(output: string): TagListing {
  const listing: TagListing = { tags: [], nested: [] };
  for (const line of output.split("\n")) {
    if (!line) continue;
    const [name = "", type, id = "", peeledType, peeledId = "", taggerAt, committedAt, peeledCommittedAt] =
      line.split("\0");
    if (type === "commit") {
      const at = unix(committedAt);
      if (at) listing.tags.push({ name, sha: id, at, annotated: false });
    } else if (type === "tag" && peeledType === "commit") {
      const at = unix(taggerAt) ?? unix(peeledCommittedAt); // a tag object without a tagger line (very old git)
      if (at) listing.tags.push({ name, sha: peeledId, at, annotated: true });
    } else if (type === "tag" && peeledType === "tag") {
      listing.nested.push({ name, taggerAt: unix(taggerAt) });
    }
  }
  return listing;
}

function unix(value: string | undefined): Date | null {
  if (!value) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}
