import path from "node:path";

/**
 * The demo organisation loaded once per browser-test run (test/setup/e2e-build.ts) into an embedded database
 * directory that startServer() copies for each server, instead of every server loading it again (seconds of CPU
 * each, minutes on a busy 2-core machine). It lives in the build directory and is made afresh by every run, so it
 * never outlives a change of the demo generator or the migrations. Its name carries the demo's anchor day (the day
 * before today, UTC), so a run that crosses midnight falls back to loading the demo in each server.
 */
export function demoTemplateDir(now = new Date()): string {
  const anchor = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  return path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "e2e-demo", anchor);
}
