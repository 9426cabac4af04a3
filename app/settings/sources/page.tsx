import { requireRole } from "@/lib/auth/current";
import { ConfigError, loadConfig } from "@/lib/config/load";
import { getDb } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { PULL_SOURCES } from "@/lib/ingest/sources";
import { repositorySyncStatus } from "@/lib/ingest/status";
import { isPending, latestSyncJobs } from "@/lib/queue/status";
import { orgSettings } from "../../_data";
import { syncNowAction } from "./actions";
import { Connectors } from "./connectors";
import { RefreshWhileRunning } from "./refresh";
import { ScopesTable } from "./scopes-table";
import { SyncJobCard } from "./sync-job";
import { WebhooksSection } from "./webhooks";

export default async function SourcesPage() {
  await requireRole("admin");
  const env = readEnv();
  const [db, settings] = await Promise.all([getDb(), orgSettings()]);
  let config: ReturnType<typeof loadConfig> = null;
  let configError: string | null = null;
  try {
    config = loadConfig(env.THROUGHLINE_CONFIG);
  } catch (error) {
    configError = error instanceof ConfigError ? error.message : String(error);
  }
  const gh = config?.config.github;
  const credentials = env.GITHUB_APP_ID
    ? `GitHub App ${env.GITHUB_APP_ID}`
    : env.GITHUB_TOKEN
      ? "a token (GITHUB_TOKEN)"
      : null;
  // From the queue's table, not this process's memory: any web server shows the job whichever worker runs it.
  const jobs = await latestSyncJobs(
    db,
    PULL_SOURCES.map((s) => s.name),
  );
  const busy = jobs.filter(isPending).map((j) => j.source);
  const githubBusy = busy.includes("github");
  const activity = jobs[0];
  const repos = await repositorySyncStatus(db);
  const zone = settings.timeZone;
  return (
    <div className="grid" style={{ gap: 16 }}>
      <RefreshWhileRunning running={busy.length > 0} />
      <section className="card card-pad">
        <div className="section-head">
          <h2>GitHub</h2>
          <form action={syncNowAction}>
            <button className="btn btn-primary" type="submit" disabled={!gh || !credentials || githubBusy}>
              {githubBusy ? "Syncing…" : "Sync now"}
            </button>
          </form>
        </div>
        <dl className="facts">
          <div>
            <dt>Configuration</dt>
            <dd>
              {config ? config.file : configError ? "invalid (see below)" : "no throughline.config.yaml"}
            </dd>
          </div>
          <div>
            <dt>Repositories</dt>
            <dd>
              {gh
                ? [...gh.orgs.map((o) => `all of ${o}`), ...gh.repositories].join(", ") || "none listed"
                : "no github section"}
            </dd>
          </div>
          <div>
            <dt>Credentials</dt>
            <dd>{credentials ?? "none: set GITHUB_TOKEN"}</dd>
          </div>
          <div>
            <dt>Schedule</dt>
            <dd>{gh?.syncIntervalMinutes ? `every ${gh.syncIntervalMinutes} minutes` : "on demand"}</dd>
          </div>
          <div>
            <dt>API</dt>
            <dd>{env.GITHUB_API_URL ?? "https://api.github.com"}</dd>
          </div>
        </dl>
        {configError ? (
          <pre className="alert alert-error" style={{ whiteSpace: "pre-wrap", marginTop: 14 }}>
            {configError}
          </pre>
        ) : null}
        {!config && !configError ? (
          <p className="small muted" style={{ marginBottom: 0 }}>
            Copy <code>throughline.config.example.yaml</code> to <code>throughline.config.yaml</code>, name
            your organisation or repositories, set <code>GITHUB_TOKEN</code> and restart (README § GitHub).
          </p>
        ) : null}
      </section>

      {activity ? <SyncJobCard job={activity} zone={zone} /> : null}

      <WebhooksSection
        db={db}
        endpoint={{
          source: "github",
          label: "GitHub",
          secretEnv: "GITHUB_WEBHOOK_SECRET",
          setup: "point a repository's or organisation's webhook (content type JSON) at",
          readme: "GitHub webhooks",
        }}
        secretSet={Boolean(env.GITHUB_WEBHOOK_SECRET)}
        zone={zone}
      />

      <ScopesTable
        title="Repositories"
        heading="Repository"
        rows={repos}
        empty="No repository synced from GitHub yet."
        zone={zone}
      />

      <Connectors db={db} config={config?.config ?? null} zone={zone} busy={busy} />
    </div>
  );
}
