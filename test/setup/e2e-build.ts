import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { hasChromium } from "./environment";

/**
 * The browser tests' app build, once, before any test file starts (a global setup has no timeout): on a busy
 * 2-core machine a first `next build` took 7.5 min, longer than a hook may wait, and how long it takes says nothing
 * about the app. Each file's startServer() then finds the build fresh. Then the demo organisation, loaded once
 * into a directory every server with the demo starts from a copy of (test/helpers/demo-template.ts).
 */
export default async function setup() {
  if (!hasChromium()) return;
  const { ensureBuilt } = await import("../../scripts/lib/build");
  if (ensureBuilt((line) => console.log(`[e2e] ${line}`)) !== 0) throw new Error("next build failed");
  const { demoTemplateDir } = await import("../helpers/demo-template");
  const template = demoTemplateDir();
  fs.rmSync(path.dirname(template), { recursive: true, force: true });
  console.log("[e2e] Loading the demo organisation once for the servers that start with it…");
  const seeded = spawnSync(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/seed-demo.ts"],
    { env: { ...process.env, DATABASE_URL: "", THROUGHLINE_DATA_DIR: template }, encoding: "utf8" },
  );
  if (seeded.status !== 0) {
    // Not fatal: each server then loads the demo itself, as a first start does.
    fs.rmSync(template, { recursive: true, force: true });
    console.log(
      `[e2e] could not load the demo once (${seeded.stderr.slice(-500)}); each server loads its own.`,
    );
  }
}
