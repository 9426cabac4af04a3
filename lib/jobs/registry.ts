import { z } from "zod";
import { removeDemo, seedDemo } from "@/lib/demo/seed";
import { runSync } from "@/lib/ingest/activity";
import { GitIngestArgs, ingestGitRepository } from "@/lib/ingest/git";
import { requireAllSynced } from "@/lib/ingest/run";
import { credentialVariables, findSource } from "@/lib/ingest/sources";
import { deriveRepositories } from "@/lib/metrics/derive";
import { ensureRollups } from "@/lib/metrics/rollups";
import { reportJob } from "@/lib/reports/job";
import { auditTail, resetPassword } from "./auth";
import { eraseJob, listErasuresJob } from "./privacy";
import { createToken, listTokens, revokeToken } from "./tokens";
import { defineJob, type JobDefinition } from "./types";

const migrate = defineJob({
  name: "db:migrate",
  description: "Apply pending migrations",
  args: z.object({}),
  // Opening a database migrates it (lib/jobs/run.ts); a server that holds it migrated it on start.
  async run(db, _args, log, context) {
    const m = context?.migration;
    if (!m) log("The running server applied the migrations when it started: the database is up to date.");
    else if (m.applied === m.total && m.applied > 0)
      log(`Created the database schema: applied all ${m.total} migrations.`);
    else if (m.applied > 0)
      log(`Applied ${m.applied} new migration${m.applied === 1 ? "" : "s"} (${m.total} in all).`);
    else log(`Migrations are up to date (${m.total} applied earlier).`);
    // A migration creates the rollup tables but cannot fill them (they are computed): the backfill runs here (and
    // at server start), a no-op when they are up to date.
    const rollups = await ensureRollups(db);
    if (rollups)
      log(`Built the metric rollups: ${rollups.rows} rows in the ${rollups.zone} zone (${rollups.ms} ms).`);
    return m ?? { applied: 0 };
  },
});

const derive = defineJob({
  name: "derive",
  description: "Recompute derived data (chains, failures, recovery)",
  args: z.object({ all: z.boolean().default(false) }),
  async run(db, args, log) {
    const out = await deriveRepositories(db, {
      all: args.all,
      onProgress: (s, done, total) =>
        log(`derived ${done}/${total}: repository ${s.repositoryId} in ${s.ms} ms`),
    });
    return { repositories: out.length };
  },
});

const seed = defineJob({
  name: "demo:seed",
  description: "Load the demo organisation",
  args: z.object({
    seed: z.string().min(1).optional(),
    anchor: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "anchor must be YYYY-MM-DD")
      .optional(),
    months: z.number().int().min(1).max(60).optional(),
    scale: z.number().int().min(1).max(100).optional(),
    replace: z.boolean().optional(),
  }),
  run: (db, args, log) => seedDemo(db, { ...args, log }),
});

const remove = defineJob({
  name: "demo:remove",
  description: "Remove the demo organisation",
  args: z.object({}),
  async run(db, _args, log) {
    const result = await removeDemo(db);
    log(`Removed ${result.teams} demo teams and ${result.repositories} demo repositories.`);
    return result;
  },
});

/** Source credentials a CLI forwards to the server for one run (the server may not have them in its environment). */
const Credentials = z
  .record(z.string(), z.string())
  .refine((vars) => Object.keys(vars).every((k) => credentialVariables().includes(k)), {
    message: "only the sources' credential variables may be forwarded",
  })
  .default({});

const ingest = defineJob({
  name: "ingest",
  description: "Sync the configured sources",
  args: z.object({
    source: z
      .string()
      .refine((s) => s === "all" || findSource(s) !== undefined, "unknown source")
      .default("all"),
    repo: z.string().optional(),
    since: z.iso.date().optional(),
    dryRun: z.boolean().default(false),
    configFile: z.string().optional(),
    credentials: Credentials,
  }),
  // Through the process's one sync at a time: a CLI run and a scheduled one never overlap.
  run: (db, { credentials, ...args }, log) =>
    withEnv(credentials, () => runSync(db, "cli", { ...args, log })).then(requireAllSynced),
});

/** One local clone (npm run ingest -- git): no config, no credentials; the path is absolute (the CLI resolves it). */
const ingestGit = defineJob({
  name: "ingest:git",
  description: "Read a local git clone (commits, tags as deployments)",
  args: GitIngestArgs,
  async run(db, args, log) {
    const s = await ingestGitRepository(db, args, { log });
    log(`${s.repository}: done in ${(s.ms / 1000).toFixed(1)} s.`);
    return s;
  },
});

/** Runs `fn` with these variables set in process.env, restoring them after (never logged). */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const set = Object.entries(vars).filter((e): e is [string, string] => !!e[1]);
  const before = set.map(([k]) => [k, process.env[k]] as const);
  for (const [k, v] of set) process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const JOBS: Record<string, JobDefinition> = {
  [ingest.name]: ingest as unknown as JobDefinition,
  [ingestGit.name]: ingestGit as unknown as JobDefinition,
  [seed.name]: seed as unknown as JobDefinition,
  [remove.name]: remove as unknown as JobDefinition,
  [migrate.name]: migrate as unknown as JobDefinition,
  [derive.name]: derive as unknown as JobDefinition,
  [reportJob.name]: reportJob as unknown as JobDefinition,
  [createToken.name]: createToken as unknown as JobDefinition,
  [listTokens.name]: listTokens as unknown as JobDefinition,
  [revokeToken.name]: revokeToken as unknown as JobDefinition,
  [resetPassword.name]: resetPassword as unknown as JobDefinition,
  [auditTail.name]: auditTail as unknown as JobDefinition,
  [eraseJob.name]: eraseJob as unknown as JobDefinition,
  [listErasuresJob.name]: listErasuresJob as unknown as JobDefinition,
};

export function findJob(name: string): JobDefinition | undefined {
  return Object.hasOwn(JOBS, name) ? JOBS[name] : undefined;
}
