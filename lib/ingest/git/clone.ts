import fs from "node:fs";
import path from "node:path";
import { GitIngestError } from "./errors";
import { gitOutput, runGit } from "./exec";
import { localName, nameFromRemote, type RemoteName } from "./remote";

/** A validated local repository: a work tree's top level, or a bare repository (or a `.git` directory). */
export interface Clone {
  /** Where git runs. */
  dir: string;
  bare: boolean;
  /** `local/<directory>`, for a clone without a usable remote. */
  localName: string;
  origin: RemoteName | null;
}

export async function openClone(dir: string): Promise<Clone> {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new GitIngestError(`${dir} does not exist: --path must name a git clone.`);
  if (!stat.isDirectory())
    throw new GitIngestError(`${dir} is not a directory: --path must name a git clone.`);
  const probe = await runGit(dir, [
    "rev-parse",
    "--is-bare-repository",
    "--is-inside-git-dir",
    "--absolute-git-dir",
  ]);
  if (probe.code !== 0) {
    if (/not a git repository/i.test(probe.stderr))
      throw new GitIngestError(
        `${dir} is not a git repository: pass the directory of a clone (the one that holds .git) or of a bare repository.`,
      );
    throw new GitIngestError(
      `git cannot read ${dir}: ${probe.stderr.split("\n")[0] ?? `exit ${probe.code}`}`,
    );
  }
  const [bare, insideGitDir, gitDir = ""] = probe.stdout.trim().split("\n");
  const real = fs.realpathSync(dir);
  let top: string;
  if (insideGitDir === "true") {
    top = fs.realpathSync(gitDir);
  } else {
    top = fs.realpathSync((await gitOutput(dir, ["rev-parse", "--show-toplevel"])).trim());
  }
  // A directory inside some other repository (a dotfiles repository around a home directory) would read that
  // repository: ask for its top level instead of guessing.
  if (real !== top)
    throw new GitIngestError(
      `${dir} is inside the git repository ${top} but is not its top level: pass --path ${top}.`,
    );
  const named = path.basename(top) === ".git" ? path.dirname(top) : top;
  const remote = await runGit(dir, ["config", "--get", "remote.origin.url"]);
  return {
    dir: top,
    bare: bare === "true",
    localName: localName(named),
    origin: remote.code === 0 ? nameFromRemote(remote.stdout) : null,
  };
}

export interface Branch {
  /** What the user named, or `origin/HEAD` / `HEAD`. */
  ref: string;
  /** Its short branch name, for the repository's default branch (null: a detached HEAD). */
  name: string | null;
  /** The commit it points at now: every read of this run is pinned to it. */
  head: string;
}

/** The branch to read: `--branch`, else the clone's default branch (`origin/HEAD` when the clone has one, else `HEAD`). */
export async function resolveBranch(clone: Clone, branch: string | undefined): Promise<Branch> {
  if (branch) {
    const head = await commitOf(clone, branch);
    if (!head) {
      const known = (
        await gitOutput(clone.dir, [
          "for-each-ref",
          "--format=%(refname:short)",
          "refs/heads",
          "refs/remotes",
        ])
      )
        .split("\n")
        .filter((b) => b && !b.endsWith("/HEAD"));
      throw new GitIngestError(
        `branch '${branch}' not found in ${clone.dir}` +
          (known.length
            ? `: its branches are ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", …" : ""}.`
            : ": it has no branches."),
      );
    }
    return {
      ref: branch,
      name: branch.replace(/^(refs\/heads\/|refs\/remotes\/origin\/|origin\/)/, ""),
      head,
    };
  }
  for (const ref of ["refs/remotes/origin/HEAD", "HEAD"]) {
    const head = await commitOf(clone, ref);
    if (!head) continue;
    const symbolic = await runGit(clone.dir, ["symbolic-ref", "--quiet", "--short", ref]);
    const name = symbolic.code === 0 ? symbolic.stdout.trim().replace(/^origin\//, "") : null;
    return { ref: ref === "HEAD" ? "HEAD" : "origin/HEAD", name, head };
  }
  throw new GitIngestError(`${clone.dir} has no commits yet (HEAD points at an unborn branch).`);
}

/** The commit a revision names, or null. */
export async function commitOf(clone: Clone, revision: string): Promise<string | null> {
  const r = await runGit(clone.dir, [
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${revision}^{commit}`,
  ]);
  return r.code === 0 ? r.stdout.trim() || null : null;
}

/** Whether `ancestor` is reachable from `head` (false too when git no longer has it). */
export async function isAncestor(clone: Clone, ancestor: string, head: string): Promise<boolean> {
  const r = await runGit(clone.dir, ["merge-base", "--is-ancestor", ancestor, head]);
  return r.code === 0;
}
