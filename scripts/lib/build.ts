import { spawnSync } from "node:child_process";
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

/** Runs `next build` (output to the terminal) and stamps it. Returns the exit status. */
export function build(): number {
  const fingerprint = sourceFingerprint();
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status === 0)
    fs.writeFileSync(STAMP, JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }));
  return result.status ?? 1;
}

export function ensureBuilt(log: (line: string) => void = console.log): number {
  if (isBuildFresh()) return 0;
  log(
    fs.existsSync(STAMP)
      ? "Sources changed since the last build: building…"
      : "Building the app (about a minute)…",
  );
  return build();
}
