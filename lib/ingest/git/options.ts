import path from "node:path";
import { z } from "zod";
import { regexProblem } from "@/lib/domain/lines";
import { GitIngestError } from "./errors";

/**
 * What `npm run ingest -- git …` asks for, validated the same way whether the CLI runs it or hands it to the
 * server (lib/jobs). Paths arrive absolute: the server's working directory is not the shell's.
 */

/** Tag globs: `*` and `?` only (lib/domain/glob.ts). Anything a tag name cannot contain would never match. */
export function globProblem(glob: string): string | null {
  if (!glob.trim()) return "is empty";
  if (/[\s\p{Cc}]/u.test(glob)) return "contains a space or a control character, which tag names cannot";
  if (/[[\]{}]/.test(glob))
    return "uses [...] or {...}: only * (any run of characters) and ? (one) are supported";
  if (/[~^:\\]|\.\.|@\{/.test(glob)) return "contains ~ ^ : \\ .. or @{, which tag names cannot";
  if (/^refs\//.test(glob)) return "starts with refs/: give the tag name only (v*, not refs/tags/v*)";
  return null;
}

export const GitIngestArgs = z
  .object({
    path: z
      .string()
      .min(1, "--path is required")
      .refine((p) => path.isAbsolute(p), "--path must be absolute (the CLI resolves it)"),
    repo: z
      .string()
      .trim()
      .regex(/^[^/\s]+\/[^/\s]+$/, "--repo must be owner/name")
      .optional(),
    branch: z.string().trim().min(1).optional(),
    deployTags: z
      .string()
      .superRefine((glob, ctx) => {
        const problem = globProblem(glob);
        if (problem) ctx.addIssue({ code: "custom", message: `--deploy-tags '${glob}' ${problem}` });
      })
      .optional(),
    deployTagsRegex: z
      .string()
      .superRefine((source, ctx) => {
        const problem = regexProblem(source);
        if (problem) ctx.addIssue({ code: "custom", message: `--deploy-tags-regex '${source}' ${problem}` });
      })
      .optional(),
    /** How tags name their release line: package, major, minor, or a name ($1…$9: groups of the regex). */
    lines: z.string().trim().min(1, "--lines is empty").max(100).optional(),
    /** Tags on branches matching this glob belong to the line of that branch (release/2.x). */
    lineBranches: z
      .string()
      .superRefine((glob, ctx) => {
        const problem = globProblem(glob);
        if (problem) ctx.addIssue({ code: "custom", message: `--line-branches '${glob}' ${problem}` });
      })
      .optional(),
    environment: z.string().trim().min(1, "--environment is empty").max(100).default("production"),
    team: z.string().trim().toLowerCase().min(1).optional(),
    since: z.iso.date("--since must be a date written YYYY-MM-DD").optional(),
  })
  .refine((a) => !(a.deployTags && a.deployTagsRegex), {
    message: "--deploy-tags and --deploy-tags-regex select the same thing: give one of them",
  })
  .refine((a) => (!a.lines && !a.lineBranches) || a.deployTags || a.deployTagsRegex, {
    message:
      "--lines and --line-branches name the lines of tag deployments: add --deploy-tags or --deploy-tags-regex",
  })
  .refine((a) => !(a.lines && a.lineBranches), {
    message: "--lines and --line-branches both name lines: give one of them",
  });
export type GitIngestArgs = z.output<typeof GitIngestArgs>;
export type GitIngestInput = z.input<typeof GitIngestArgs>;

/** Validates, with every problem in one message meant for the terminal. */
export function parseGitIngestArgs(input: unknown): GitIngestArgs {
  const parsed = GitIngestArgs.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new GitIngestError(parsed.error.issues.map((i) => i.message).join("\n  "));
}

/** Knobs for tests and the benchmark, never from the command line. */
export interface GitIngestHooks {
  log?: (line: string) => void;
  /** Commits per transaction (default 10,000). */
  batchSize?: number;
  /** Called after each committed batch of commits: a test throws here to simulate a crash. */
  afterBatch?: (batches: number) => void | Promise<void>;
  /** Skip deriving (the benchmark times it separately). */
  derive?: boolean;
}
