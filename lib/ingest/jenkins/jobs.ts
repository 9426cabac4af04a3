import type { JenkinsConfig } from "@/lib/config/connectors";
import { matchesPattern } from "@/lib/domain/glob";
import type { SourceClient } from "@/lib/ingest/source/client";
import { type JenkinsItem, jobPath, jobsTree } from "./api";

/**
 * The jobs to sync: every buildable job under the root, folders and multibranch projects walked (a branch of a
 * multibranch pipeline is a job named `<folder>/<project>/<branch>`), filtered by the config. One request lists
 * four levels with each job's last build number; only folders nested deeper cost another request each.
 */

const LEVELS = 4;

export interface ListedJob {
  /** Full name, `/`-separated. */
  name: string;
  /** Null: never built. */
  lastBuild: number | null;
}

export async function listJobs(client: SourceClient, config: JenkinsConfig): Promise<ListedJob[]> {
  const out: ListedJob[] = [];
  const pending: { prefix: string; path: string }[] = [{ prefix: "", path: "" }];
  while (pending.length) {
    const { prefix, path } = pending.shift() as { prefix: string; path: string };
    const r = await client.as("jobs").get<{ jobs?: JenkinsItem[] }>(`${path}${path ? "/" : ""}api/json`, {
      query: { tree: jobsTree(LEVELS) },
    });
    const walk = (items: JenkinsItem[] | undefined, parent: string, depth: number) => {
      for (const item of items ?? []) {
        const name = parent ? `${parent}/${item.name}` : item.name;
        if (item.jobs !== undefined) {
          // A folder: its children are in this answer, except below the deepest level listed.
          if (depth < LEVELS) walk(item.jobs, name, depth + 1);
          else if (item.jobs.length) pending.push({ prefix: name, path: jobPath(name) });
        } else if (item.lastBuild !== undefined) {
          out.push({ name, lastBuild: item.lastBuild?.number ?? null });
        }
      }
    };
    walk(r.data.jobs, prefix, 1);
  }
  return out.filter((j) => wanted(config, j.name)).sort((a, b) => a.name.localeCompare(b.name));
}

export function wanted(config: JenkinsConfig, job: string): boolean {
  if (config.jobs && !config.jobs.some((p) => matchesPattern(job, p))) return false;
  return !config.exclude.some((p) => matchesPattern(job, p));
}
