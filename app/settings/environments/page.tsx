import { sql } from "drizzle-orm";
import { requireRole } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { queryRows } from "@/lib/db/rows";
import { ENVIRONMENT_TIERS } from "@/lib/domain/vocabulary";
import { setEnvironmentTierAction } from "../actions";

export default async function EnvironmentsPage() {
  await requireRole("admin");
  const db = await getDb();
  const rows = await queryRows<{
    name: string;
    tier: string;
    tier_confirmed: boolean;
    deployments: number;
    last: string | null;
  }>(
    db,
    sql`select e.name, e.tier, e.tier_confirmed,
               (select count(*)::int from deployments d where d.environment = e.name) as deployments,
               (select to_char(max(d.finished_at), 'YYYY-MM-DD') from deployments d where d.environment = e.name) as last
        from environments e order by e.tier, e.name`,
  );
  return (
    <section className="card">
      <div className="card-pad">
        <h2>Environments</h2>
        <p className="small muted" style={{ margin: "4px 0 0" }}>
          Dashboards pool every <strong>production</strong> environment by default; a change counts once per
          tier, at its first delivery (so prod-eu and prod-us do not count it twice). Tiers are guessed from
          the name when an environment first appears; changing one re-derives every repository.
        </p>
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">Environment</th>
            <th scope="col" className="num">
              Deployments
            </th>
            <th scope="col">Last deployment</th>
            <th scope="col">Tier</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.name}>
              <td>
                <code>{e.name}</code>
              </td>
              <td className="num">{e.deployments.toLocaleString("en-US")}</td>
              <td>{e.last ?? "–"}</td>
              <td>
                <form
                  action={setEnvironmentTierAction}
                  style={{ display: "flex", gap: 8, alignItems: "center" }}
                >
                  <input type="hidden" name="name" value={e.name} />
                  <label className="visually-hidden" htmlFor={`tier-${e.name}`}>
                    Tier of {e.name}
                  </label>
                  <select id={`tier-${e.name}`} name="tier" defaultValue={e.tier}>
                    {ENVIRONMENT_TIERS.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                  <button className="btn btn-small" type="submit">
                    Save
                  </button>
                  {e.tier_confirmed ? null : <span className="small muted">guessed</span>}
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="card-pad muted">No deployments yet.</p> : null}
    </section>
  );
}
