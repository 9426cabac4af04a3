/**
 * The repository's `owner/name` from its `origin` URL, so a clone of github.com/acme/api lands on the same
 * repository row as the GitHub source would write. Understands https (with or without credentials), ssh:// and
 * scp-like `git@host:owner/name` forms; GitLab subgroups keep their last two segments (`group/sub/api` →
 * `sub/api`; `--repo` overrides). Local paths and file:// URLs name no owner.
 */
export interface RemoteName {
  fullName: string;
  /** A browsable https address (never with credentials). */
  url: string;
}

export function nameFromRemote(remote: string): RemoteName | null {
  const url = remote.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(url);
  if (/^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  } else if (scp && !/^[a-z]:[\\/]/i.test(url)) {
    host = scp[1] as string;
    path = scp[2] as string;
  } else {
    return null;
  }
  const segments = path
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .split("/")
    .filter((s) => s && s !== "~");
  if (!host || segments.length < 2) return null;
  const [owner, name] = segments.slice(-2) as [string, string];
  if (/\s/.test(owner + name)) return null;
  return { fullName: `${owner}/${name}`, url: `https://${host}/${segments.join("/")}` };
}

/** `local/<directory>` for a clone with no usable remote: the directory name minus `.git`, spaces as dashes. */
export function localName(directory: string): string {
  const base =
    directory
      .replace(/[\\/]+$/, "")
      .split(/[\\/]/)
      .pop() ?? "";
  const name = base
    .replace(/\.git$/i, "")
    .trim()
    .replace(/[\s/]+/g, "-");
  return `local/${name || "repository"}`;
}
