import { sql } from "drizzle-orm";
import { applyConfig } from "@/lib/config/apply";
import { parseConfig } from "@/lib/config/load";
import type { Db } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { jenkinsClient } from "@/lib/ingest/jenkins/api";
import { syncJenkins } from "@/lib/ingest/jenkins/index";
import { opsgenieClient } from "@/lib/ingest/opsgenie/api";
import { syncOpsgenie } from "@/lib/ingest/opsgenie/index";
import { pagerDutyClient } from "@/lib/ingest/pagerduty/api";
import { syncPagerDuty } from "@/lib/ingest/pagerduty/index";
import type { Env, SourceClient } from "@/lib/ingest/source/client";
import type { SourceSyncSummary } from "@/lib/ingest/source/stream";
import { TOKEN, USER } from "@/test/fakes/jenkins";
import { OG_KEY } from "@/test/fakes/opsgenie";
import { PD_TOKEN } from "@/test/fakes/pagerduty";

/** Client options for local fakes: quick retries and timeouts, so that fault tests take milliseconds. */
export const FAST = { retryBaseMs: 2, attempts: 3, timeoutMs: 3_000 } as const;

export function jenkinsEnv(url: string, token = TOKEN): Env {
  return { JENKINS_URL: url, JENKINS_USER: USER, JENKINS_TOKEN: token };
}

type Synced = SourceSyncSummary & { client: SourceClient; log: string[] };

export async function syncJenkinsFake(
  db: Db,
  url: string,
  yaml: string,
  o: { token?: string; now?: Date; dryRun?: boolean; job?: string } = {},
): Promise<Synced> {
  const config = parseConfig(yaml);
  if (!o.dryRun) await applyConfig(db, config);
  const log: string[] = [];
  const client = jenkinsClient(jenkinsEnv(url, o.token), { ...FAST, log: (l) => log.push(l) });
  const s = await syncJenkins(db, {
    config,
    client,
    job: o.job,
    dryRun: o.dryRun,
    now: o.now,
    log: (l) => log.push(l),
  });
  return { ...s, client, log };
}

type Row = Record<string, unknown>;
const rows = (db: Db, text: string) => queryRows<Row>(db, sql.raw(text));

/** CI builds with their timing, by repository and external id. */
export const buildRows = (db: Db) =>
  rows(
    db,
    `select r.full_name as repo, b.external_id as id, b.workflow, b.branch, b.sha, b.event, b.status, b.conclusion,
            b.queued_at::text as queued, b.started_at::text as started, b.finished_at::text as finished, b.attempt
     from ci_builds b join repositories r on r.id = b.repository_id order by r.full_name, b.external_id`,
  );

/** Deployments with what derive made of them. */
export const deploymentRows = (db: Db) =>
  rows(
    db,
    `select r.full_name as repo, s.name as service, d.environment, d.external_id as id, d.sha, d.status,
            d.finished_at::text as finished, d.trigger, d.is_counted, d.is_failed, d.recovery_seconds
     from deployments d join repositories r on r.id = d.repository_id join services s on s.id = d.service_id
     order by d.finished_at nulls last, d.external_id`,
  );

/** Incidents with their link. */
export const incidentRows = (db: Db) =>
  rows(
    db,
    `select i.source, i.external_id as id, i.title, r.full_name as repo, s.name as service, i.severity,
            i.opened_at::text as opened, i.resolved_at::text as resolved, i.caused_by_sha as cause, i.link_method,
            (select d.external_id from deployments d where d.id = i.linked_deployment_id) as linked
     from incidents i left join repositories r on r.id = i.repository_id left join services s on s.id = i.service_id
     order by i.source, i.external_id`,
  );

/** Every domain row without surrogate ids or bookkeeping times (crash tests compare two databases). */
export async function domainSnapshot(
  db: Db,
): Promise<{ repositories: Row[]; builds: Row[]; deployments: Row[]; incidents: Row[] }> {
  return {
    repositories: await rows(db, "select full_name, provider, source from repositories order by full_name"),
    builds: await buildRows(db),
    deployments: await deploymentRows(db),
    incidents: await incidentRows(db),
  };
}

export async function syncPagerDutyFake(
  db: Db,
  url: string,
  yaml: string,
  o: { token?: string; now?: Date; dryRun?: boolean } = {},
): Promise<Synced> {
  const config = parseConfig(yaml);
  if (!o.dryRun) await applyConfig(db, config);
  const log: string[] = [];
  const pd = { ...(config.pagerduty as NonNullable<typeof config.pagerduty>), apiUrl: url };
  const client = pagerDutyClient(
    pd,
    { PAGERDUTY_TOKEN: o.token ?? PD_TOKEN },
    { ...FAST, log: (l) => log.push(l) },
  );
  const s = await syncPagerDuty(db, {
    config: { ...config, pagerduty: pd },
    client,
    dryRun: o.dryRun,
    now: o.now,
    log: (l) => log.push(l),
  });
  return { ...s, client, log };
}

export async function syncOpsgenieFake(
  db: Db,
  url: string,
  yaml: string,
  o: { key?: string; now?: Date; dryRun?: boolean } = {},
): Promise<Synced> {
  const config = parseConfig(yaml);
  if (!o.dryRun) await applyConfig(db, config);
  const log: string[] = [];
  const og = { ...(config.opsgenie as NonNullable<typeof config.opsgenie>), apiUrl: url };
  const client = opsgenieClient(
    og,
    { OPSGENIE_API_KEY: o.key ?? OG_KEY },
    { ...FAST, log: (l) => log.push(l) },
  );
  const s = await syncOpsgenie(db, {
    config: { ...config, opsgenie: og },
    client,
    dryRun: o.dryRun,
    now: o.now,
    log: (l) => log.push(l),
  });
  return { ...s, client, log };
}
