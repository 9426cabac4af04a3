import { parseArgs } from "node:util";
import { readEnv, redactUrl } from "@/lib/env";
import { runJob } from "@/lib/jobs/run";
import { main } from "./lib/cli";

/**
 * npm run seed:demo [-- --scale N --months M --seed S --anchor YYYY-MM-DD --replace | --remove]
 *
 * Loads (or removes) the generated demo organisation. On the embedded database only, unless --into-database-url:
 * demo rows in a real database are a mistake waiting to happen.
 */
main(async () => {
  const { values } = parseArgs({
    options: {
      scale: { type: "string" },
      months: { type: "string" },
      seed: { type: "string" },
      anchor: { type: "string" },
      replace: { type: "boolean", default: false },
      remove: { type: "boolean", default: false },
      "into-database-url": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(`Usage: npm run seed:demo [-- options]
  --scale N        N × the default organisation (6 teams, ~20 repositories); for benchmarks
  --months M       months of history (default 12)
  --seed S         random seed (default "throughline")
  --anchor DATE    last day of data, YYYY-MM-DD (default today)
  --replace        remove loaded demo data first
  --remove         remove the demo organisation and stop
  --into-database-url  allow seeding the DATABASE_URL database (refused by default)`);
    return;
  }
  const env = readEnv();
  if (env.DATABASE_URL && !values["into-database-url"]) {
    throw new Error(
      `DATABASE_URL is set (${redactUrl(env.DATABASE_URL)}): refusing to load demo data into it. ` +
        "Unset it to use the embedded database, or pass --into-database-url if you really mean it.",
    );
  }
  if (values.remove) {
    await runJob("demo:remove", {});
    return;
  }
  const number = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  const result = (await runJob("demo:seed", {
    scale: number(values.scale, "scale"),
    months: number(values.months, "months"),
    seed: values.seed,
    anchor: values.anchor,
    replace: values.replace,
  })) as Record<string, number>;
  console.log(
    `Demo organisation loaded: ${result.teams} teams, ${result.repositories} repositories, ${result.commits} commits, ` +
      `${result.pullRequests} pull requests, ${result.deployments} deployments, ${result.incidents} incidents in ` +
      `${((result.ms ?? 0) / 1000).toFixed(1)} s.`,
  );
});
