import { ConfigError, loadConfig } from "@/lib/config/load";
import type { ThroughlineConfig } from "@/lib/config/schema";
import { readEnv } from "@/lib/env";

/**
 * What a webhook route needs before the shared receiver runs: its secret from the environment and the config file.
 * A broken config file, or a secret too short to be one, is a 503 saying so: the sender shows it in its delivery
 * log and redelivers (or the next sync reads it) once fixed.
 */
export function webhookSetup(
  secretEnv: string,
): { secret: string | undefined; config: ThroughlineConfig | null } | Response {
  const env = readEnv();
  const secret = process.env[secretEnv]?.trim() || undefined;
  if (secret && secret.length < 16) {
    return Response.json(
      { error: "not_configured", message: `${secretEnv} is too short: use at least 16 characters` },
      { status: 503 },
    );
  }
  try {
    return { secret, config: loadConfig(env.THROUGHLINE_CONFIG)?.config ?? null };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return Response.json({ error: "config_invalid", message: error.message }, { status: 503 });
  }
}
