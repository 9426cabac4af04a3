import { hasChromium } from "./environment";

/**
 * The browser tests' app build, once, before any test file starts (a global setup has no timeout): on a busy
 * 2-core machine a first `next build` took 7.5 min, longer than a hook may wait, and how long it takes says nothing
 * about the app. Each file's startServer() then finds the build fresh.
 */
export default async function setup() {
  if (!hasChromium()) return;
  const { ensureBuilt } = await import("../../scripts/lib/build");
  if (ensureBuilt((line) => console.log(`[e2e] ${line}`)) !== 0) throw new Error("next build failed");
}
