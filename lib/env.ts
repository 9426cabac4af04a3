import path from "node:path";
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const EnvSchema = z.object({
  /** A real PostgreSQL (postgres://…). Unset → the embedded PGlite database in THROUGHLINE_DATA_DIR. */
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  /**
   * A read-only replica of DATABASE_URL: dashboards and read APIs query it (lib/db/replica.ts). It lags the primary
   * by its replication delay (usually under a second), so a pushed deployment may appear that much later.
   */
  DATABASE_REPLICA_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_REPLICA_URL must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  /**
   * On PostgreSQL, `1` makes a web server also run queued jobs (syncs, derives, schedules); default `0`: it only
   * enqueues them and `npm run worker` runs them. The embedded database always runs them in the one process.
   */
  THROUGHLINE_WORKER: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).default("0")),
  /**
   * How long a job may go without its worker's heartbeat before another worker takes it over (a SIGKILLed or
   * cut-off worker). Workers renew it every quarter of this while the job runs.
   */
  THROUGHLINE_JOB_LEASE_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(4).max(3_600).default(120),
  ),
  THROUGHLINE_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".data")),
  /** `auto` loads the demo organisation into an empty embedded database on start; `never` does not. */
  THROUGHLINE_DEMO: z.preprocess(emptyAsUndefined, z.enum(["auto", "never"]).default("auto")),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default("127.0.0.1")),
  /** The config file; default throughline.config.yaml in the working directory. */
  THROUGHLINE_CONFIG: z.preprocess(emptyAsUndefined, z.string().optional()),
  // GitHub credentials: a token, or a GitHub App installation. Never logged, never stored.
  GITHUB_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  GITHUB_APP_ID: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^\d+$/, "GITHUB_APP_ID must be the App's numeric id").optional(),
  ),
  GITHUB_APP_PRIVATE_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  GITHUB_APP_PRIVATE_KEY_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  GITHUB_APP_INSTALLATION_ID: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().positive("GITHUB_APP_INSTALLATION_ID must be a number").optional(),
  ),
  /** The secret of GitHub webhooks (POST /api/webhooks/github); unset → webhooks are refused. Never logged. */
  GITHUB_WEBHOOK_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, "GITHUB_WEBHOOK_SECRET: use at least 16 characters").optional(),
  ),
  /** GitHub Enterprise Server (https://github.example.com/api/v3) or a test server. */
  GITHUB_API_URL: z.preprocess(emptyAsUndefined, z.url("GITHUB_API_URL must be a URL").optional()),
});

export type Env = z.infer<typeof EnvSchema>;

/** Parsed per call (cheap) so that tests and CLIs can change process.env; never cached at module scope. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function embeddedDataDir(env: Env = readEnv()): string {
  return path.resolve(env.THROUGHLINE_DATA_DIR);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
