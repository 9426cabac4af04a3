import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A real git repository in a temporary directory, built with the git binary and fixed identities and times
 * (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), so every SHA and every time in a test is the same on every machine.
 */
export interface Person {
  name: string;
  email: string;
}

export const ALICE: Person = { name: "Alice Example", email: "alice@example.com" };
export const BOB: Person = { name: "Bob Example", email: "bob@example.com" };
export const DEPENDABOT: Person = {
  name: "dependabot[bot]",
  email: "49699333+dependabot[bot]@users.noreply.github.com",
};
export const GITHUB: Person = { name: "GitHub", email: "noreply@github.com" };

export class GitRepo {
  readonly dir: string;

  constructor(prefix = "throughline-git-") {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    this.git(["-c", "init.defaultBranch=main", "init", "-q"], ALICE, "2026-01-01T00:00:00Z");
  }

  git(
    args: string[],
    who: Person = ALICE,
    at = "2026-01-01T00:00:00Z",
    committer?: { who?: Person; at?: string },
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("GIT_")) delete env[k];
    return execFileSync("git", ["-c", "commit.gpgSign=false", "-c", "tag.gpgSign=false", ...args], {
      cwd: this.dir,
      encoding: "utf8",
      env: {
        ...env,
        HOME: this.dir, // no user or system config of the machine running the tests
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: at,
        GIT_COMMITTER_NAME: (committer?.who ?? who).name,
        GIT_COMMITTER_EMAIL: (committer?.who ?? who).email,
        GIT_COMMITTER_DATE: committer?.at ?? at,
      },
    }).trim();
  }

  private files = 0;

  /**
   * A commit authored at `at`, committed at `committedAt`. Each adds a file of its own: never empty, and branches
   * merge without conflicts.
   */
  commit(message: string, who: Person, at: string, committedAt = at, committer?: Person): string {
    const file = `change-${++this.files}.txt`;
    fs.writeFileSync(path.join(this.dir, file), `${message}\n`);
    this.git(["add", file], who, at);
    this.git(["commit", "-q", "-m", message], who, at, { who: committer, at: committedAt });
    return this.head();
  }

  head(): string {
    return this.git(["rev-parse", "HEAD"]);
  }

  checkout(branch: string, create = false): void {
    this.git(["checkout", "-q", ...(create ? ["-b"] : []), branch]);
  }

  /** `git merge --no-ff`: a merge commit with two parents. */
  merge(branch: string, message: string, who: Person, at: string): string {
    this.git(["merge", "-q", "--no-ff", "-m", message, branch], who, at);
    return this.head();
  }

  tag(name: string): void {
    this.git(["tag", name]);
  }

  /** An annotated tag, tagged (GIT_COMMITTER_DATE) at `at`, of HEAD or of `target`. */
  annotatedTag(name: string, at: string, who: Person = ALICE, target?: string): void {
    this.git(["tag", "-a", name, "-m", `Release ${name}`, ...(target ? [target] : [])], who, at);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
