import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { GitIngestError } from "./errors";

/**
 * Runs the `git` binary: argument arrays, never a shell, so paths and tag names are never interpreted. Settings
 * that would change what we parse (signatures in `git log`, colours, the output encoding, replace refs, the
 * caller's GIT_DIR) are pinned, so the output depends only on the repository.
 */

const PINNED = [
  "-c",
  "log.showSignature=false",
  "-c",
  "color.ui=false",
  "-c",
  "i18n.logOutputEncoding=UTF-8",
  "-c",
  "core.quotePath=false",
];

/** Variables that would point git at another repository than the one we were given, or prompt. */
const DROPPED = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_COMMON_DIR",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE",
  "GIT_CONFIG_PARAMETERS",
  "GIT_CONFIG_COUNT",
];

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of DROPPED) delete env[key];
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_NO_REPLACE_OBJECTS: "1",
    // Our error messages quote git's: keep them in English whatever the locale.
    LC_ALL: "C",
  };
}

export function spawnGit(cwd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn("git", [...PINNED, ...args], { cwd, env: environment(), stdio: ["pipe", "pipe", "pipe"] });
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a short git command to completion. Never throws on a non-zero exit: callers decide what it means. */
export function runGit(cwd: string, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (error) => reject(spawnError(error)));
    child.on("close", (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8").trim(),
      }),
    );
    child.stdin.on("error", () => {}); // git may exit before reading all of its input
    child.stdin.end(input ?? "");
  });
}

/** Like runGit, but a non-zero exit is an error quoting git. */
export async function gitOutput(cwd: string, args: readonly string[], input?: string): Promise<string> {
  const result = await runGit(cwd, args, input);
  if (result.code !== 0) throw gitFailed(args, result);
  return result.stdout;
}

export function gitFailed(args: readonly string[], result: Pick<GitResult, "code" | "stderr">): Error {
  const said = result.stderr.split("\n").slice(0, 5).join("\n  ") || `exit code ${result.code}`;
  return new Error(`git ${args.filter((a) => !a.startsWith("--format")).join(" ")} failed:\n  ${said}`);
}

export function spawnError(error: NodeJS.ErrnoException): Error {
  if (error.code === "ENOENT")
    return new GitIngestError("git is not installed (no `git` on PATH): install git to read local clones.", {
      cause: error,
    });
  return error;
}

/**
 * Streams a git command's stdout as chunks, with backpressure (git waits while we write to the database). Throws
 * once the stream ends if git failed, quoting its error output.
 */
export async function* streamGit(
  cwd: string,
  args: readonly string[],
  input?: string,
): AsyncGenerator<Buffer, void, undefined> {
  const child = spawnGit(cwd, args);
  const err: Buffer[] = [];
  child.stderr.on("data", (b: Buffer) => err.push(b));
  let failure: Error | null = null;
  child.on("error", (error) => {
    failure = spawnError(error);
  });
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  child.stdin.on("error", () => {});
  child.stdin.end(input ?? "");
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    finished = true;
  } finally {
    // A consumer that stops early (an error while writing) must not leave git running.
    if (!finished && child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (failure) throw failure;
  if (code !== 0) throw gitFailed(args, { code, stderr: Buffer.concat(err).toString("utf8").trim() });
}
