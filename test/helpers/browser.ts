import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM_PATH, hasChromium, requireAll } from "@/test/setup/environment";

/** Debian's Chromium, headless, with the flags this machine's closed network needs. Never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Where browser tests leave screenshots and files to look at (git-ignored). */
export const SHOTS = path.join(process.cwd(), "test-results");

/**
 * For `describe.skipIf(!browserTestsRun())`: true when Chromium is here; without it the suite is skipped (the global
 * setup prints the notice), unless THROUGHLINE_REQUIRE_ALL_TESTS=1 (CI), where a missing Chromium is an error.
 * Also makes sure the screenshot folder exists.
 */
export function browserTestsRun(): boolean {
  if (!hasChromium()) {
    if (requireAll()) throw new Error("THROUGHLINE_REQUIRE_ALL_TESTS=1 but Chromium is missing");
    return false;
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  return true;
}
