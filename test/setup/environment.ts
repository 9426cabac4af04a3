import fs from "node:fs";

/** What the machine offers the optional suites. Shared by the global setup (notices) and the suites (skips). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = () => fs.existsSync(CHROMIUM_PATH);
export const postgresUrl = () => process.env.TEST_DATABASE_URL?.trim() || undefined;
/** CI sets this: a suite that would skip fails instead. */
export const requireAll = () => process.env.THROUGHLINE_REQUIRE_ALL_TESTS === "1";
