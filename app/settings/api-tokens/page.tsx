import type { Metadata } from "next";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requireRole } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { formatInstant } from "@/lib/format";
import { getOrgSettings } from "@/lib/settings/org";
import { listTeams } from "@/lib/teams";
import { revokeTokenAction } from "./actions";
import { TokenForm } from "./token-form";

export const metadata: Metadata = { title: "API tokens" };

/** Tokens for the push API: create (shown once), see when each was last used, revoke. */
export default async function ApiTokensPage() {
  await requireRole("admin");
  const db = await getDb();
  const [tokens, teams, settings] = await Promise.all([listApiTokens(db), listTeams(db), getOrgSettings(db)]);
  const zone = settings.timeZone;
  return (
    <>
      <section className="card">
        <div className="card-pad">
          <h2>API tokens</h2>
          <p className="small muted" style={{ margin: "4px 0 0" }}>
            For the push API: deployments and incidents from Jenkins, GitLab CI, Argo CD, an incident tool…
            (README § Push API, and the <a href="/api/v1/openapi.json">OpenAPI document</a>). Throughline
            keeps only a hash of each token.
          </p>
        </div>
        {tokens.length === 0 ? (
          <p className="card-pad muted">No tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Token</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} style={t.revokedAt ? { opacity: 0.6 } : undefined}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>{t.teamSlug ? `team ${t.teamSlug}` : "organisation"}</td>
                    <td className="nowrap">
                      {formatInstant(t.createdAt, zone)}
                      <div className="small muted">by {t.createdBy}</div>
                    </td>
                    <td className="nowrap">{t.lastUsedAt ? formatInstant(t.lastUsedAt, zone) : "never"}</td>
                    <td>
                      {t.revokedAt ? (
                        <span className="chip">revoked {formatInstant(t.revokedAt, zone)}</span>
                      ) : (
                        <form action={revokeTokenAction}>
                          <input type="hidden" name="id" value={t.id} />
                          <button
                            type="submit"
                            className="btn btn-small btn-danger"
                            aria-label={`Revoke ${t.name}`}
                          >
                            Revoke
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="section card card-pad">
        <h2 style={{ marginBottom: 10 }}>Create a token</h2>
        <TokenForm teams={teams.map((t) => ({ slug: t.slug, name: t.name }))} />
      </section>
    </>
  );
}
