import { requireRole } from "@/lib/auth/current";
import { listRepositories } from "@/lib/catalog";
import { getDb } from "@/lib/db";
import { listTeams } from "@/lib/teams";
import { ServiceForm } from "../_forms/service-form";
import { deleteServiceAction, setOwnerAction } from "../actions";

export default async function RepositoriesPage() {
  await requireRole("admin");
  const db = await getDb();
  const [repos, teams] = await Promise.all([listRepositories(db), listTeams(db)]);
  const teamOptions = teams.map((t) => ({ id: t.id, name: t.name }));
  return (
    <section className="card">
      <div className="card-pad">
        <h2>Repositories</h2>
        <p className="small muted" style={{ margin: "4px 0 0" }}>
          Each repository has a team that owns it. A monorepo can be split into services by path: each service
          gets its own deployments and only the commits that touch its paths, and can have its own owner.
        </p>
      </div>
      {repos.length === 0 ? (
        <p className="card-pad muted">No repositories yet: connect a source (see README).</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Owner</th>
                <th scope="col">Services</th>
              </tr>
            </thead>
            <tbody>
              {repos.map((r) => {
                const mapped = r.services.filter((s) => !s.isDefault);
                return (
                  <tr key={r.id} style={{ verticalAlign: "top" }}>
                    <td>
                      <code>{r.fullName}</code>
                    </td>
                    <td>
                      <form action={setOwnerAction} style={{ display: "flex", gap: 8, alignItems: "center" }}>
                        <input type="hidden" name="repositoryId" value={r.id} />
                        <label htmlFor={`owner-${r.id}`} className="visually-hidden">
                          Owner of {r.fullName}
                        </label>
                        <select id={`owner-${r.id}`} name="teamId" defaultValue={r.teamId ?? ""}>
                          <option value="">No team</option>
                          {teamOptions.map((t) => (
                            <option key={t.id} value={t.id}>
                              {t.name}
                            </option>
                          ))}
                        </select>
                        <button className="btn btn-small" type="submit">
                          Save
                        </button>
                      </form>
                    </td>
                    <td style={{ width: "55%" }}>
                      <details>
                        <summary className="small" style={{ cursor: "pointer" }}>
                          {mapped.length === 0
                            ? "Whole repository (split by path…)"
                            : mapped.map((s) => s.name).join(", ")}
                        </summary>
                        <div className="grid" style={{ gap: 12, marginTop: 12 }}>
                          {mapped.map((s) => (
                            <div key={s.id} style={{ display: "flex", gap: 8, alignItems: "flex-end" }}>
                              <div style={{ flex: 1 }}>
                                <ServiceForm repositoryId={r.id} teams={teamOptions} service={s} />
                              </div>
                              <form action={deleteServiceAction}>
                                <input type="hidden" name="serviceId" value={s.id} />
                                <button
                                  className="btn btn-danger btn-small"
                                  type="submit"
                                  aria-label={`Delete service ${s.name}`}
                                >
                                  Delete
                                </button>
                              </form>
                            </div>
                          ))}
                          <ServiceForm repositoryId={r.id} teams={teamOptions} />
                        </div>
                      </details>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
