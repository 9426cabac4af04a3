import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * One PGlite data directory may be opened by one process only: PGlite has no lock of its own and two writers
 * corrupt it (docs/adr/0002-embedded-database.md). Every process that opens the directory first creates this
 * lock file atomically. A running server also writes where it listens and a secret, so that CLIs can hand their
 * job to it (lib/jobs) instead of opening the directory themselves.
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  /** Set by a running server: where CLIs send jobs. */
  jobsUrl?: string;
  /** Bearer secret for the jobs endpoint. The file is created 0600. */
  jobsToken?: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holder.pid}: ${holder.command}, ` +
        `since ${holder.startedAt}). PGlite allows one process per data directory. ` +
        (holder.jobsUrl
          ? "That process is a Throughline server; commands that support it are sent to it automatically."
          : "Wait for it to finish or stop it, then run this again."),
    );
    this.name = "EmbeddedDatabaseBusyError";
  }
}

const lockPath = (dataDir: string) => path.join(dataDir, "pglite.lock");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readLock(dataDir: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockHolder;
  } catch {
    return null;
  }
}

/** The live holder of the lock, or null when there is none (a stale lock from a dead process counts as none). */
export function liveHolder(dataDir: string): LockHolder | null {
  const holder = readLock(dataDir);
  if (!holder) return null;
  if (holder.hostname === os.hostname() && !isAlive(holder.pid)) return null;
  return holder;
}

const held = new Set<string>();

export function acquireLock(dataDir: string, command: string): LockHolder {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const me: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me, null, 2), { flag: "wx", mode: 0o600 });
      held.add(file);
      releaseOnExit();
      return me;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readLock(dataDir);
      if (holder && holder.pid === process.pid && holder.hostname === me.hostname) return holder;
      if (holder && liveHolder(dataDir)) throw new EmbeddedDatabaseBusyError(dataDir, holder);
      // Stale: its process is gone (crashed or killed). Take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not acquire ${file}`);
}

/** Called by the server once it listens: CLIs read this to delegate jobs. Returns the secret. */
export function advertiseJobs(dataDir: string, jobsUrl: string): string {
  const holder = readLock(dataDir);
  if (!holder || holder.pid !== process.pid)
    throw new Error("advertiseJobs: this process does not hold the lock");
  const jobsToken = holder.jobsToken ?? randomBytes(32).toString("hex");
  fs.writeFileSync(lockPath(dataDir), JSON.stringify({ ...holder, jobsUrl, jobsToken }, null, 2), {
    mode: 0o600,
  });
  return jobsToken;
}

export function releaseLock(dataDir: string): void {
  const file = lockPath(dataDir);
  const holder = readLock(dataDir);
  if (holder && holder.pid === process.pid) fs.rmSync(file, { force: true });
  held.delete(file);
}

let hooked = false;
function releaseOnExit() {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const file of held) {
      try {
        const holder = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
        if (holder.pid === process.pid) fs.rmSync(file, { force: true });
      } catch {
        // already gone
      }
    }
  });
}
