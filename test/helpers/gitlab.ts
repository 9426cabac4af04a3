import { applyConfig } from "@/lib/config/apply";
import { parseConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
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
