import type { ThroughlineConfig } from "@/lib/config/schema";
import type { Db } from "@/lib/db";
import { connectorFacts } from "@/lib/ingest/connectors";
import { repositorySyncStatus } from "@/lib/ingest/status";
import { syncSourceAction } from "./connector-actions";
import { ScopesTable } from "./scopes-table";
import { WebhooksSection } from "./webhooks";

/** GitLab, Jenkins, PagerDuty and Opsgenie: each one's setup, its last sync per scope with errors, and its webhook. */
export async function Connectors({
  db,
  config,
  zone,
  busy,
}: {
  db: Db;
  config: ThroughlineConfig | null;
  zone: string;
  busy: string[];
}) {
  const facts = connectorFacts(config, process.env);
  const scopes = await Promise.all(facts.map((f) => repositorySyncStatus(db, f.name)));
  return (
    <>
      {facts.map((f, i) => (
        <div key={f.name} className="grid" style={{ gap: 16 }}>
          <section className="card card-pad" aria-labelledby={`source-${f.name}`}>
            <div className="section-head">
              <h2 id={`source-${f.name}`}>{f.label}</h2>
              <form action={syncSourceAction}>
                <input type="hidden" name="source" value={f.name} />
                <button
                  className="btn btn-primary"
                  type="submit"
                  disabled={!f.configured || f.missing !== null || busy.includes(f.name)}
                >
                  Sync {f.label}
                </button>
              </form>
            </div>
            <dl className="facts">
              <div>
                <dt>Reads</dt>
                <dd>{f.reads}</dd>
              </div>
              <div>
                <dt>Credentials</dt>
                <dd>{f.credentials ?? (f.missing ? `none: set ${f.missing}` : "–")}</dd>
              </div>
              <div>
                <dt>Schedule</dt>
                <dd>{f.configured ? f.schedule : "–"}</dd>
              </div>
              <div>
                <dt>API</dt>
                <dd style={{ overflowWrap: "anywhere" }}>{f.api}</dd>
              </div>
            </dl>
            {f.notice ? (
              <p className="alert small" style={{ marginBottom: 0 }}>
                {f.notice}
              </p>
            ) : null}
          </section>
          {f.configured || (scopes[i]?.length ?? 0) > 0 ? (
            <ScopesTable
              title={`${f.label}: last sync`}
              heading={f.name === "jenkins" ? "Job" : f.name === "gitlab" ? "Project" : "Scope"}
              rows={scopes[i] ?? []}
              empty={`Not synced yet: Sync ${f.label}, or npm run ingest -- ${f.name}.`}
              zone={zone}
            />
          ) : null}
          <WebhooksSection
            db={db}
            endpoint={{
              source: f.name,
              label: f.label,
              secretEnv: f.webhookSecretEnv,
              setup: f.webhookSetup,
              readme: f.readme,
            }}
            secretSet={Boolean(process.env[f.webhookSecretEnv]?.trim())}
            zone={zone}
          />
        </div>
      ))}
    </>
  );
}
