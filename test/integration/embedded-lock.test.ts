import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openPglite } from "@/lib/db";
import { EmbeddedDatabaseBusyError, readLock } from "@/lib/db/embedded-lock";

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-lock-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("one PGlite directory, one process", () => {
  it("refuses a second process with a message naming the holder", () => {
    const dir = tmp();
    const holder = {
      pid: process.ppid,
      hostname: os.hostname(),
      command: "npm start",
      startedAt: "2026-11-22T10:00:00Z",
    };
    fs.writeFileSync(path.join(dir, "pglite.lock"), JSON.stringify(holder));
    return expect(openPglite(dir, "npm run seed:demo")).rejects.toThrow(
      new EmbeddedDatabaseBusyError(dir, holder).message,
    );
  });

  it("takes over a lock left by a process that died, and releases it on close", async () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    fs.writeFileSync(
      path.join(dir, "pglite.lock"),
      JSON.stringify({
        pid: Number(dead.stdout),
        hostname: os.hostname(),
        command: "killed",
        startedAt: "x",
      }),
    );
    const handle = await openPglite(dir, "test");
    expect(readLock(dir)?.pid).toBe(process.pid);
    await handle.migrate();
    await handle.close();
    expect(readLock(dir)).toBeNull();
  });

  it("a real second process gets the clear error, not a corrupted database", async () => {
    const dir = tmp();
    const handle = await openPglite(dir, "first");
    try {
      const child = spawnSync(
        process.execPath,
        [
          "node_modules/tsx/dist/cli.mjs",
          "-e",
          `import("./lib/db/index.ts").then(m => m.openPglite(${JSON.stringify(dir)}, "second")).then(() => console.log("opened"), e => { console.log(e.name); process.exit(3) })`,
        ],
        { encoding: "utf8" },
      );
      expect(child.stdout.trim()).toBe("EmbeddedDatabaseBusyError");
      expect(child.status).toBe(3);
    } finally {
      await handle.close();
    }
  });
});
