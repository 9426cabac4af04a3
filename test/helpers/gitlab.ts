import { sql } from "drizzle-orm";
import { applyConfig } from "@/lib/config/apply";
import { parseConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { gitlabClient } from "@/lib/ingest/gitlab/api";
import { syncGitLab } from "@/lib/ingest/gitlab/index";
import type { SourceClient } from "@/lib/ingest/source/client";
import type { SourceSyncSummary } from "@/lib/ingest/source/stream";
import { GL_TOKEN } from "@/test/fakes/gitlab";
import { FAST } from "./connectors";

/** One GitLab sync against a local fake, as `npm run ingest -- gitlab` runs it (config applied first). */
export async function syncGitLabFake(
  db: Db,
  url: string,
  yaml: string,
  o: { token?: string; now?: Date; dryRun?: boolean; project?: string } = {},
): Promise<SourceSyncSummary & { client: SourceClient; log: string[] }> {
  const config = parseConfig(yaml);
  if (!o.dryRun) await applyConfig(db, config);
  const log: string[] = [];
  const client = gitlabClient(
    { GITLAB_URL: url, GITLAB_TOKEN: o.token ?? GL_TOKEN },
    { ...FAST, log: (l) => log.push(l) },
  );
  const s = await syncGitLab(db, {
    config,
    client,
    project: o.project,
    dryRun: o.dryRun,
    now: o.now,
    log: (l) => log.push(l),
  });
  return { ...s, client, log };
}

/** CI builds with what GitLab adds (a job's stage and its pipeline), in a compact row per build. */
export async function gitlabBuilds(db: Db) {
  return queryRows<Record<string, unknown>>(
    db,
    sql.raw(`select r.full_name as repo, b.external_id as id, b.workflow, b.stage, b.parent_external_id as parent,
            b.branch, b.event, b.status, b.conclusion, b.queued_at::text as queued, b.started_at::text as started,
            b.finished_at::text as finished, b.attempt
     from ci_builds b join repositories r on r.id = b.repository_id order by r.full_name, b.external_id`),
  );
}
