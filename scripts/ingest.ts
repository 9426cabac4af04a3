import path from "node:path";
import { parseArgs } from "node:util";
import { parseGitIngestArgs } from "@/lib/ingest/git/options";
import { credentialVariables, PULL_SOURCES } from "@/lib/ingest/sources";
import { runJob } from "@/lib/jobs/run";
import { isLocalDate } from "@/lib/metrics/period";
import { main } from "./lib/cli";

/**
 * npm run ingest [-- <source>] [--repo scope] [--since YYYY-MM-DD] [--dry-run] [--config file]
 * npm run ingest -- git --path <clone> [--repo owner/name] [--branch name] [--deploy-tags glob |
 *                       --deploy-tags-regex re] [--lines style | --line-branches glob] [--environment name]
 *                       [--team slug] [--since YYYY-MM-DD]
 *
 * Syncs the sources configured in throughline.config.yaml, or reads one local clone. On the embedded database
 * while the server runs, the work runs in the server (with this shell's credentials, for this run only). Exits
 * non-zero when any repository (or other scope) failed.
 */
const HELP = `Usage: npm run ingest [-- [<source>] [options]]
       npm run ingest -- git --path <clone> [options]

  <source>             sync one source only: ${PULL_SOURCES.map((s) => s.name).join(", ")} (default: every configured one)
  --repo SCOPE         only this repository, project, job or service of that source (it must be in the config)
  --since YYYY-MM-DD   how far back a repository's first sync goes (default: github.since, else 365 days)
  --dry-run            fetch and count, write nothing
  --config FILE        the config file (default: throughline.config.yaml, or THROUGHLINE_CONFIG)

  git                  read a local clone: commits, and tags as deployments (no token, no config needed)
  --path DIR           the clone: a work tree's top directory or a bare repository (required)
  --repo owner/name    its name (default: from the origin remote, e.g. acme/api, else local/<directory>)
  --branch NAME        the branch to read (default: origin/HEAD if the clone has it, else HEAD)
  --deploy-tags GLOB   tags matching GLOB are deployments ('v*', 'release-?.*'; * and ? only, whole name,
                       case-insensitive; quote it)
  --deploy-tags-regex REGEX
                       tags matching REGEX are deployments ('^v?\\d+\\.\\d+\\.\\d+$'; case-sensitive)
  --lines STYLE        name each tag's release line: package (name@version), major, minor, or a name with
                       $1…$9 from the regex (default: lines are inferred from the commit graph)
  --line-branches GLOB a tag's line is the matching branch that holds it ('release/*')
  --environment NAME   the environment of those deployments (default: production)
  --team SLUG          the team that owns the repository (it must exist)
  --since YYYY-MM-DD   how far back the first read goes (default: the whole history)`;

const GIT_ONLY = [
  "path",
  "branch",
  "deploy-tags",
  "deploy-tags-regex",
  "lines",
  "line-branches",
  "environment",
  "team",
] as const;

main(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      since: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      config: { type: "string" },
      path: { type: "string" },
      branch: { type: "string" },
      "deploy-tags": { type: "string" },
      "deploy-tags-regex": { type: "string" },
      lines: { type: "string" },
      "line-branches": { type: "string" },
      environment: { type: "string" },
      team: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const [source = "all", ...rest] = positionals;
  const names = PULL_SOURCES.map((s) => s.name);
  if (rest.length || (source !== "all" && source !== "git" && !names.includes(source))) {
    throw new Error(
      `unknown source '${[source, ...rest].join(" ")}': expected ${[...names, "git"].map((n) => `'${n}'`).join(", ")} (or nothing for all configured sources)`,
    );
  }
  if (values.since && !isLocalDate(values.since))
    throw new Error("--since must be a date written YYYY-MM-DD");
  if (source === "git") return ingestGit(values);
  const misplaced = GIT_ONLY.filter((k) => values[k] !== undefined);
  if (misplaced.length)
    throw new Error(
      `--${misplaced.join(", --")} ${misplaced.length > 1 ? "are" : "is"} for the git source: npm run ingest -- git --path <clone> …`,
    );
  const credentials = Object.fromEntries(
    credentialVariables()
      .map((k) => [k, process.env[k]?.trim()])
      .filter(([, v]) => v),
  );
  // The job fails (IngestIncompleteError) when any repository or other scope failed: the exit code says so.
  await runJob("ingest", {
    source,
    repo: values.repo,
    since: values.since,
    dryRun: values["dry-run"],
    configFile: values.config ? path.resolve(values.config) : undefined,
    credentials,
  });
});

async function ingestGit(values: Record<string, string | boolean | undefined>): Promise<void> {
  if (values["dry-run"] || values.config)
    throw new Error("--dry-run and --config are for GitHub; the git source needs neither");
  if (typeof values.path !== "string" || !values.path.trim())
    throw new Error("--path is required: npm run ingest -- git --path <clone> (see --help)");
  // Resolved here: the server that may run the job has another working directory.
  const args = parseGitIngestArgs({
    path: path.resolve(values.path),
    repo: values.repo,
    branch: values.branch,
    deployTags: values["deploy-tags"],
    deployTagsRegex: values["deploy-tags-regex"],
    lines: values.lines,
    lineBranches: values["line-branches"],
    environment: values.environment,
    team: values.team,
    since: values.since,
  });
  await runJob("ingest:git", args);
}
