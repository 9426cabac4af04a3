import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, NEXT_BIN } from "@/scripts/lib/build";
import { demoTemplateDir } from "./demo-template";

/** A real `next start` on a free port over its own embedded database directory, for browser tests. */
export interface TestServer {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
  /** The `next start` process (crash tests SIGKILL it). */
  pid: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * `port`: a port chosen beforehand (freePort()), when something must know the URL before the server starts.
 * `until`: "ready" (default) waits for /api/health to answer 200; "listening" returns at its first answer of any
 * status (the first-start test looks at what a loading server says). A server that loads the demo starts from a copy
 * of the run's demo database (test/helpers/demo-template.ts) unless `emptyDatabase` is set.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: { port?: number; until?: "ready" | "listening"; emptyDatabase?: boolean } = {},
): Promise<TestServer> {
  if (ensureBuilt() !== 0) throw new Error("next build failed");
  const port = options.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "throughline-e2e-"));
  const template = demoTemplateDir();
  if (!options.emptyDatabase && env.THROUGHLINE_DEMO !== "never" && fs.existsSync(template))
    fs.cpSync(template, dataDir, { recursive: true });
  let log = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: "",
        THROUGHLINE_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: "127.0.0.1",
        NEXT_TELEMETRY_DISABLED: "1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (d) => {
    log += d;
  });
  child.stderr?.on("data", (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  // Ready when /api/health answers 200: it answers 503 "starting" while the first start loads the demo. No deadline
  // here (on a busy 2-core machine the demo took minutes): a server that dies ends the wait, the hook's timeout
  // bounds the rest.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok || options.until === "listening") break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    dataDir,
    pid: child.pid as number,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
