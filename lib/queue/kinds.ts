import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { hasSurveyMail, runSurveyMail } from "@/lib/calms/mail-send";
import { repositories } from "@/lib/db/schema";
import { hasSchedules, runDueDeliveries } from "@/lib/delivery/runner";
import { IngestIncompleteError, runIngest } from "@/lib/ingest/run";
import { PULL_SOURCES } from "@/lib/ingest/sources";
import { deriveRepository } from "@/lib/metrics/derive";
import { defineKind, type JobKind } from "./types";

/**
 * Every kind of queued work. Syncs get one queue per source (a GitHub sync never waits behind a PagerDuty one) and
 * run one at a time per source across all machines; derives collapse bursts into one and run one at a time per
 * repository. Handlers must be idempotent: a job whose worker died is run again from the start.
 */

export const syncQueue = (source: string) => `sync-${source}`;

const SyncData = z.object({ repo: z.string().min(1).optional(), trigger: z.string().optional() });

const syncKinds = PULL_SOURCES.map((source) =>
  defineKind({
    queue: syncQueue(source.name),
    policy: "singleton",
    key: () => source.name,
    retryLimit: 5,
    async run(db, data, job) {
      const { repo } = SyncData.parse(data);
      const summary = await runIngest(db, { source: source.name, repo, log: job.log });
      const failed = summary.sources.flatMap((s) => s.scopes.filter((x) => !x.ok).map((x) => x.scope));
      // A scope that failed (a rate limit, one bad repository) is retried by the next sync, not by re-running
      // every scope now; the job's record says which.
      if (failed.length) job.log(new IngestIncompleteError(failed, summary.sources.length).message);
      return { failed, scopes: summary.sources.reduce((n, s) => n + s.scopes.length, 0) };
    },
  }),
);

export const DERIVE_QUEUE = "derive";
export const DERIVE_REPOSITORY_QUEUE = "derive-repository";

/** Drains repositories.needs_derive (the source of truth): one job per marked repository. */
const derive = defineKind({
  queue: DERIVE_QUEUE,
  policy: "stately",
  retryLimit: 5,
  async run(db, _data, job) {
    const marked = await db
      .select({ id: repositories.id })
      .from(repositories)
      .where(eq(repositories.needsDerive, true))
      .orderBy(repositories.id);
    for (const { id } of marked) await job.enqueue(DERIVE_REPOSITORY_QUEUE, { repositoryId: id });
    return { repositories: marked.length };
  },
});

const deriveOne = defineKind({
  queue: DERIVE_REPOSITORY_QUEUE,
  policy: "stately",
  key: (data) => String(data.repositoryId),
  retryLimit: 5,
  async run(db, data) {
    const id = z.number().int().positive().parse(data.repositoryId);
    const [row] = await db
      .select({ id: repositories.id })
      .from(repositories)
      .where(and(eq(repositories.id, id), eq(repositories.needsDerive, true)));
    // Another job derived it since (a burst marks a repository many times): nothing left to do.
    if (!row) return { skipped: true };
    const s = await deriveRepository(db, id);
    return { ms: Math.round(s.ms) };
  },
});

/**
 * Scheduled reports (issue 17): once a minute, turn due report schedules into deliveries and send what is ready.
 * runDueDeliveries makes each due time one delivery and each delivery one sender whatever runs it
 * (lib/delivery/runner.ts), so a retried or duplicated job never sends twice at once.
 */
export const REPORT_QUEUE = "report";

const deliverReports = defineKind({
  queue: REPORT_QUEUE,
  policy: "singleton",
  key: () => "deliveries",
  retryLimit: 2,
  async run(db, _data, job) {
    if (!(await hasSchedules(db))) return { schedules: 0 };
    return { ...(await runDueDeliveries(db, { log: job.log })) };
  },
});

/**
 * Survey links by e-mail (ADR 0024): every minute (retries after their backoff) and at once after an admin pastes a
 * list or asks for a reminder. Each mail is claimed with a lease (lib/calms/mail-send.ts), so a duplicated job never
 * sends one twice at once. Each run also forgets the addresses of rounds that closed by their date.
 */
export const SURVEY_MAIL_QUEUE = "survey-mail";

const surveyMail = defineKind({
  queue: SURVEY_MAIL_QUEUE,
  policy: "singleton",
  key: () => "survey-mail",
  retryLimit: 2,
  async run(db, _data, job) {
    if (!(await hasSurveyMail(db))) return { mails: 0 };
    return { ...(await runSurveyMail(db, { log: job.log })) };
  },
});

export const KINDS: JobKind[] = [
  ...syncKinds,
  derive,
  deriveOne,
  deliverReports,
  surveyMail,
] as unknown as JobKind[];

export function findKind(queue: string): JobKind | undefined {
  return KINDS.find((k) => k.queue === queue);
}
