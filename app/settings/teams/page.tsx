import Link from "next/link";
import { requireRole } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { listTeams } from "@/lib/teams";
import { TeamForm } from "../_forms/team-form";

export default async function TeamsSettingsPage() {
  await requireRole("admin");
  const teams = await listTeams(await getDb());
  return (
    <div className="grid grid-2" style={{ alignItems: "start" }}>
      <section className="card" aria-labelledby="teams-list">
        <div className="card-pad">
          <h2 id="teams-list">Teams</h2>
        </div>
        {teams.length === 0 ? (
          <p className="card-pad muted">No teams yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col" className="num">
                    Repositories
                  </th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col">Managed in</th>
                </tr>
              </thead>
              <tbody>
                {teams.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link href={`/settings/teams/${t.slug}`}>{t.name}</Link>
                      <div className="small muted">{t.slug}</div>
                    </td>
                    <td className="num">{t.repositories}</td>
                    <td className="num">{t.members}</td>
                    <td>
                      {t.source === "config" ? "config file" : t.source === "demo" ? "demo data" : "this UI"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card card-pad" aria-labelledby="new-team">
        <h2 id="new-team" style={{ marginBottom: 14 }}>
          New team
        </h2>
        <TeamForm />
      </section>
    </div>
  );
}
