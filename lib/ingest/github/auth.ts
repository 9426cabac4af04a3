import fs from "node:fs";
import type { Env } from "@/lib/env";
import type { GitHubAuth } from "./client";

/** GitHub credentials from the environment (never from the config file, never into the database or logs). */
export function githubAuthFromEnv(env: Env): GitHubAuth {
  if (env.GITHUB_APP_ID) {
    const key =
      env.GITHUB_APP_PRIVATE_KEY?.replace(/\\n/g, "\n") ??
      (env.GITHUB_APP_PRIVATE_KEY_FILE
        ? fs.readFileSync(env.GITHUB_APP_PRIVATE_KEY_FILE, "utf8")
        : undefined);
    if (!key)
      throw new Error("GITHUB_APP_ID is set: set GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE too");
    if (!env.GITHUB_APP_INSTALLATION_ID)
      throw new Error("GITHUB_APP_ID is set: set GITHUB_APP_INSTALLATION_ID too");
    return {
      kind: "app",
      appId: env.GITHUB_APP_ID,
      privateKey: key,
      installationId: env.GITHUB_APP_INSTALLATION_ID,
    };
  }
  if (env.GITHUB_TOKEN) return { kind: "token", token: env.GITHUB_TOKEN };
  throw new Error(
    "No GitHub credentials: set GITHUB_TOKEN (a token that can read the repositories), or GITHUB_APP_ID, " +
      "GITHUB_APP_PRIVATE_KEY(_FILE) and GITHUB_APP_INSTALLATION_ID for a GitHub App (README § GitHub).",
  );
}
