import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * `next build` only when the sources changed since the last build: `npm start` and the browser tests call
 * ensureBuilt(), `npm run build` always builds. The stamp records a fingerprint of the sources (paths, sizes,
 * modification times).
 */

const root = process.cwd();
export const NEXT_BIN = path.join(root, "node_modules", "next", "dist", "bin", "next");
const DIST = process.env.NEXT_DIST_DIR || ".next";
const STAMP = path.join(root, DIST, "throughline-build.json");
const SOURCES = [
  "app",
  "lib",
  "public",
  "instrumentation.ts",
  "next.config.ts",
  "tsconfig.json",
  "package-lock.json",
];

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) visit(path.join(p, entry));
    } else {
      hash.update(`${path.relative(root, p)}:${stat.size}:${stat.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) visit(path.join(root, s));
  return hash.digest("hex");
}

export function isBuildFresh(): boolean {
  if (!fs.existsSync(path.join(root, DIST, "BUILD_ID")) || !fs.existsSync(STAMP)) return false;
  try {
    return (
      (JSON.parse(fs.readFileSync(STAMP, "utf8")) as { fingerprint: string }).fingerprint ===
      sourceFingerprint()
    );
  } catch {
    return false;
  }
}

/**
 * The environment of a build. `npm run build` type-checks as part of `next build`; the builds `npm start` and the
 * browser tests make on the way skip that step (THROUGHLINE_SKIP_TYPECHECK, read by next.config.ts): `npm run
 * typecheck` and CI check the types, and on 2 cores the check took as long as compiling.
 */
function buildEnv(typecheck: boolean): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(typecheck ? {} : { THROUGHLINE_SKIP_TYPECHECK: "1" }),
  };
}

const stamp = (fingerprint: string) =>
  fs.writeFileSync(STAMP, JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }));

/** Runs `next build` (output to the terminal) and stamps it. Returns the exit status. */
export function build(options: { typecheck?: boolean } = {}): number {
  const fingerprint = sourceFingerprint();
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    stdio: "inherit",
    env: buildEnv(options.typecheck ?? true),
  });
  if (result.status === 0) stamp(fingerprint);
  return result.status ?? 1;
}

/**
 * The same without blocking the event loop (npm start serves its starting page meanwhile); no type check. A first
 * build (no build directory yet: a fresh clone) does not write Turbopack's filesystem cache
 * (THROUGHLINE_NO_BUILD_CACHE, read by next.config.ts): writing it took 50 s of a 9.6 min first start on the busy
 * 2-core machine (docs/benchmarks.md), for a cache only a later rebuild would read. Later builds write it.
 */
export function buildInBackground(): Promise<number> {
  const fingerprint = sourceFingerprint();
  const first = !fs.existsSync(path.join(root, DIST));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [NEXT_BIN, "build"], {
      stdio: "inherit",
      env: { ...buildEnv(false), ...(first ? { THROUGHLINE_NO_BUILD_CACHE: "1" } : {}) },
    });
    child.on("exit", (code) => {
      if (code === 0) stamp(fingerprint);
      resolve(code ?? 1);
    });
  });
}

export function ensureBuilt(log: (line: string) => void = console.log): number {
  if (isBuildFresh()) return 0;
  log(
    fs.existsSync(STAMP)
      ? "Sources changed since the last build: building…"
      : "Building the app (about a minute; types are checked by npm run typecheck, not here)…",
  );
  return build({ typecheck: false });
}
