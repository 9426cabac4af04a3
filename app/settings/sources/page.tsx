import { requireRole } from "@/lib/auth/current";
import { ConfigError, loadConfig } from "@/lib/config/load";
import { getDb } from "@/lib/db";
import { readEnv } from "@/lib/env";
import { formatInstant } from "@/lib/format";
import { currentSync } from "@/lib/ingest/activity";
import { repositorySyncStatus } from "@/lib/ingest/status";
import { orgSettings } from "../../_data";
import { syncNowAction } from "./actions";
import { Connectors } from "./connectors";
import { RefreshWhileRunning } from "./refresh";
import { ScopesTable } from "./scopes-table";
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
  const activity = currentSync();
  const repos = await repositorySyncStatus(db);
  const zone = settings.timeZone;
  return (
    <div className="grid" style={{ gap: 16 }}>
      <RefreshWhileRunning running={activity?.running === true} />
      <section className="card card-pad">
        <div className="section-head">
          <h2>GitHub</h2>
          <form action={syncNowAction}>
            <button
              className="btn btn-primary"
              type="submit"
              disabled={!gh || !credentials || activity?.running}
            >
              {activity?.running ? "Syncing…" : "Sync now"}
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

      {activity ? (
        <section className="card card-pad" aria-live="polite">
          <h2 style={{ marginBottom: 8 }}>
            {activity.running ? "Sync in progress" : activity.error ? "Last sync failed" : "Last sync"}
          </h2>
          <p className="small muted" style={{ marginTop: 0 }}>
            Started {formatInstant(activity.startedAt, zone)} ({activity.trigger})
            {activity.finishedAt ? `, finished ${formatInstant(activity.finishedAt, zone)}` : ""}.
          </p>
          <pre
            className="mono small"
            style={{
              maxHeight: 320,
              overflow: "auto",
              background: "var(--surface-2)",
              padding: 12,
              borderRadius: 6,
              margin: 0,
            }}
          >
            {activity.log.join("\n") || "starting…"}
          </pre>
        </section>
      ) : null}

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

      <Connectors db={db} config={config?.config ?? null} zone={zone} busy={activity?.running === true} />
    </div>
  );
}
